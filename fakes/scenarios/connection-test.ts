import { registerScenario } from "./registry";

/** Sight's "Test connection" button: a healthy endpoint answers `{ "ok": true }`. */
registerScenario("connection-test", () => ({ ok: true }));
