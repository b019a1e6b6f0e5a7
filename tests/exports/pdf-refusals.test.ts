import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job, RouteOutput } from "../../src/shared/contract";
import { EXPORTS_FOLDER } from "../../src/main/services/exports/exports-service";
import { LABELS } from "../../src/main/services/exports/pdf/labels";
import { startFakes, type RunningFakes } from "../../fakes";
import { FAST_POLICY } from "../llm/harness";
import { pdfPages, squash } from "../support/pdf-tools";
import { data, startTestApp, type TestApp } from "../support/services";

/**
 * The PDF report's methodology page says how many drafts generation refused and why, as the
 * project's runs counted them: personas generated through the real job and the loopback fake,
 * whose drafts contradict their slot (a location abroad, another diet) some of the time.
 */

// Each render starts a worker thread and lays a report out: seconds, more on a busy machine.
const RENDER_TIMEOUT = 180_000;
const ctx = { transport: "rest" as const };

let fakes: RunningFakes;
let app: TestApp;
let projectId: string;
let refusals: RouteOutput<"personas.refusals">;

const invoke = async <T>(name: string, input: unknown) => data(await app.router.invoke(name, input, ctx)) as T;

async function runJob(jobId: string): Promise<Job> {
  await app.services.jobs.idle();
  return invoke<Job>("jobs.get", { id: jobId });
}

beforeAll(async () => {
  fakes = await startFakes();
  app = await startTestApp({ env: fakes.env, llmPolicy: FAST_POLICY, plan: "enterprise" });
  projectId = (
    await invoke<{ id: string }>("projects.create", {
      name: "Oat drink",
      targetDemographics: {
        gender: { female: 0.5, male: 0.5 },
        location: { Warszawa: 0.5, Kraków: 0.5 },
        diet: { vegan: 0.5, omnivore: 0.5 },
      },
    })
  ).id;
  fakes.control({ scenarioFlags: { contradictShare: 0.3 } });
  const { jobId } = await invoke<{ jobId: string }>("personas.generate", { projectId, count: 12, seed: 77 });
  let job = await runJob(jobId);
  // A slot that contradicts 4 times in a row fails the run; resuming it goes on from there.
  for (let resumes = 0; job.status === "failed" && resumes < 5; resumes++) {
    await invoke("jobs.resume", { id: jobId });
    job = await runJob(jobId);
  }
  expect(job.status).toBe("succeeded");
  fakes.control({ scenarioFlags: { contradictShare: null } });
  refusals = await invoke("personas.refusals", { projectId });
  // The fake contradicted both ways: a location abroad and another diet.
  expect(refusals.byReason.map((entry) => entry.dimension).sort()).toEqual(["diet", "location"]);
}, RENDER_TIMEOUT);

afterAll(async () => {
  await app?.close();
  await fakes?.close();
});

async function methodologyPage(language: "en" | "pl"): Promise<string> {
  const { jobId } = await invoke<{ jobId: string }>("exports.create", {
    projectId,
    format: "pdf",
    scope: "personas",
    options: { language, includePersonas: false },
  });
  const job = await runJob(jobId);
  expect(job.status).toBe("succeeded");
  const { exportId } = job.result as { exportId: string };
  const row = await app.services.db.prisma.export.findUniqueOrThrow({ where: { id: exportId } });
  const pages = pdfPages(path.join(app.dataDir, EXPORTS_FOLDER, row.storedName)).map(squash);
  const page = pages.find((text) => text.includes(LABELS[language].howPersonasWereMade));
  expect(page).toBeDefined();
  return page!;
}

describe("the methodology page of a PDF report", () => {
  it(
    "counts the refused drafts by reason, as the runs recorded them",
    async () => {
      const page = await methodologyPage("en");
      const drafts = refusals.refused + refusals.accepted;
      expect(page).toContain(
        `${refusals.refused} of the ${drafts} drafts the model wrote ${refusals.refused === 1 ? "was" : "were"} refused and written again`,
      );
      const reasons = refusals.byReason.map((entry) =>
        entry.reason === "dimension" && entry.dimension === "diet"
          ? `diet (custom dimension) ${entry.count}`
          : entry.reason === "dimension"
            ? `${entry.dimension} ${entry.count}`
            : `${LABELS.en.refusalReason(entry.reason, null)} ${entry.count}`,
      );
      expect(page).toContain(`By reason: ${reasons.join(" · ")}`);
    },
    RENDER_TIMEOUT,
  );

  it(
    "says it in Polish in a Polish report",
    async () => {
      const page = await methodologyPage("pl");
      expect(page).toContain(`Odrzucono ${refusals.refused} z ${refusals.refused + refusals.accepted} szkiców person`);
      const reasons = refusals.byReason.map(
        (entry) => `${entry.dimension === "diet" ? "diet (wymiar własny)" : entry.dimension} ${entry.count}`,
      );
      expect(page).toContain(`Według powodu: ${reasons.join(" · ")}`);
    },
    RENDER_TIMEOUT,
  );
});
