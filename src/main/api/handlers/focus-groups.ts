import type { AreaHandlers } from "../types";

type FocusGroupRoute =
  | "focusGroups.create"
  | "focusGroups.list"
  | "focusGroups.get"
  | "focusGroups.update"
  | "focusGroups.delete"
  | "focusGroups.run"
  | "focusGroups.pause"
  | "focusGroups.resume"
  | "focusGroups.cancel"
  | "focusGroups.messages"
  | "focusGroups.analyze"
  | "focusGroups.insights";

export const focusGroupHandlers: AreaHandlers<FocusGroupRoute> = ({ focusGroups }) => ({
  "focusGroups.create": (input) => focusGroups.create(input),
  "focusGroups.list": (input) => focusGroups.list(input),
  "focusGroups.get": ({ id }) => focusGroups.get(id),
  "focusGroups.update": (input) => focusGroups.update(input),
  "focusGroups.delete": ({ id }) => focusGroups.remove(id),
  "focusGroups.run": ({ id }) => focusGroups.run(id),
  "focusGroups.pause": ({ id }) => focusGroups.pause(id),
  "focusGroups.resume": ({ id }) => focusGroups.resume(id),
  "focusGroups.cancel": ({ id }) => focusGroups.cancel(id),
  "focusGroups.messages": (input) => focusGroups.messages(input),
  "focusGroups.analyze": ({ id }) => focusGroups.analyze(id),
  "focusGroups.insights": ({ id }) => focusGroups.insights(id),
});
