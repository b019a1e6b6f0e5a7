import type { MenuItemConstructorOptions } from "electron";

export interface MenuOptions {
  appName: string;
  isMac: boolean;
  /** Reload and developer tools appear only in development builds. */
  isDev: boolean;
  openDataFolder?: () => void;
}

/**
 * The native application menu: standard roles, so every platform gets its own shortcuts
 * (Cmd/Ctrl+Z, Cmd/Ctrl+Q, F11 or Ctrl+Cmd+F ...) for free.
 */
export function buildMenuTemplate({
  appName,
  isMac,
  isDev,
  openDataFolder,
}: MenuOptions): MenuItemConstructorOptions[] {
  const sep: MenuItemConstructorOptions = { type: "separator" };
  const template: MenuItemConstructorOptions[] = [];

  if (isMac) {
    template.push({
      label: appName,
      submenu: [
        { role: "about" },
        sep,
        { role: "services" },
        sep,
        { role: "hide" },
        { role: "hideOthers" },
        { role: "unhide" },
        sep,
        { role: "quit" },
      ],
    });
  }

  template.push({
    label: "File",
    submenu: [
      ...(openDataFolder ? [{ label: "Open Data Folder", click: () => openDataFolder() }, sep] : []),
      isMac ? { role: "close" } : { role: "quit" },
    ],
  });

  template.push({
    label: "Edit",
    submenu: [
      { role: "undo" },
      { role: "redo" },
      sep,
      { role: "cut" },
      { role: "copy" },
      { role: "paste" },
      sep,
      { role: "selectAll" },
    ],
  });

  template.push({
    label: "View",
    submenu: [
      ...(isDev ? ([{ role: "reload" }, { role: "toggleDevTools" }, sep] as MenuItemConstructorOptions[]) : []),
      { role: "resetZoom" },
      { role: "zoomIn" },
      { role: "zoomOut" },
      sep,
      { role: "togglefullscreen" },
    ],
  });

  template.push({
    role: "windowMenu",
    label: "Window",
    submenu: [
      { role: "minimize" },
      { role: "zoom" },
      ...(isMac ? [sep, { role: "front" } as const] : [{ role: "close" } as const]),
    ],
  });

  template.push({
    role: "help",
    label: "Help",
    // On macOS "About" lives in the app menu; the Help menu there keeps only its search field.
    submenu: isMac ? [] : [{ role: "about" }],
  });

  return template;
}

/** Every role in a template, depth first: what the menu test asserts on. */
export function rolesOf(template: readonly MenuItemConstructorOptions[]): string[] {
  const out: string[] = [];
  const walk = (items: readonly MenuItemConstructorOptions[]) => {
    for (const item of items) {
      if (item.role) out.push(item.role);
      if (Array.isArray(item.submenu)) walk(item.submenu);
    }
  };
  walk(template);
  return out;
}
