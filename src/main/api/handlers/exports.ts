import type { AreaHandlers } from "../types";

type ExportRoute =
  | "exports.create"
  | "exports.list"
  | "exports.get"
  | "exports.delete"
  | "exports.share"
  | "exports.revokeShareLinks"
  | "exports.saveAs"
  | "exports.showInFolder"
  | "exports.cache"
  | "exports.updateCache";

export const exportHandlers: AreaHandlers<ExportRoute> = ({ exports }) => ({
  "exports.create": (input) => exports.create(input),
  "exports.list": (input) => exports.list(input),
  "exports.get": ({ id }) => exports.get(id),
  "exports.delete": ({ id }) => exports.remove(id),
  "exports.share": ({ id, expiresInHours }) => exports.share(id, expiresInHours),
  "exports.revokeShareLinks": () => exports.revokeShareLinks(),
  "exports.saveAs": ({ id }) => exports.saveAs(id),
  "exports.showInFolder": ({ id }) => exports.showInFolder(id),
  "exports.cache": () => exports.cache(),
  "exports.updateCache": ({ limitMb }) => exports.updateCache(limitMb),
});
