import fs from "node:fs";
import path from "node:path";
import { startHost, type RunningHost } from "../../src/main/headless/host";
import { silentLogger } from "../../src/main/services/logger";
import { MIGRATIONS_DIR, tempDir } from "./services";

export interface TestHostOptions {
  /** The bearer token (16 characters or more). */
  token: string;
  /** Files the host serves as its renderer (name → content); none: the host answers 503 for pages. */
  renderer?: Record<string, string>;
  /** Service overrides (fakes' environment, clocks, CRM apps…); the logger is silent unless given. */
  deps?: Parameters<typeof startHost>[1];
}

/** A headless host on 127.0.0.1 (port 0) over a fresh data folder, as the REST and socket tests use it. */
export async function startTestHost(options: TestHostOptions): Promise<{ host: RunningHost; dataDir: string }> {
  const dataDir = tempDir();
  let rendererDir = path.join(dataDir, "no-renderer");
  if (options.renderer) {
    rendererDir = path.join(dataDir, "renderer");
    fs.mkdirSync(rendererDir);
    for (const [name, content] of Object.entries(options.renderer))
      fs.writeFileSync(path.join(rendererDir, name), content);
  }
  const host = await startHost(
    {
      host: "127.0.0.1",
      port: 0,
      dataDir,
      token: options.token,
      tokenWasGenerated: false,
      rendererDir,
      migrationsDir: MIGRATIONS_DIR,
      version: "9.9.9",
    },
    { logger: silentLogger, ...options.deps },
  );
  return { host, dataDir };
}
