// Every scenario module registers itself on import; add new ones here.
import "./connection-test";
import "./personas";
import "./survey";
import "./focus-groups";

export { findScenario, registerScenario, scenarioNames, taskMarker } from "./registry";
export type { FakeMessage, ScenarioHandler, ScenarioRequest } from "./registry";
