import { CLOUD_HELP, parseCloudArgs } from "./config";
import { createCloud } from "./cloud";
import { randomBytes } from "node:crypto";
import { generateLicenceKeyJson, importLicenceKey } from "./licence/keys";
import { reconcile, replay } from "./reconcile";

/** `npm run cloud [-- serve|reconcile|replay|keys] [flags]`. */
async function main() {
  let parsed;
  try {
    parsed = parseCloudArgs(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const { command, options, config } = parsed;
  if (options.help) {
    console.log(CLOUD_HELP);
    return;
  }
  if (command === "generate-secrets") {
    // For a Cloud on PostgreSQL: values to give every instance (print once, store in a secret manager).
    const key = await generateLicenceKeyJson();
    console.log(`SIGHT_CLOUD_LICENCE_KEY='${key}'`);
    console.log(`SIGHT_CLOUD_ACCESS_TOKEN_SECRET=${randomBytes(32).toString("base64url")}`);
    console.log(
      `# the desktop app trusts: SIGHT_LICENCE_PUBLIC_KEY='${JSON.stringify((await importLicenceKey(key)).publicJwk)}'`,
    );
    return;
  }
  const cloud = await createCloud(config);
  if (command === "serve") {
    const url = await cloud.listen();
    console.log(`Sight Cloud on ${url} (${cloud.db.kind}${cloud.db.kind === "pglite" ? ` in ${config.dataDir}` : ""})`);
    console.log(
      `Desktop: SIGHT_CLOUD_URL=${cloud.publicUrl} SIGHT_LICENCE_PUBLIC_KEY='${JSON.stringify(cloud.licenceKey.publicJwk)}'`,
    );
    if (!cloud.stripe)
      console.log("Billing is off: set STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and the price ids (see --help).");
    const stop = async () => {
      await cloud.close();
      process.exit(0);
    };
    process.once("SIGINT", () => void stop());
    process.once("SIGTERM", () => void stop());
    return;
  }
  try {
    if (command === "reconcile") {
      const since = typeof options.since === "string" ? new Date(options.since) : null;
      if (!since || Number.isNaN(since.getTime())) throw new Error("reconcile needs --since <ISO date>.");
      console.log(JSON.stringify(await reconcile(cloud, since)));
    } else if (command === "replay") {
      console.log(
        JSON.stringify(
          await replay(cloud, {
            all: options.all === true,
            eventId: typeof options.event === "string" ? options.event : undefined,
          }),
        ),
      );
    } else if (command === "keys") {
      console.log(JSON.stringify(cloud.licenceKey.publicJwk));
    } else {
      throw new Error(`Unknown command ${command}. See --help.`);
    }
  } finally {
    await cloud.close();
  }
}

void main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
