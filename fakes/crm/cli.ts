// Runs the HubSpot and Salesforce fakes until SIGINT/SIGTERM (for Playwright and by hand):
//   node --import tsx fakes/crm/cli.ts --hubspot-port 12112 --salesforce-port 12113 \
//     [--hubspot-client-id ID --hubspot-client-secret SECRET --salesforce-client-id ID]
// stdout carries one line per fake (name and URL); errors and the fakes' logs go to stderr.
// Playwright waits on GET <url>/__control/health.
import { parseArgs } from "node:util";
import { startHubspotFake } from "../hubspot";
import { startSalesforceFake } from "../salesforce";

const { values } = parseArgs({
  options: {
    "hubspot-port": { type: "string", default: process.env.SIGHT_HUBSPOT_FAKE_PORT ?? "0" },
    "salesforce-port": { type: "string", default: process.env.SIGHT_SALESFORCE_FAKE_PORT ?? "0" },
    // The fakes' own defaults; a Cloud's HUBSPOT_CLIENT_ID/HUBSPOT_CLIENT_SECRET must match.
    "hubspot-client-id": { type: "string", default: "hubspot-fake-client" },
    "hubspot-client-secret": { type: "string", default: "hubspot-fake-secret" },
    "salesforce-client-id": { type: "string", default: "salesforce-fake-consumer-key" },
  },
});

function fail(message: string): never {
  process.stderr.write(`crm-fakes: ${message}\n`);
  process.exit(2);
}

function port(flag: "hubspot-port" | "salesforce-port"): number {
  const value = Number(values[flag]);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) fail(`--${flag} must be 0-65535, got ${values[flag]}`);
  return value;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const hubspotPort = port("hubspot-port");
const salesforcePort = port("salesforce-port");
if (hubspotPort !== 0 && hubspotPort === salesforcePort) fail("--hubspot-port and --salesforce-port must differ");

const hubspot = await startHubspotFake({
  port: hubspotPort,
  clientId: values["hubspot-client-id"],
  clientSecret: values["hubspot-client-secret"],
  log,
}).catch((error: unknown) => fail(`the HubSpot fake did not start: ${(error as Error).message}`));
const salesforce = await startSalesforceFake({
  port: salesforcePort,
  clientId: values["salesforce-client-id"],
  log,
}).catch(async (error: unknown) => {
  await hubspot.close();
  fail(`the Salesforce fake did not start: ${(error as Error).message}`);
});
// Handlers before the URLs: whoever waits for these lines may stop the fakes at once.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    Promise.all([hubspot.close(), salesforce.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
process.stdout.write(`hubspot-fake: listening on ${hubspot.url} (client_id=${hubspot.clientId})\n`);
process.stdout.write(`salesforce-fake: listening on ${salesforce.url} (client_id=${salesforce.clientId})\n`);
