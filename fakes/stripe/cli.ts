// Runs the Stripe fake until SIGINT/SIGTERM:
//   node --import tsx fakes/stripe/cli.ts --port 12111 --webhook-url http://127.0.0.1:X/api/v1/billing/webhook \
//     --webhook-secret whsec_... [--api-key sk_test_...]
// stdout carries one line (URL and seeded price ids); errors go to stderr. Playwright waits on
// GET /__control/health.
import { parseArgs } from "node:util";
import { startStripeFake } from "./index";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.SIGHT_STRIPE_FAKE_PORT ?? "0" },
    "webhook-url": { type: "string" },
    "webhook-secret": { type: "string", default: process.env.STRIPE_WEBHOOK_SECRET },
    "api-key": { type: "string" },
    "retry-delays-ms": { type: "string" },
  },
});

function fail(message: string): never {
  process.stderr.write(`stripe-fake: ${message}\n`);
  process.exit(2);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port must be 0-65535, got ${values.port}`);
const webhookSecret = values["webhook-secret"];
if (!webhookSecret?.startsWith("whsec_")) fail("--webhook-secret whsec_... is required");
const retryDelaysMs = values["retry-delays-ms"]?.split(",").map(Number);
if (retryDelaysMs?.some((ms) => !Number.isFinite(ms) || ms < 0))
  fail("--retry-delays-ms must be a comma-separated list of ms");

const fake = await startStripeFake({
  port,
  webhookSecret,
  webhookUrl: values["webhook-url"],
  apiKey: values["api-key"],
  retryDelaysMs,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(
  `stripe-fake: listening on ${fake.url} (professional=${fake.prices.professional} enterprise=${fake.prices.enterprise})\n`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
