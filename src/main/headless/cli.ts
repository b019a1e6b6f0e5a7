import path from "node:path";
import { fileURLToPath } from "node:url";
import { MigrationError } from "../services/db/migrate";
import { isLoopbackHost } from "./auth";
import { startHost } from "./host";
import { parseHostOptions, USAGE } from "./options";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

async function main() {
  let options;
  try {
    options = parseHostOptions(process.argv.slice(2), process.env, repoRoot);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === "help") {
    console.log(USAGE);
    return;
  }
  const extraHosts = options.allowedHosts ?? [];
  if (!isLoopbackHost(options.host)) {
    console.warn(
      `Warning: listening on ${options.host} makes Sight reachable from your network; anyone with the token can use it.`,
    );
    if (extraHosts.length === 0 && (options.host === "0.0.0.0" || options.host === "::")) {
      console.warn(
        `Browsers send the name they typed as Host, never ${options.host}: list the names or addresses they will use ` +
          "with --allowed-hosts (or SIGHT_ALLOWED_HOSTS), or they will be refused.",
      );
    }
  }
  if (options.cloud?.url && options.cloud.keys.length === 0) {
    console.warn(
      `Warning: Sight Cloud is set (${options.cloud.url}) but no licence key is trusted: set SIGHT_LICENCE_PUBLIC_KEY ` +
        "to its public key, or plans and billing stay off.",
    );
  }
  const host = await startHost(options).catch((error: NodeJS.ErrnoException) => {
    const problem = listenProblem(error.code);
    if (!problem) throw error;
    const where = `${options.host.includes(":") ? `[${options.host}]` : options.host}:${options.port}`;
    console.error(`Sight cannot listen on ${where}: ${problem}`);
    process.exit(1);
  });
  console.log(`Sight is running (data in ${options.dataDir}).`);
  console.log(`Open this address in your browser:\n\n    ${host.server.loginUrl}\n`);
  if (options.tokenWasGenerated) {
    console.log(
      "The token is new at every start: after a restart, open the new address (old addresses and sign-ins stop working). " +
        "To keep one token, give --token or SIGHT_API_TOKEN (16 characters or more).",
    );
  }
  const query = host.server.loginUrl.slice(host.server.url.length);
  for (const name of extraHosts) console.log(`or, from another machine:  http://${name}:${host.server.port}${query}`);
  if (host.services.billing.status().cloudConfigured)
    console.log(`Plans and billing: Sight Cloud at ${options.cloud?.url}`);
  console.log(`REST: ${host.server.url}/api/v1 (Authorization: Bearer <token>), OpenAPI at /api/v1/openapi.json`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await host.close();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

/** What to do when the address cannot be bound: one line to act on, not a stack trace. */
function listenProblem(code: string | undefined): string | null {
  if (code === "EADDRINUSE")
    return (
      "something else is using that port (another Sight host, still running or shutting down, say). " +
      "Stop it, or choose another port with --port or SIGHT_PORT."
    );
  if (code === "EACCES") return "this user may not use that port. Choose one above 1023 with --port or SIGHT_PORT.";
  if (code === "EADDRNOTAVAIL") return "this machine has no such address. Choose another with --host.";
  return null;
}

main().catch((error) => {
  if (error instanceof MigrationError) console.error(`Sight cannot open its database: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
