import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYNTHETIC_DATA_LABEL, type ProgressLabel } from "../../src/shared/contract";
import type { PlanId } from "../../src/shared/domain/plans";
import { producePdf } from "../../src/main/services/exports/pdf";
import { LABELS } from "../../src/main/services/exports/pdf/labels";
import { newId } from "../../src/main/services/ids";
import { BUILT_WORKER_FILE, locateWorker, runWorker } from "../../src/main/services/exports/pdf/worker-host";
import type { ExportRequest, ProduceContext, StudyState } from "../../src/main/services/exports/types";
import {
  FG_MODEL,
  FG_QUESTIONS,
  FG_SEED,
  OPEN_QUOTE,
  OPEN_THEME,
  PANGRAM,
  PERSONA_MODEL,
  PERSONA_SEED,
  POLISH_NAME,
  RECOMMENDATION_TITLE,
  SURVEY_MODEL,
  TARGET,
  THEME_QUOTE,
  THEME_TITLE,
  seedDraftFocusGroup,
  seedFocusGroup,
  seedPersonas,
  seedProject,
  seedSurvey,
  type SeededPersona,
} from "../support/pdf-fixtures";
import { pdfInfo, pdfPages, pdfText, qpdfCheck, squash } from "../support/pdf-tools";
import { runPython } from "../support/python";
import { startTestApp, tempDir, type TestApp } from "../support/services";

// Each render starts a worker thread and lays a report out: seconds, more on a busy machine.
const RENDER_TIMEOUT = 180_000;
const NOW = new Date("2026-03-05T10:00:00Z");

let app: TestApp;
let out: string;
let projectId: string;
let personas: SeededPersona[];
let pausedGroup: { id: string; messageCount: number };
let completedGroup: { id: string; messageCount: number };
let survey: Awaited<ReturnType<typeof seedSurvey>>;
let studies: Record<"paused" | "completed" | "survey", StudyState>;

beforeAll(async () => {
  app = await startTestApp({ plan: "enterprise" });
  out = tempDir("sight-pdf-test-");
  const db = app.services.db;
  projectId = await seedProject(db);
  personas = await seedPersonas(db, projectId, 6);
  pausedGroup = await seedFocusGroup(db, projectId, personas, { status: "paused" });
  completedGroup = await seedFocusGroup(db, projectId, personas.slice(0, 4), { name: "Grupa ukończona" });
  survey = await seedSurvey(db, projectId, personas, { questions: 8 });
  await seedLiveProbes(pausedGroup.id, PROBES_EN);
  await seedLiveProbes(completedGroup.id, [PROBE_PL]);
  studies = {
    paused: {
      kind: "focusGroup",
      id: pausedGroup.id,
      name: "Mleko owsiane: przejście",
      status: "paused",
      partial: true,
    },
    completed: {
      kind: "focusGroup",
      id: completedGroup.id,
      name: "Grupa ukończona",
      status: "completed",
      partial: false,
    },
    survey: { kind: "survey", id: survey.id, name: "Nawyki śniadaniowe", status: "completed", partial: false },
  };
});

afterAll(async () => {
  await app?.close();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

interface Produced {
  file: string;
  progress: { done: number; total: number; label: ProgressLabel }[];
}

function context(
  request: Partial<ExportRequest> & Pick<ExportRequest, "scope">,
  options: { studies?: StudyState[]; plan?: PlanId; language?: "en" | "pl"; signal?: AbortSignal } & Partial<
    ExportRequest["options"]
  > = {},
): ProduceContext & { recorded: Produced["progress"] } {
  const recorded: Produced["progress"] = [];
  const included = options.studies ?? [];
  return {
    db: app.services.db,
    request: {
      projectId,
      format: "pdf",
      ids: [],
      ...request,
      options: {
        csvLayout: "long",
        bom: false,
        language: options.language ?? "en",
        includeTranscript: options.includeTranscript ?? true,
        includePersonas: options.includePersonas ?? true,
      },
    },
    studies: included,
    partial: included.some((s) => s.partial),
    plan: options.plan ?? "professional",
    now: NOW,
    appVersion: "9.8.7-test",
    signal: options.signal ?? new AbortController().signal,
    progress: (done, total, label) => recorded.push({ done, total, label }),
    recorded,
  };
}

async function produce(name: string, ctx: ReturnType<typeof context>): Promise<Produced> {
  const file = path.join(out, `${name}.pdf`);
  await producePdf(ctx, file);
  return { file, progress: ctx.recorded };
}

/** The page (1-based) whose first lines, under the running header, hold `title`. */
function headingPage(pages: string[], title: string): number {
  const index = pages.findIndex((text, i) => {
    if (i < 2) return false; // cover and contents
    const lines = text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    return lines.slice(1, 6).includes(title);
  });
  return index + 1;
}

/** χ² and p as scipy computes them (goodness of fit, or independence without continuity correction). */
function scipy<T>(script: string, input: unknown): T {
  return runPython<T>(`import json, sys\nfrom scipy import stats\ndata = json.load(sys.stdin)\n${script}`, input);
}

/**
 * Probes co-moderators whispered in a live session, saved as the discussion job saves them after
 * the last question's discussion: the moderator's line (followup, round discussionRounds + 2,
 * suggestedBy set), then every participant's answer replying to it.
 */
async function seedLiveProbes(focusGroupId: string, probes: { suggestedBy: string; text: string }[]) {
  const { prisma } = app.services.db;
  const group = await prisma.focusGroup.findUniqueOrThrow({ where: { id: focusGroupId } });
  const participants = await prisma.persona.findMany({
    where: { id: { in: JSON.parse(group.participantIds) as string[] } },
    orderBy: { id: "asc" },
  });
  const last = await prisma.focusGroupMessage.findFirstOrThrow({ where: { focusGroupId }, orderBy: { seq: "desc" } });
  const questionIndex = FG_QUESTIONS.length - 1;
  let seq = last.seq;
  const at = () => new Date(last.createdAt.getTime() + (seq - last.seq) * 60_000);
  for (const [n, probe] of probes.entries()) {
    seq++;
    const probeId = newId(at().getTime());
    const askedId = newId(at().getTime() + 1);
    await prisma.focusGroupMessage.create({
      data: {
        id: askedId,
        focusGroupId,
        seq,
        unitKey: `q${questionIndex}/probe/${probeId}`,
        questionIndex,
        round: 3,
        phase: "followup",
        speakerType: "moderator",
        speakerName: "Moderator",
        text: probe.text,
        suggestedBy: probe.suggestedBy,
        createdAt: at(),
      },
    });
    for (const persona of participants) {
      seq++;
      await prisma.focusGroupMessage.create({
        data: {
          id: newId(at().getTime() + 2),
          focusGroupId,
          seq,
          unitKey: `q${questionIndex}/probe/${probeId}/${persona.id}`,
          questionIndex,
          round: 3,
          phase: "followup_answer",
          speakerType: "persona",
          personaId: persona.id,
          speakerName: persona.name,
          replyToId: askedId,
          text: `${persona.name.split(" ")[0]} on probe ${n + 1}.`,
          sentiment: 0,
          createdAt: at(),
        },
      });
    }
  }
}

const PROBES_EN = [
  { suggestedBy: "Maja (brand)", text: "Would a smaller pack change your mind?" },
  { suggestedBy: "Tomek (insights)", text: "Does a promotion price change anything?" },
];
const PROBE_PL = { suggestedBy: "Maja (brand)", text: "Czy mniejsze opakowanie by pomogło?" };

const fixed = (value: number, digits: number) => value.toFixed(digits);
const pFixed = (p: number) => (p < 0.001 ? "< 0.001" : p.toFixed(3));

describe("a focus group report (English, Free plan, a paused study)", () => {
  let report: Produced;
  let pages: string[];
  let text: string;

  beforeAll(async () => {
    report = await produce(
      "focus-group-en",
      context({ scope: "focusGroup", ids: [pausedGroup.id] }, { studies: [studies.paused], plan: "free" }),
    );
    pages = pdfPages(report.file);
    text = squash(pages.join("\n"));
  }, RENDER_TIMEOUT);

  it("keeps Polish text exact: the pangram, a Polish persona name, the theme, its quote and who said it", () => {
    expect(text).toContain(PANGRAM);
    expect(text).toContain(POLISH_NAME);
    expect(text).toContain(THEME_TITLE);
    expect(text).toContain(squash(`“${THEME_QUOTE}”`));
    // The quote is attributed to the persona's name and key demographics.
    const lucja = personas[0]!;
    expect(text).toContain(`— ${POLISH_NAME}, ${lucja.age}, ${lucja.gender}, ${lucja.location}`);
    expect(text).toContain(RECOMMENDATION_TITLE);
  });

  it("transcribes every question with the moderator's probes and follow-ups", () => {
    for (const item of FG_QUESTIONS) expect(text).toContain(item.question);
    expect(text).toContain("Moderator's probes");
    expect(text).toContain("Zapytaj o cenę");
    expect(text).toContain("Follow-up on question 1: why?");
    expect(text).toContain("Follow-up on question 2: why?");
    expect(text).toContain(`${personas[0]!.name} · Discussion round 1 · replying to ${personas[1]!.name}`);
  });

  it("attributes each co-moderator's probe on the moderator's line that asked it", () => {
    for (const probe of PROBES_EN)
      expect(text).toContain(`Moderator · probe suggested by ${probe.suggestedBy} ${probe.text}`);
    // The participants' answers follow it; the moderator's own follow-ups stay unattributed.
    expect(text).toContain(`${personas[0]!.name.split(" ")[0]} on probe 1.`);
    expect(text).toContain("Moderator · Follow-up Follow-up on question 2: why?");
    expect(text.match(/probe suggested by/g)).toHaveLength(PROBES_EN.length);
  });

  it("passes qpdf --check without errors", () => {
    const check = qpdfCheck(report.file);
    expect(check.output).toContain("No syntax or stream encoding errors found");
    expect(check.status).toBe(0);
  });

  it("carries title, author, subject, keywords, creator and producer in its metadata", () => {
    const { fields } = pdfInfo(report.file);
    expect(fields.Title).toBe("Focus group report: Mleko owsiane: przejście");
    expect(fields.Author).toBe("Sight");
    expect(fields.Subject).toContain("Napoje roślinne");
    expect(fields.Subject).toContain(SYNTHETIC_DATA_LABEL);
    expect(fields.Keywords).toContain("synthetic data");
    expect(fields.Creator).toBe("Sight 9.8.7-test");
    expect(fields.Producer).toBe("Sight 9.8.7-test");
    expect(fields["Page size"]).toContain("(A4)");
  });

  it("numbers every page 'Page n of N' and labels every page as synthetic data", () => {
    const total = pdfInfo(report.file).pages;
    expect(total).toBeGreaterThanOrEqual(10);
    expect(pages).toHaveLength(total);
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${total}`);
      expect(squash(page)).toContain(SYNTHETIC_DATA_LABEL);
    });
  });

  it("marks every page of a Free plan export with 'Sight Free'", () => {
    for (const page of pages) expect(page).toContain("Sight Free");
  });

  it("labels the paused study partial on the cover and on its section", () => {
    const banner = "Partial: this study did not finish (paused).";
    expect(pages[0]).toContain(banner);
    const overview = headingPage(pages, "Mleko owsiane: przejście");
    expect(overview).toBeGreaterThan(2);
    expect(pages[overview - 1]).toContain(banner);
  });

  it("lists each section in the contents with the page it starts on", () => {
    const contents = pdfText(report.file, 2, { layout: true });
    const entries = [...contents.matchAll(/^\s*(\S.*?)\s{2,}(\d+)\s*$/gm)].map((m) => ({
      title: m[1]!,
      page: Number(m[2]),
    }));
    expect(entries.map((e) => e.title)).toEqual([
      "Mleko owsiane: przejście",
      "Themes",
      "Sentiment",
      "Agreement, disagreement and segments",
      "Recommendations",
      "Transcript",
      "Methodology and disclosure",
      "Persona appendix",
    ]);
    for (const entry of entries) expect({ title: entry.title, page: headingPage(pages, entry.title) }).toEqual(entry);
  });

  it("charts each participant's mean sentiment, as the stored scores average", async () => {
    const rows = await app.services.db.prisma.focusGroupMessage.findMany({
      where: { focusGroupId: pausedGroup.id, personaId: personas[0]!.id },
      select: { sentiment: true },
    });
    const scores = rows.map((r) => r.sentiment!);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const sentimentPage = pages[headingPage(pages, "Sentiment") - 1]!;
    expect(sentimentPage).toContain("Mean sentiment by participant");
    expect(squash(sentimentPage)).toContain(
      `${POLISH_NAME} ${mean < 0 ? "−" : "+"}${fixed(Math.abs(mean), 2)} (${scores.length})`,
    );
  });

  it("states the model, the seed and the validation p-values (as scipy computes them) on the methodology page", () => {
    const methodology = squash(pages[headingPage(pages, "Methodology and disclosure") - 1]!);
    // The discussion as its run recorded it; the analysis fixture predates the records.
    expect(methodology).toContain(
      `Model · Discussion ${FG_MODEL} (answered as ${FG_MODEL}-001) via Gemini, temperature 0.7, seed ${FG_SEED}, prompts focus-groups/1, 12 calls`,
    );
    expect(methodology).toContain(
      `Model · Analysis not recorded (run by a Sight version that did not record models); it asked for ${FG_MODEL}`,
    );
    expect(methodology).toContain(`Seed ${FG_SEED}`);
    expect(methodology).toContain(`6 personas generated by ${PERSONA_MODEL}, seed ${PERSONA_SEED}`);
    expect(methodology).toContain("Every participant and respondent in this report is an AI persona");
    expect(methodology).toContain(
      "2 probes were suggested by co-moderators in a live session and asked by the moderator.",
    );
    for (const [dimension, weights] of Object.entries(TARGET)) {
      const categories = Object.keys(weights);
      const observed = categories.map((c) => personas.filter((p) => p.demographics[dimension] === c).length);
      const expected = categories.map((c) => weights[c as keyof typeof weights] * personas.length);
      const [statistic, p] = scipy<[number, number]>(
        "r = stats.chisquare(data['observed'], data['expected'])\nprint(json.dumps([float(r.statistic), float(r.pvalue)]))",
        { observed, expected },
      );
      const label = dimension === "age_group" ? "Age group" : "Gender";
      expect(methodology).toMatch(new RegExp(`${label} .*? ${fixed(statistic, 2)} 1 ${pFixed(p).replace(".", "\\.")}`));
    }
  });

  it("reports progress from reading the data to done", () => {
    const { progress } = report;
    expect(progress[0]).toEqual({ done: 0, total: 3, label: { key: "exports.reading", params: {} } });
    expect(progress[1]).toEqual({ done: 1, total: 3, label: { key: "exports.layout", params: { pages: 0 } } });
    // The worker reports the pages it has laid out, then the pages it writes: the report's own count.
    const pages = progress.filter((p) => p.label.key === "exports.writing").map((p) => p.label.params);
    expect(pages).toEqual([{ pages: pdfInfo(report.file).pages }]);
    expect(progress[progress.length - 1]).toEqual({ done: 3, total: 3, label: { key: "exports.done", params: {} } });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
  });
});

describe("a focus group report in Polish on the Professional plan (a completed study)", () => {
  let pages: string[];
  let text: string;

  beforeAll(async () => {
    const report = await produce(
      "focus-group-pl",
      context({ scope: "focusGroup", ids: [completedGroup.id] }, { studies: [studies.completed], language: "pl" }),
    );
    pages = pdfPages(report.file);
    text = squash(pages.join("\n"));
    expect(qpdfCheck(report.file).status).toBe(0);
  }, RENDER_TIMEOUT);

  it("prints every fixed label in Polish, diacritics exact", () => {
    const pl = LABELS.pl;
    for (const label of [
      pl.executiveSummary,
      pl.themes,
      pl.sentimentByPersona,
      pl.transcript,
      pl.methodology,
      pl.appendix,
      pl.disclosureTitle,
      pl.syntheticData,
    ])
      expect(text).toContain(label);
    expect(text).toContain("Raport z grupy fokusowej");
    expect(text).toContain(PANGRAM);
    expect(text).toContain(POLISH_NAME);
    expect(text).toContain(`„${squash(THEME_QUOTE)}”`);
    expect(text).not.toContain("Executive summary");
  });

  it("attributes the co-moderator's probe in Polish and counts it on the methodology page", () => {
    expect(text).toContain(
      `Moderator · pytanie zaproponowane przez współmoderatora: ${PROBE_PL.suggestedBy} ${PROBE_PL.text}`,
    );
    const methodology = squash(pages[headingPage(pages, LABELS.pl.methodology) - 1]!);
    expect(methodology).toContain("1 pytanie zaproponował współmoderator podczas sesji na żywo, a zadał je moderator.");
  });

  it("numbers pages in Polish and formats numbers with a decimal comma", () => {
    const total = pages.length;
    pages.forEach((page, i) => expect(page).toContain(`Strona ${i + 1} z ${total}`));
    expect(text).toMatch(/Temperatura 0,7/);
  });

  it("has no 'Sight Free' mark on a paid plan and no partial label for a finished study", () => {
    expect(text).not.toContain("Sight Free");
    expect(text).not.toContain("Częściowe");
  });
});

describe("a survey report", () => {
  let pages: string[];
  let text: string;
  const answers = () => personas.map((_, i) => i); // the fixture's answers are a pattern of the persona index

  beforeAll(async () => {
    const report = await produce(
      "survey-en",
      context({ scope: "survey", ids: [survey.id] }, { studies: [studies.survey] }),
    );
    pages = pdfPages(report.file);
    text = squash(pages.join("\n"));
    expect(qpdfCheck(report.file).status).toBe(0);
  }, RENDER_TIMEOUT);

  const questionPage = (number: number) => {
    const question = survey.questions[number - 1]!;
    const page = headingPage(pages, question.text);
    expect(page).toBeGreaterThan(2);
    return squash(pages[page - 1]!);
  };

  it("gives each question a page with its text, how many answered and each option's share", () => {
    const page = questionPage(1);
    expect(page).toContain("Question 1 · Multiple choice".toUpperCase());
    expect(page).toContain(`${personas.length} of ${personas.length} respondents answered`);
    // The fixture's choice: option 0 when i % 3 === 0, else option i % 4.
    const options = survey.questions[0]!.options!;
    const chosen = answers().map((i) => options[i % 3 === 0 ? 0 : i % 4]!);
    for (const option of options) {
      const count = chosen.filter((c) => c === option).length;
      expect(page).toContain(`${option} ${fixed((count / personas.length) * 100, 0)}% (${count})`);
    }
  });

  it("states a rating question's n, mean, median and standard deviation", () => {
    const values = answers().map((i) => 1 + (i % 5));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sorted = [...values].sort((a, b) => a - b);
    const median = (sorted[2]! + sorted[3]!) / 2;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    expect(questionPage(2)).toContain(
      `${values.length} ${fixed(mean, 2)} ${fixed(median, 1)} ${fixed(sd, 2)} ${Math.min(...values)} ${Math.max(...values)}`,
    );
  });

  it("ranks items by mean rank with their Borda scores", () => {
    // Even personas rank the items in order, odd ones in reverse: every item averages 2.5, Borda 9.
    const page = questionPage(4);
    for (const item of survey.questions[3]!.items!) expect(page).toMatch(new RegExp(`${item} 2\\.50 9 (50|0)%`));
  });

  it("shows an open question's themes with quotes attributed to the persona", () => {
    const page = questionPage(3);
    expect(page).toContain(OPEN_THEME);
    expect(page).toContain(`“${OPEN_QUOTE}”`);
    expect(page).toContain(`— ${POLISH_NAME}, ${personas[0]!.age}, female, ${personas[0]!.location}`);
  });

  it("cross-tabulates by every target dimension with χ², df and p as scipy computes them, and warns of small counts", () => {
    const question = survey.questions[0]!;
    const options = question.options!;
    for (const [dimension, weights] of Object.entries(TARGET)) {
      const categories = Object.keys(weights);
      const table = options
        .map((option) =>
          categories.map(
            (c) =>
              personas.filter((p, i) => p.demographics[dimension] === c && options[i % 3 === 0 ? 0 : i % 4] === option)
                .length,
          ),
        )
        .filter((row) => row.some((n) => n > 0));
      const [statistic, p, df] = scipy<[number, number, number]>(
        "r = stats.chi2_contingency(data, correction=False)\nprint(json.dumps([float(r[0]), float(r[1]), int(r[2])]))",
        table,
      );
      expect(questionPage(1)).toContain(`By ${dimension.replace("_", " ")}`);
      expect(questionPage(1)).toContain(`χ² = ${fixed(statistic, 2)} · df = ${df} · p = ${pFixed(p)}`);
    }
    expect(questionPage(1)).toContain("Some expected counts are below 5");
  });

  it("names the model that answered on the methodology page", () => {
    const methodology = squash(pages[headingPage(pages, "Methodology and disclosure") - 1]!);
    expect(methodology).toContain(
      `Survey: Nawyki śniadaniowe Model · Answers ${SURVEY_MODEL} via Gemini, temperature 0.7, no seed, prompts surveys/1, 6 calls Respondents ${personas.length}`,
    );
  });

  it("lists no transcript and no partial label", () => {
    expect(text).not.toContain("Transcript");
    expect(text).not.toContain("Partial:");
    expect(text).not.toContain("live session");
  });
});

describe("a persona appendix", () => {
  it(
    "holds exactly the personas asked for, with demographics, Big Five, values and story",
    async () => {
      const chosen = [personas[0]!, personas[3]!];
      const report = await produce("personas", context({ scope: "personas", ids: chosen.map((p) => p.id) }));
      const text = squash(pdfText(report.file));
      expect(pdfInfo(report.file).fields.Title).toBe("Persona appendix: Napoje roślinne");
      for (const p of chosen) expect(text).toContain(p.name);
      for (const p of personas.filter((p) => !chosen.includes(p))) expect(text).not.toContain(p.name);
      expect(text).toContain(`${POLISH_NAME} ${personas[0]!.age} · female · Kraków · nauczycielka`);
      expect(text).toContain("Gender: female · Age group: 18-34");
      expect(text).toContain("Big Five personality Openness Conscientiousness Extraversion Agreeableness Neuroticism");
      expect(text).toContain("Values: rodzina, zdrowie, value 0");
      expect(text).toContain(`„${PANGRAM}”`);
      expect(text).toContain("Methodology and disclosure");
    },
    RENDER_TIMEOUT,
  );
});

describe("a project report", () => {
  it(
    "holds every study (one that never ran saying so), the appendix and, without the transcript option, no transcript",
    async () => {
      const draft = await seedDraftFocusGroup(app.services.db, projectId, personas.slice(0, 2), "Szkic bez danych");
      const draftState: StudyState = {
        kind: "focusGroup",
        id: draft.id,
        name: "Szkic",
        status: "draft",
        partial: false,
      };
      const report = await produce(
        "project",
        context(
          { scope: "project" },
          {
            studies: [studies.paused, studies.completed, studies.survey, draftState],
            includeTranscript: false,
            language: "pl",
          },
        ),
      );
      const pages = pdfPages(report.file);
      const text = squash(pages.join("\n"));
      for (const name of ["Mleko owsiane: przejście", "Grupa ukończona", "Nawyki śniadaniowe", "Szkic bez danych"])
        expect(text).toContain(name);
      const draftPage = squash(pages[headingPage(pages, "Szkic bez danych") - 1]!);
      expect(draftPage).toContain("Zebrane dane brak danych");
      expect(draftPage).toContain(LABELS.pl.notAnalysed);
      expect(squash(pages[0]!)).toContain("Częściowe: część danych pochodzi z badania, które nie zostało ukończone.");
      expect(text).toContain("Aneks: persony");
      expect(text).not.toContain(LABELS.pl.transcript);
      expect(text).not.toContain("Follow-up on question 1: why?");
      // Without the transcript the methodology still counts each group's live probes; a group without any says nothing.
      expect(text).not.toContain("pytanie zaproponowane przez współmoderatora");
      expect(text).toContain("2 pytania zaproponowali współmoderatorzy podczas sesji na żywo, a zadał je moderator.");
      expect(text).toContain("1 pytanie zaproponował współmoderator podczas sesji na żywo, a zadał je moderator.");
      expect(text.match(/podczas sesji na żywo/g)).toHaveLength(2);
      expect(pdfInfo(report.file).fields.Title).toBe("Raport projektu: Napoje roślinne");
    },
    RENDER_TIMEOUT,
  );
});

describe("cancelling and failing", () => {
  it(
    "rejects with CANCELLED and leaves no file when aborted while the worker lays out",
    async () => {
      const controller = new AbortController();
      const ctx = context(
        { scope: "survey", ids: [survey.id] },
        { studies: [studies.survey], signal: controller.signal },
      );
      const progress = ctx.progress;
      // The first "laying out" report is the producer's own, before the worker starts; the next comes from the worker.
      let layoutReports = 0;
      ctx.progress = (done, total, label) => {
        progress(done, total, label);
        if (done === 1 && ++layoutReports === 2) controller.abort();
      };
      const file = path.join(out, "aborted.pdf");
      await expect(producePdf(ctx, file)).rejects.toMatchObject({ code: "CANCELLED" });
      expect(layoutReports).toBe(2);
      expect(ctx.recorded.some((p) => p.done >= 2)).toBe(false);
      expect(fs.existsSync(file)).toBe(false);
    },
    RENDER_TIMEOUT,
  );

  it("terminates the worker on abort: a worker about to write never does", async () => {
    const target = path.join(out, "late-write.txt");
    const code = `
      const { parentPort, workerData } = require("node:worker_threads");
      const fs = require("node:fs");
      parentPort.postMessage({ type: "progress", stage: "layout", pages: 1 });
      setTimeout(() => {
        fs.writeFileSync(workerData.target, "written after the abort");
        parentPort.postMessage({ type: "done", pages: 1, bytes: 1 });
      }, 400);`;
    const controller = new AbortController();
    const run = runWorker({ model: {} as never, target }, controller.signal, () => controller.abort(), {
      kind: "eval",
      code,
    });
    await expect(run).rejects.toMatchObject({ code: "CANCELLED" });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(fs.existsSync(target)).toBe(false);
  });

  it("refuses an export aborted before it starts, without reading or writing anything", async () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = context({ scope: "personas" }, { signal: controller.signal });
    const file = path.join(out, "never.pdf");
    await expect(producePdf(ctx, file)).rejects.toMatchObject({ code: "CANCELLED" });
    expect(ctx.recorded).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
  });

  it(
    "keeps the file system's error code when the target cannot be created",
    async () => {
      const file = path.join(out, "exists.pdf");
      fs.writeFileSync(file, "someone else's file");
      await expect(producePdf(context({ scope: "personas", ids: [personas[1]!.id] }), file)).rejects.toMatchObject({
        code: "EEXIST",
      });
      expect(fs.readFileSync(file, "utf8")).toBe("someone else's file");
    },
    RENDER_TIMEOUT,
  );

  it("rejects with INTERNAL when the worker stops without finishing", async () => {
    const run = runWorker(
      { model: {} as never, target: path.join(out, "x.pdf") },
      new AbortController().signal,
      () => {},
      {
        kind: "eval",
        code: "process.exit(3)",
      },
    );
    await expect(run).rejects.toMatchObject({ code: "INTERNAL" });
  });

  it("refuses personas that are not in the project with NOT_FOUND", async () => {
    await expect(
      producePdf(context({ scope: "personas", ids: ["nope"] }), path.join(out, "missing.pdf")),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("finding the layout worker", () => {
  it("runs worker.ts through tsx's ESM loader when running from TypeScript sources", () => {
    const moduleUrl = pathToFileURL(path.resolve(__dirname, "../../src/main/services/exports/pdf/worker-host.ts")).href;
    const spec = locateWorker(moduleUrl);
    expect(spec.kind).toBe("eval");
    const code = spec.kind === "eval" ? spec.code : "";
    const urls = [...code.matchAll(/"(file:[^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(2);
    expect(urls[0]).toMatch(/tsx\/dist\/esm\/api\/index\.mjs$/);
    expect(fs.existsSync(new URL(urls[0]!))).toBe(true);
    expect(urls[1]).toBe(pathToFileURL(path.resolve(__dirname, "../../src/main/services/exports/pdf/worker.ts")).href);
  });

  it("finds the built pdf-worker.js beside the main bundle, from index.js or from a chunk below it", () => {
    const dir = tempDir("sight-pdf-worker-");
    try {
      fs.mkdirSync(path.join(dir, "chunks"));
      fs.writeFileSync(path.join(dir, BUILT_WORKER_FILE), "");
      const expected = { kind: "file", file: path.join(dir, BUILT_WORKER_FILE) };
      expect(locateWorker(pathToFileURL(path.join(dir, "index.js")).href)).toEqual(expected);
      expect(locateWorker(pathToFileURL(path.join(dir, "chunks", "shared-1a2b.js")).href)).toEqual(expected);
      fs.rmSync(path.join(dir, BUILT_WORKER_FILE));
      expect(() => locateWorker(pathToFileURL(path.join(dir, "index.js")).href)).toThrow(/pdf-worker\.js/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("report labels", () => {
  it("exist in English and Polish for every key, none empty", () => {
    const flatten = (value: unknown): string[] =>
      typeof value === "string"
        ? [value]
        : typeof value === "function"
          ? [String((value as (...args: unknown[]) => unknown)(2, 5))]
          : Array.isArray(value)
            ? value.flatMap(flatten)
            : Object.values(value as object).flatMap(flatten);
    expect(Object.keys(LABELS.pl).sort()).toEqual(Object.keys(LABELS.en).sort());
    for (const key of Object.keys(LABELS.en) as (keyof typeof LABELS.en)[]) {
      const en = flatten(LABELS.en[key]);
      const pl = flatten(LABELS.pl[key]);
      expect(pl.length, key).toBe(en.length);
      for (const value of [...en, ...pl]) expect(value.trim().length, key).toBeGreaterThan(0);
    }
    expect(LABELS.en.syntheticData).toBe(SYNTHETIC_DATA_LABEL);
  });
});
