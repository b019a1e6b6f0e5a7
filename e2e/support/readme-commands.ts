/**
 * Every shell command in the README, and where it is checked: run as written by
 * e2e/web/readme.spec.ts (the test named here), or why it runs elsewhere. tests/scripts/readme.test.ts
 * fails when the README gains a command this list does not account for, or loses one it names.
 */
export type ReadmeCheck = { runBy: "e2e/web/readme.spec.ts"; test: string } | { runBy: "elsewhere"; why: string };

const e2e = (test: string): ReadmeCheck => ({ runBy: "e2e/web/readme.spec.ts", test });
const elsewhere = (why: string): ReadmeCheck => ({ runBy: "elsewhere", why });

const CLOUD = elsewhere("Sight Cloud's commands: tests/cloud and the web-billing e2e project run the Cloud itself");

const CRM = elsewhere(
  "CRM sync with the fakes: the web-crm e2e project runs the same fakes CLI, a Cloud brokering HubSpot and a host pointed at both",
);

export const README_COMMANDS: Record<string, ReadmeCheck> = {
  "npm install && npm start": e2e(
    "npm start without an Electron binary says so in one line and opens the app in the browser",
  ),
  "npm install && npm test": elsewhere("CI's own entry point: .ci/run is `npm ci && npm test` on a fresh clone"),
  "npm run web -- --fakes": e2e("npm run web -- --fakes: the AI works without a key"),
  "npm run web": e2e("npm run web: the printed address signs in, and a restart prints a new token"),
  "npm run web -- --port 8080 --data-dir ./data": e2e("npm run web -- --port 8080 --data-dir ./data"),
  "npm run web -- --host 0.0.0.0 --allowed-hosts mybox.local,192.168.1.20": e2e(
    "npm run web -- --host 0.0.0.0 --allowed-hosts: answers to the listed names only",
  ),
  'eval "$(npm run -s fakes -- --detach)" && npm run web': e2e(
    "the README's no-key command: generate personas with the test provider",
  ),
  "npm run cloud": CLOUD,
  "npm run cloud -- --help": CLOUD,
  "DATABASE_URL=postgresql://… SIGHT_CLOUD_LICENCE_KEY='{…}' SIGHT_CLOUD_ACCESS_TOKEN_SECRET=… npm run cloud -- --port 8080 --public-url https://cloud.example.com":
    CLOUD,
  "npm run cloud -- reconcile --since 2026-12-01": CLOUD,
  "npm run cloud -- replay": CLOUD,
  "npm run cloud -- keys": CLOUD,
  "npm run cloud -- generate-secrets": CLOUD,
  "npm run fakes:stripe -- --port 12111 --webhook-url http://127.0.0.1:5180/api/v1/billing/webhook --webhook-secret whsec_local0000000000 --api-key sk_test_local000000000 &":
    CLOUD,
  "STRIPE_SECRET_KEY=sk_test_local000000000 STRIPE_WEBHOOK_SECRET=whsec_local0000000000 STRIPE_API_BASE=http://127.0.0.1:12111 STRIPE_PRICE_PROFESSIONAL=price_1SightProfessionalMonthly STRIPE_PRICE_ENTERPRISE=price_1SightEnterpriseMonthly npm run cloud":
    CLOUD,
  'SIGHT_CLOUD_URL=http://127.0.0.1:5180 SIGHT_LICENCE_PUBLIC_KEY=\'{"kty":"OKP",…}\' npm run web': CLOUD,
  "npm run fakes:crm -- --hubspot-port 12112 --salesforce-port 12113 &": CRM,
  "HUBSPOT_CLIENT_ID=hubspot-fake-client HUBSPOT_CLIENT_SECRET=hubspot-fake-secret HUBSPOT_API_BASE=http://127.0.0.1:12112 HUBSPOT_AUTHORIZE_URL=http://127.0.0.1:12112/oauth/authorize npm run cloud &":
    CRM,
  "SIGHT_HUBSPOT_BROKER_URL=http://127.0.0.1:5180 SIGHT_HUBSPOT_API_URL=http://127.0.0.1:12112 SIGHT_SALESFORCE_CLIENT_ID=salesforce-fake-consumer-key SIGHT_SALESFORCE_LOGIN_URL=http://127.0.0.1:12113 npm run web":
    CRM,
  "npm run bench": elsewhere(
    "benchmarks take minutes and are never part of npm test (tests/scripts/readme.test.ts checks the name)",
  ),
  "npm run bench personas": elsewhere("as npm run bench; `personas` must name a benchmark in bench/"),
};

/** The commands of the README's shell blocks: comments dropped, continued lines joined, spaces collapsed. */
export function readmeCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n/g, " ")
      .split("\n")
      .map((line) =>
        line
          .replace(/(^|\s)#(\s.*)?$/, "")
          .replace(/\s+/g, " ")
          .trim(),
      )
      .filter(Boolean),
  );
}
