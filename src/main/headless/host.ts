import fs from "node:fs";
import path from "node:path";
import { createRouter } from "../api/router";
import { createServices, type ServiceDeps, type Services } from "../services/create-services";
import { createLogger, type Logger } from "../services/logger";
import { createFileSecretStore } from "../services/secrets/file-secret-store";
import { createJsonPreferencesStore } from "../services/settings/preferences-store";
import { shareBaseUrl, type HostOptions } from "./options";
import { startHeadlessServer, type HeadlessServer } from "./server";
import { buildExportJsonSchema } from "../../shared/contract/export-document";
import { buildStudyBundleJsonSchema } from "../../shared/contract/reproducibility";

export interface RunningHost {
  services: Services;
  server: HeadlessServer;
  close(): Promise<void>;
}

/** Composes the headless host: the same services and router as the desktop app, over HTTP. */
export async function startHost(
  options: HostOptions,
  overrides: Partial<ServiceDeps> & { logger?: Logger } = {},
): Promise<RunningHost> {
  fs.mkdirSync(path.join(options.dataDir, "logs"), { recursive: true });
  const logger =
    overrides.logger ??
    createLogger({ file: path.join(options.dataDir, "logs", "sight-headless.log"), console: false });
  const { version } = options;
  const services = await createServices({
    dataDir: options.dataDir,
    migrationsDir: options.migrationsDir,
    host: "headless",
    version,
    logger,
    rendererDir: options.rendererDir,
    preferences: createJsonPreferencesStore(path.join(options.dataDir, "preferences.json")),
    secrets: createFileSecretStore(path.join(options.dataDir, "secrets")),
    cloud: options.cloud,
    ...overrides,
  });
  void services.warmUp();
  const router = createRouter(services, logger);
  let server: HeadlessServer;
  try {
    server = await startHeadlessServer({
      router,
      bus: services.bus,
      logger,
      version,
      host: options.host,
      port: options.port,
      token: options.token,
      allowedHosts: options.allowedHosts,
      rendererDir: options.rendererDir,
      schemas: { export: buildExportJsonSchema(), "study-bundle": buildStudyBundleJsonSchema() },
      downloads: services.exports,
      oauthCallback: (query) => services.crm.callbackPage(query),
    });
    services.exports.setShareBaseUrl(shareBaseUrl(options, server.port));
    // RFC 8252 §7.3: the consent page sends the browser back to this host; loopback unless it is shared.
    services.crm.setLoopbackOrigin(shareBaseUrl(options, server.port) ?? `http://127.0.0.1:${server.port}`);
  } catch (error) {
    await services.close();
    throw error;
  }
  return {
    services,
    server,
    async close() {
      await server.close();
      await services.close();
    },
  };
}
