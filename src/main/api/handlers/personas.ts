import type { AreaHandlers } from "../types";

type PersonaRoute =
  | "personas.generate"
  | "personas.list"
  | "personas.get"
  | "personas.update"
  | "personas.delete"
  | "personas.validation"
  | "personas.refusals"
  | "personas.quota";

export const personaHandlers: AreaHandlers<PersonaRoute> = ({ personas }) => ({
  "personas.generate": (input) => personas.generate(input),
  "personas.list": (input) => personas.list(input),
  "personas.get": ({ id }) => personas.get(id),
  "personas.update": ({ id, ...patch }) => personas.update(id, patch),
  "personas.delete": ({ id }) => personas.remove(id),
  "personas.validation": ({ projectId }) => personas.validation(projectId),
  "personas.refusals": (input) => personas.refusals(input),
  "personas.quota": () => personas.quota(),
});
