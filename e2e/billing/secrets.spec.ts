import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_BILLING_DATA_DIR, E2E_CLOUD_DATA_DIR, E2E_STRIPE_KEY, E2E_WEBHOOK_SECRET } from "../support/host";

// Runs after billing.spec.ts (one worker, files in order): by then the Cloud has created
// checkouts and portal sessions with the Stripe key and verified webhooks with the secret.
const STRIPE_SECRET = /\b(sk|rk)_(test|live)_[A-Za-z0-9]{8,}/;
const WEBHOOK_SECRET = /\bwhsec_[A-Za-z0-9]{8,}/;

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .flatMap((entry) => (entry.isFile() ? [path.join(entry.parentPath, entry.name)] : []));
}

test.describe("Stripe's secrets stay on the Cloud", () => {
  test("no sk_ or whsec_ value in the renderer bundle", () => {
    const bundle = filesUnder(path.resolve("out", "renderer")).filter((file) => /\.(js|html|css|map)$/.test(file));
    expect(bundle.length).toBeGreaterThan(0);
    for (const file of bundle) {
      const text = fs.readFileSync(file, "utf8");
      expect(text, file).not.toMatch(STRIPE_SECRET);
      expect(text, file).not.toMatch(WEBHOOK_SECRET);
    }
  });

  test("no sk_ or whsec_ value in the Cloud's log or the app's log", () => {
    const logs = [`${E2E_CLOUD_DATA_DIR}.log`, path.join(E2E_BILLING_DATA_DIR, "logs", "sight-headless.log")];
    for (const file of logs) {
      const text = fs.readFileSync(file, "utf8");
      // The logs are not empty: the billing run was logged, just without secrets.
      expect(text, file).toContain("billing");
      for (const secret of [E2E_STRIPE_KEY, E2E_WEBHOOK_SECRET]) expect(text, file).not.toContain(secret);
      expect(text, file).not.toMatch(STRIPE_SECRET);
      expect(text, file).not.toMatch(WEBHOOK_SECRET);
      expect(text, file).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
    }
  });
});
