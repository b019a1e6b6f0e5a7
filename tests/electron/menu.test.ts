import { describe, expect, it } from "vitest";
import { buildMenuTemplate, rolesOf } from "../../src/main/electron/menu-template";

const STANDARD = [
  "undo",
  "redo",
  "cut",
  "copy",
  "paste",
  "selectAll",
  "resetZoom",
  "zoomIn",
  "zoomOut",
  "togglefullscreen",
  "minimize",
  "close",
];

describe("application menu", () => {
  it("has File, Edit, View, Window and Help with the standard roles", () => {
    const template = buildMenuTemplate({ appName: "Sight", isMac: false, isDev: false });
    expect(template.map((item) => item.label)).toEqual(["File", "Edit", "View", "Window", "Help"]);
    const roles = rolesOf(template);
    for (const role of [...STANDARD, "quit"]) expect(roles).toContain(role);
  });

  it("offers reload and developer tools only in development", () => {
    const production = rolesOf(buildMenuTemplate({ appName: "Sight", isMac: true, isDev: false }));
    expect(production).not.toContain("reload");
    expect(production).not.toContain("toggleDevTools");
    expect(production).not.toContain("forceReload");
    const dev = rolesOf(buildMenuTemplate({ appName: "Sight", isMac: false, isDev: true }));
    expect(dev).toContain("reload");
    expect(dev).toContain("toggleDevTools");
  });

  it("puts an app menu with About and Quit first on macOS", () => {
    const template = buildMenuTemplate({ appName: "Sight", isMac: true, isDev: false });
    expect(template[0]!.label).toBe("Sight");
    expect(rolesOf([template[0]!])).toEqual(expect.arrayContaining(["about", "hide", "quit"]));
    expect(template.map((item) => item.label)).toEqual(["Sight", "File", "Edit", "View", "Window", "Help"]);
  });
});
