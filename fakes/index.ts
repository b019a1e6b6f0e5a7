export { startFakes, type FakeServerOptions, type RunningFakes } from "./server";
export type { FakeControl, FaultState } from "./faults";
export type { LoggedRequest } from "./request-log";
export { INVALID_KEY, REJECTED_KEY } from "./gemini-api";
export { registerScenario, scenarioNames, taskMarker, type ScenarioHandler, type ScenarioRequest } from "./scenarios";
export { valueForSchema, type JsonSchema } from "./schema-values";
