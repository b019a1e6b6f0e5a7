import os from "node:os";
import type { AreaHandlers } from "../types";

type SettingsRoute =
  | "app.info"
  | "app.openDataFolder"
  | "settings.get"
  | "settings.update"
  | "settings.getResponseStyle"
  | "settings.updateResponseStyle"
  | "secrets.set"
  | "secrets.has"
  | "secrets.delete";

export const settingsHandlers: AreaHandlers<SettingsRoute> = ({ deps, plan, bus, responseStyle }) => ({
  "app.info": async () => ({
    version: deps.version,
    host: deps.host,
    dataDir: deps.dataDir,
    platform: `${os.platform()} ${os.arch()}`,
    plan: plan(),
    canOpenFolders: deps.openPath !== undefined,
  }),
  "app.openDataFolder": async () => ({
    opened: deps.openPath ? await deps.openPath(deps.dataDir) : false,
    path: deps.dataDir,
  }),
  "settings.get": async () => deps.preferences.get(),
  "settings.update": async (patch) => {
    const next = deps.preferences.set(patch);
    bus.emit("db.changed", { tables: ["Preferences"] });
    return next;
  },
  "settings.getResponseStyle": async () => responseStyle.get(),
  "settings.updateResponseStyle": async (patch) => {
    const next = responseStyle.update(patch);
    // Not a table: survey results and the settings page read it (query-keys.ts maps the name).
    bus.emit("db.changed", { tables: ["ResponseStyleSettings"] });
    return next;
  },
  "secrets.set": async ({ key, value }) => {
    await deps.secrets.set(key, value);
    bus.emit("db.changed", { tables: ["Secrets"] });
    return { key, present: true as const };
  },
  "secrets.has": async ({ key }) => ({ key, present: await deps.secrets.has(key) }),
  "secrets.delete": async ({ key }) => {
    await deps.secrets.delete(key);
    bus.emit("db.changed", { tables: ["Secrets"] });
    return { key, present: false as const };
  },
});
