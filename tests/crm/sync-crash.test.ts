/**
 * A crash mid-sync: the app is killed with SIGKILL while HubSpot holds the answer to a batch it
 * has already written. The restarted app finds the job interrupted, resumes at the first batch
 * it had not saved, sends that batch again (an update, by sight_persona_id), and the fake ends
 * with each persona exactly once.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createFileSecretStore } from "../../src/main/services/secrets/file-secret-store";
import { MIGRATIONS_DIR, REPO_ROOT, tempDir } from "../support/services";
import { call, connectCrm, seedPersonas, startCrmApp, startCrmFakes, type CrmFakes } from "./app-support";
import type { HubspotState } from "./support";

let fakes: CrmFakes;
beforeAll(async () => {
  fakes = await startCrmFakes();
});
afterAll(async () => {
  await fakes.close();
});

const synced = () =>
  (fakes.hubspot.control.state() as HubspotState).contacts.filter((contact) => contact.fields.sight_persona_id);

it("resumes a sync killed mid-batch without a duplicate in HubSpot", { timeout: 60_000 }, async () => {
  const dataDir = tempDir();
  const secrets = () => createFileSecretStore(path.join(dataDir, "secrets"));
  const first = await startCrmApp(fakes, { dataDir, secrets: secrets() });
  await connectCrm(first, "hubspot");
  const { projectId, personaIds } = await seedPersonas(first, 1000);
  await first.services.close();

  // HubSpot writes each batch, then holds its answer 400 ms: the kill lands inside that window.
  fakes.hubspot.control.setFaults({ holdReplyMs: 400 });
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(REPO_ROOT, "tests/support/crm-sync-child.ts"),
      dataDir,
      MIGRATIONS_DIR,
      fakes.hubspot.url,
      fakes.hubspot.clientId,
      fakes.hubspot.clientSecret,
      projectId,
    ],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  const jobId = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`child exited early with ${code}`)));
  });
  const deadline = Date.now() + 30_000;
  while (synced().length < 400 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("exit", resolve));
  fakes.hubspot.control.setFaults({ holdReplyMs: 0 });
  // HubSpot has four batches; Sight had saved three when it died.
  expect(synced()).toHaveLength(400);
  const callsBeforeCrash = (fakes.hubspot.control.state() as HubspotState).counts["contacts.batchUpsert"];
  expect(callsBeforeCrash).toBe(4);

  const second = await startCrmApp(fakes, { dataDir, secrets: secrets() });
  try {
    const interrupted = await second.services.jobs.get(jobId);
    expect(interrupted).toMatchObject({ status: "interrupted", progress: { done: 300, total: 1000 } });
    expect(await second.services.db.prisma.crmSyncRecord.count()).toBe(300);
    await call(second, "jobs.resume", { id: jobId });
    await second.services.jobs.idle();
    expect(await second.services.jobs.get(jobId)).toMatchObject({
      status: "succeeded",
      progress: { done: 1000, total: 1000 },
    });

    const contacts = synced();
    expect(contacts).toHaveLength(1000);
    expect(new Set(contacts.map((contact) => contact.fields.sight_persona_id))).toEqual(new Set(personaIds));
    expect((fakes.hubspot.control.state() as HubspotState).duplicateExternalIds).toEqual([]);
    // Seven more batch calls: the one HubSpot had taken, again, and the six never sent.
    expect((fakes.hubspot.control.state() as HubspotState).counts["contacts.batchUpsert"]).toBe(11);
    const history = await call(second, "crm.history", {});
    expect(history.items[0]!.counts).toEqual({ total: 1000, created: 900, updated: 100, skipped: 0, failed: 0 });
    const updated = await call(second, "crm.syncRecords", { id: history.items[0]!.id, outcome: "updated", limit: 500 });
    expect(updated.items.map((item) => item.key)).toEqual(personaIds.slice(300, 400));
  } finally {
    await second.close();
  }
});
