import type { AreaHandlers } from "../types";

type ProjectRoute =
  | "projects.list"
  | "projects.get"
  | "projects.create"
  | "projects.update"
  | "projects.duplicate"
  | "projects.archive"
  | "projects.unarchive"
  | "projects.delete";

export const projectHandlers: AreaHandlers<ProjectRoute> = ({ projects }) => ({
  "projects.list": (input) => projects.list(input),
  "projects.get": ({ id }) => projects.get(id),
  "projects.create": (input) => projects.create(input),
  "projects.update": ({ id, ...patch }) => projects.update(id, patch),
  "projects.duplicate": ({ id, name }) => projects.duplicate(id, name),
  "projects.archive": ({ id }) => projects.archive(id),
  "projects.unarchive": ({ id }) => projects.unarchive(id),
  "projects.delete": ({ id }) => projects.remove(id),
});
