import { BrowserWindow, screen } from "electron";
import type { DesktopStores } from "./preferences";
import { debounce, initialWindowState, MIN_SIZE } from "./window-state";

export interface MainWindowOptions {
  preloadPath: string;
  url: string;
  windowState: DesktopStores["windowState"];
  onLoadFailed?: (error: unknown) => void;
}

/**
 * The one app window. Security-relevant settings are spelled out even where they match
 * Electron's defaults, so a reader (and electronegativity) sees them.
 */
export function createMainWindow({ preloadPath, url, windowState, onLoadFailed }: MainWindowOptions): BrowserWindow {
  const initial = initialWindowState(
    windowState.load(),
    screen.getAllDisplays().map((display) => display.workArea),
  );

  const window = new BrowserWindow({
    ...initial.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: "Sight",
    show: false,
    backgroundColor: "#ffffff",
    webPreferences: {
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK the preload is ours (src/preload), sandboxed, and exposes only sight.invoke and sight.on
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      // Middle-click would otherwise open links in new windows (denied anyway by the open handler).
      disableBlinkFeatures: "Auxclick",
    },
  });

  if (initial.maximized) window.maximize();
  window.once("ready-to-show", () => window.show());

  const save = () => {
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    windowState.save({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  };
  const saveSoon = debounce(save, 500);
  window.on("resize", saveSoon);
  window.on("move", saveSoon);
  window.on("close", () => {
    saveSoon.cancel();
    save();
  });

  window.loadURL(url).catch((error: unknown) => onLoadFailed?.(error));
  return window;
}
