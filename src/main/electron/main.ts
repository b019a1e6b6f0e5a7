import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { app, BrowserWindow, dialog, Menu, session, shell } from "electron";
import { createRouter } from "../api/router";
import { createServices, type Services } from "../services/create-services";
import { resolveCloudConfig } from "../services/billing/cloud-config";
import { MigrationError } from "../services/db/migrate";
import { createLogger } from "../services/logger";
import { rendererEntry } from "./app-origin";
import { deepLinkScheme, findDeepLinkInArgv, parseDeepLink, type DeepLink } from "./deeplink";
import { crmProviderIdSchema } from "../../shared/contract";
import { createDeepLinkInbox } from "./deeplink-inbox";
import { registerIpc } from "./ipc";
import { buildMenuTemplate } from "./menu-template";
import { createDesktopStores } from "./preferences";
import { registerAppScheme, serveRenderer } from "./protocol";
import { createSafeStorageSecretStore, SECRETS_FILE_NAME } from "./secrets";
import { applySessionPolicy, hardenWebContents, openExternalSafely } from "./security";
import { createMainWindow } from "./window";
import { chosenPath, exportSaveDialogOptions } from "./save-dialog";
import { chosenOpenPath, studyBundleOpenDialogOptions } from "./open-dialog";

/*
 * Composition root of the desktop app. Order matters:
 * 1. before ready: privileged app:// scheme, sandbox for every renderer, single-instance lock,
 *    deep-link listeners (macOS sends open-url before ready), webContents hardening;
 * 2. ready: stores, services (migrations), router, session policy, protocol, IPC, menu, window;
 * 3. quit: services close gracefully, so running jobs come back as interrupted.
 */

registerAppScheme();
app.enableSandbox();

// Development and e2e runs may point at a throw-away profile; installed builds never read this.
// Set before the single-instance lock, which is per userData folder.
if (!app.isPackaged && process.env.SIGHT_USER_DATA_DIR)
  app.setPath("userData", path.resolve(process.env.SIGHT_USER_DATA_DIR));

const SHUTDOWN_TIMEOUT_MS = 5000;
const scheme = deepLinkScheme(app.isPackaged);
const inbox = createDeepLinkInbox();
const here = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(here, "../preload/index.cjs");
const rendererRoot = path.join(here, "../renderer");

if (!app.requestSingleInstanceLock()) {
  // Another Sight is running; it receives our argv (and any deep link) via second-instance.
  app.quit();
} else {
  run();
}

function run(): void {
  const userData = app.getPath("userData");
  const logsDir = path.join(userData, "logs");
  fs.mkdirSync(logsDir, { recursive: true, mode: 0o700 });
  const logger = createLogger({ file: path.join(logsDir, "main.log"), console: !app.isPackaged });
  process.on("unhandledRejection", (error) => logger.error("main.unhandled_rejection", { error }));

  let services: Services | null = null;
  let mainWindow: BrowserWindow | null = null;
  let quitState: "running" | "closing" | "closed" = "running";

  const receiveLink = (link: DeepLink | null, source: string) => {
    if (!link) {
      logger.warn("deeplink.refused", { source });
      return;
    }
    inbox.push(link);
  };

  // macOS: links arrive as open-url events, possibly before ready.
  app.on("open-url", (event, url) => {
    event.preventDefault();
    receiveLink(parseDeepLink(url, scheme), "open-url");
  });
  // Windows/Linux: a second launch hands us its argv, then exits.
  app.on("second-instance", (_event, argv) => {
    const link = findDeepLinkInArgv(argv, scheme);
    if (link) inbox.push(link);
    focusWindow();
  });
  // Windows/Linux first launch by a link.
  const firstLink = findDeepLinkInArgv(process.argv, scheme);
  if (firstLink) inbox.push(firstLink);

  registerProtocolClient();
  if (process.platform === "win32") app.setAppUserModelId("com.sight.desktop");

  app.on("web-contents-created", (_event, contents) => hardenWebContents(contents, logger));

  function registerProtocolClient(): void {
    if (process.defaultApp && process.argv.length >= 2) {
      // Unpackaged `electron .`: register the dev scheme with the script path so Windows can relaunch it.
      app.setAsDefaultProtocolClient(scheme, process.execPath, [path.resolve(process.argv[1]!)]); // eng-disable PROTOCOL_HANDLER_JS_CHECK every sight:// link goes through parseDeepLink's closed grammar
    } else {
      app.setAsDefaultProtocolClient(scheme); // eng-disable PROTOCOL_HANDLER_JS_CHECK every sight:// link goes through parseDeepLink's closed grammar
    }
  }

  function focusWindow(): void {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  }

  async function start(): Promise<void> {
    const stores = createDesktopStores();
    const secrets = createSafeStorageSecretStore(path.join(userData, SECRETS_FILE_NAME));
    // A packaged app trusts only the licence keys it was built with: a user who could add a key
    // of their own through the environment could sign themselves any plan.
    const cloud = resolveCloudConfig({ env: process.env, allowKeyOverride: !app.isPackaged });
    if (cloud.ignoredKeyOverride) logger.warn("main.licence_key_override_ignored", { packaged: app.isPackaged });
    try {
      services = await createServices({
        dataDir: userData,
        migrationsDir: app.isPackaged
          ? path.join(process.resourcesPath, "migrations")
          : path.join(app.getAppPath(), "prisma/migrations"),
        host: "desktop",
        version: app.getVersion(),
        logger,
        rendererDir: rendererRoot,
        preferences: stores.preferences,
        secrets,
        openPath: (target) => shell.openPath(target).then((error) => error === ""),
        chooseSavePath: async (defaultName, format) => {
          const options = exportSaveDialogOptions(defaultName, format, app.getPath("downloads"));
          const result = mainWindow
            ? await dialog.showSaveDialog(mainWindow, options)
            : await dialog.showSaveDialog(options);
          return chosenPath(result);
        },
        chooseOpenPath: async () => {
          const options = studyBundleOpenDialogOptions(app.getPath("documents"));
          const result = mainWindow
            ? await dialog.showOpenDialog(mainWindow, options)
            : await dialog.showOpenDialog(options);
          return chosenOpenPath(result);
        },
        showItemInFolder: (file) => shell.showItemInFolder(file),
        cloud,
        openInBrowser: (url) => openExternalSafely(url, logger),
        appScheme: scheme,
      });
    } catch (error) {
      if (error instanceof MigrationError) {
        logger.error("main.migration_failed", { problem: error.problem, migration: error.migration, error });
        dialog.showErrorBox("Sight cannot open its database", error.message);
        app.exit(1);
        return;
      }
      throw error;
    }
    const ready = services;
    void ready.warmUp();

    const renderer = rendererEntry(app.isPackaged, process.env.ELECTRON_RENDERER_URL);
    applySessionPolicy(session.defaultSession, renderer.origin, logger);
    await serveRenderer(session.defaultSession, rendererRoot);

    const router = createRouter(ready, logger);
    registerIpc({ router, bus: ready.bus, logger, getWindow: () => mainWindow, expectedOrigin: renderer.origin });

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          appName: app.name,
          isMac: process.platform === "darwin",
          isDev: !app.isPackaged,
          openDataFolder: () => void shell.openPath(userData),
        }),
      ),
    );

    const openWindow = () => {
      const window = createMainWindow({
        preloadPath,
        url: renderer.url,
        windowState: stores.windowState,
        onLoadFailed: (error) => logger.error("main.load_failed", { error }),
      });
      mainWindow = window;
      // Deep links wait for the page: delivered once it has loaded, in arrival order.
      window.webContents.once("did-finish-load", () =>
        inbox.attach((link) => {
          focusWindow();
          // Back from Checkout or the billing portal: the new plan arrives with a fresh licence.
          if (link.kind === "billing-return") ready.billing.onBillingReturn();
          // A CRM's consent page answered: the service checks the state and finishes connecting;
          // the Integrations page follows through db.changed (the outcome is in crm.status).
          if (link.kind === "oauth-callback") {
            // The code and state stay in the main process: the renderer learns only which CRM answered.
            const { provider, ...query } = link.params;
            const parsed = crmProviderIdSchema.safeParse(provider);
            if (parsed.success) void ready.crm.callbackPage(query, parsed.data);
            ready.bus.emit("app.deepLink", { kind: "oauth-callback", params: { provider: provider ?? "" } });
            return;
          }
          ready.bus.emit("app.deepLink", link);
        }),
      );
      window.on("closed", () => {
        inbox.detach();
        if (mainWindow === window) mainWindow = null;
      });
    };

    openWindow();
    app.on("activate", () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
    logger.info("main.started", {
      version: app.getVersion(),
      packaged: app.isPackaged,
      migrations: ready.migrations.applied,
      cloudConfigured: ready.billing.status().cloudConfigured,
    });
  }

  app.on("window-all-closed", () => {
    if (process.platform !== "darwin") app.quit();
  });

  // Close services before exiting: running jobs stop and come back as interrupted next time.
  app.on("before-quit", (event) => {
    if (!services || quitState === "closed") return;
    event.preventDefault();
    if (quitState === "closing") return;
    quitState = "closing";
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref());
    Promise.race([services.close(), timeout])
      .catch((error: unknown) => logger.error("main.close_failed", { error }))
      .finally(() => {
        quitState = "closed";
        app.quit();
      });
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      logger.error("main.start_failed", { error });
      dialog.showErrorBox("Sight could not start", error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
