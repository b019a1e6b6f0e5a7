/**
 * Issue 5 benchmark, PDF report: a survey of 100 personas × 20 questions (2,000 answers, five of
 * the questions open-ended with themes and quotes) with its cross-tabs by every target dimension,
 * the methodology page and the 100-persona appendix, seeded into a temporary data folder.
 *
 * - Time of `producePdf` (read the data, lay out in the worker thread, write the file), target ≤ 15 s,
 *   with the main event loop's lag meanwhile (p99 < 50 ms: layout must not block it).
 * - Peak RSS of this process, worker thread included (`process.resourceUsage().maxRSS`), beside
 *   the RSS before the export (Node, tsx, Prisma, libsql and the seeded services).
 * - Baseline, same run: Chromium (Debian's, through playwright-core) printing the same report model
 *   rendered as plain HTML with the same fonts, `page.pdf()` with page numbers in the footer; the
 *   browser's launch is timed apart from the print.
 *
 * The machines are shared 2-core boxes: the load average and the CPU time the export used are
 * written beside the wall time, so a slow figure can be told from a busy machine.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { createServices } from "../src/main/services/create-services";
import { producePdf, readReportModel, type ReportModel } from "../src/main/services/exports/pdf";
import { formatter } from "../src/main/services/exports/pdf/format";
import { LABELS } from "../src/main/services/exports/pdf/labels";
import type { ProduceContext } from "../src/main/services/exports/types";
import { silentLogger } from "../src/main/services/logger";
import { createMemorySecretStore } from "../src/main/services/secrets/secret-store";
import { createMemoryPreferencesStore } from "../src/main/services/settings/preferences-store";
import { seedPersonas, seedProject, seedSurvey } from "../tests/support/pdf-fixtures";
import { target, withLoopLag, writeResult } from "./lib";

const PERSONAS = 100;
const QUESTIONS = 20;
const root = path.resolve(import.meta.dirname, "..");
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-bench-pdf-"));
const services = await createServices({
  dataDir,
  migrationsDir: path.join(root, "prisma", "migrations"),
  host: "headless",
  version: "bench",
  logger: silentLogger,
  preferences: createMemoryPreferencesStore(),
  secrets: createMemorySecretStore(),
  plan: "enterprise",
});
const db = services.db;
const projectId = await seedProject(db, "Benchmark: plant drinks");
const personas = await seedPersonas(db, projectId, PERSONAS);
const survey = await seedSurvey(db, projectId, personas, { name: "Breakfast habits", questions: QUESTIONS });
const answers = (await db.prisma.surveyResponse.findMany({ select: { answers: true } })).reduce(
  (sum, row) => sum + Object.keys(JSON.parse(row.answers) as object).length,
  0,
);

const ctx: ProduceContext = {
  db,
  request: {
    projectId,
    format: "pdf",
    scope: "survey",
    ids: [survey.id],
    options: { csvLayout: "long", bom: false, language: "en", includeTranscript: true, includePersonas: true },
  },
  studies: [{ kind: "survey", id: survey.id, name: "Breakfast habits", status: "completed", partial: false }],
  partial: false,
  plan: "professional",
  now: new Date(),
  appVersion: "bench",
  signal: new AbortController().signal,
  progress: () => undefined,
};

// ---------------------------------------------------------------------------------------------
// Sight: producePdf (main thread reads, worker thread lays out and writes).

const pdfFile = path.join(dataDir, "report.pdf");
const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
const loadBefore = os.loadavg()[0]!;
const cpuBefore = process.cpuUsage();
const started = performance.now();
const { p99Ms, maxMs } = await withLoopLag(() => producePdf(ctx, pdfFile));
const pdfMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const maxRssMb = process.resourceUsage().maxRSS / 1024;
const loadAfter = os.loadavg()[0]!;
const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdfFile], { encoding: "utf8" }))?.[1]);
const pdfBytes = fs.statSync(pdfFile).size;

// ---------------------------------------------------------------------------------------------
// Baseline: Chromium printing the same report model from HTML.

const model = await readReportModel(ctx);
const html = renderHtml(model);
const chromiumPath = execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
const { chromium } = await import("playwright-core");
const launchStarted = performance.now();
const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
const launchMs = performance.now() - launchStarted;
const htmlFile = path.join(dataDir, "report-chromium.pdf");
let chromiumMs: number;
let chromiumPages: number;
try {
  const page = await browser.newPage();
  const printStarted = performance.now();
  await page.setContent(html, { waitUntil: "load" });
  await page.pdf({
    path: htmlFile,
    format: "A4",
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: "<span></span>",
    footerTemplate: `<div style="font-size:7px;width:100%;padding:0 50px;color:#6b7280;display:flex;justify-content:space-between"><span>${escape(
      LABELS.en.syntheticData,
    )}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
    margin: { top: "64px", bottom: "70px", left: "50px", right: "50px" },
  });
  chromiumMs = performance.now() - printStarted;
  chromiumPages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [htmlFile], { encoding: "utf8" }))?.[1]);
} finally {
  await browser.close();
}

writeResult({
  name: "exports-pdf",
  metrics: {
    personas: PERSONAS,
    questions: QUESTIONS,
    answers,
    pages,
    pdf_bytes: pdfBytes,
    pdf_ms: pdfMs,
    pdf_cpu_ms: (cpu.user + cpu.system) / 1000,
    event_loop_lag_p99_ms: p99Ms,
    event_loop_lag_max_ms: maxMs,
    peak_rss_mb: maxRssMb,
    rss_before_export_mb: rssBeforeMb,
    chromium_print_ms: chromiumMs,
    chromium_launch_ms: launchMs,
    chromium_pages: chromiumPages,
    ratio_to_chromium_print: pdfMs / chromiumMs,
    load_average_before: loadBefore,
    load_average_after: loadAfter,
  },
  targets: {
    pdf_ms: target(pdfMs, 15_000),
    event_loop_lag_p99_ms: target(p99Ms, 50),
  },
  notes: [
    `${PERSONAS} personas × ${QUESTIONS} questions (${answers} answers; every 4th question open-ended with themes), cross-tabs by ${
      Object.keys(
        JSON.parse((await db.prisma.project.findUniqueOrThrow({ where: { id: projectId } })).targetDemographics),
      ).length
    } dimensions, methodology page and the ${PERSONAS}-persona appendix`,
    "pdf_ms: producePdf from TypeScript sources (the worker runs worker.ts through tsx, as under vitest and the tsx-run headless host); pdf_cpu_ms: CPU time of the whole process meanwhile",
    "baseline: Chromium prints the same report model rendered as HTML with the same Noto Sans files (page.pdf(), page numbers in the footer); chromium_launch_ms is apart",
    `load average (1 min) ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${os.cpus().length} cores while measuring`,
  ],
});

await services.close();
fs.rmSync(dataDir, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// The HTML rendering of a report model for the Chromium baseline: the same content, plain CSS.

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fontFaces(): string {
  const require = createRequire(import.meta.url);
  const faces = [
    ["400Regular/NotoSans_400Regular.ttf", 400, "normal"],
    ["400Regular_Italic/NotoSans_400Regular_Italic.ttf", 400, "italic"],
    ["700Bold/NotoSans_700Bold.ttf", 700, "normal"],
    ["700Bold_Italic/NotoSans_700Bold_Italic.ttf", 700, "italic"],
  ] as const;
  return faces
    .map(([file, weight, style]) => {
      const data = fs.readFileSync(require.resolve(`@expo-google-fonts/noto-sans/${file}`)).toString("base64");
      return `@font-face{font-family:"Noto Sans";font-weight:${weight};font-style:${style};src:url(data:font/ttf;base64,${data}) format("truetype")}`;
    })
    .join("\n");
}

function renderHtml(report: ReportModel): string {
  const t = LABELS[report.language];
  const fmt = formatter(report.language);
  const e = escape;
  const bars = (rows: { label: string; fraction: number; display: string }[]) =>
    `<div class="bars">${rows
      .map(
        (row) =>
          `<div class="bar"><span>${e(row.label)}</span><i><b style="width:${(Math.max(0, Math.min(1, row.fraction)) * 100).toFixed(1)}%"></b></i><em>${e(row.display)}</em></div>`,
      )
      .join("")}</div>`;
  const table = (head: string[], rows: string[][]) =>
    `<table><tr>${head.map((h) => `<th>${e(h)}</th>`).join("")}</tr>${rows
      .map((row) => `<tr>${row.map((cell) => `<td>${e(cell)}</td>`).join("")}</tr>`)
      .join("")}</table>`;
  const sections = report.sections
    .map((section) => {
      if (section.kind !== "survey") return "";
      const questions = section.questions
        .map((q) => {
          const r = q.result;
          const counts = r.counts.map((c) => ({
            label: c.value,
            fraction: c.percent / 100,
            display: `${fmt.percent(c.percent)} (${c.count})`,
          }));
          const body = [
            r.type === "open_ended" ? "" : bars(counts),
            r.rating
              ? table(
                  [t.statN, t.statMean, t.statMedian, t.statSd, t.statMin, t.statMax],
                  [
                    [
                      String(r.answered),
                      fmt.number(r.rating.mean),
                      fmt.number(r.rating.median, 1),
                      fmt.number(r.rating.stdDev),
                      String(r.rating.min),
                      String(r.rating.max),
                    ],
                  ],
                )
              : "",
            r.ranking
              ? table(
                  [t.item, t.meanRank, t.borda, t.firstChoice],
                  r.ranking.map((row) => [
                    row.item,
                    fmt.number(row.meanRank),
                    String(row.borda),
                    fmt.percent(row.firstChoiceShare * 100),
                  ]),
                )
              : "",
            (r.openThemes ?? [])
              .map(
                (theme) =>
                  `<h3>${e(theme.theme)} · ${e(t.themeCount(theme.count))}</h3>${theme.quotes
                    .slice(0, 3)
                    .map(
                      (quote) =>
                        `<blockquote>${e(t.quoted(quote.text))}<cite>— ${e(report.personas[quote.personaId]?.name ?? "")}</cite></blockquote>`,
                    )
                    .join("")}`,
              )
              .join(""),
            q.crosstabs
              .map(
                (x) =>
                  `<h3>${e(t.crosstab(x.dimension))}</h3>${table(
                    [t.option, ...x.columns, t.total],
                    x.rows.map((label, i) => [
                      label,
                      ...(x.counts[i] ?? []).map(String),
                      String((x.counts[i] ?? []).reduce((a, b) => a + b, 0)),
                    ]),
                  )}<p class="small">${x.pValue === null ? e(t.noTest) : `χ² = ${fmt.number(x.statistic ?? 0)} · df = ${x.df} · p = ${fmt.pValue(x.pValue)}`}${
                    x.smallExpectedWarning ? `<br>${e(t.smallCounts)}` : ""
                  }</p>`,
              )
              .join(""),
          ];
          return `<section class="page"><p class="kicker">${e(t.question(q.number))}</p><h2>${e(q.question.text)}</h2><p class="muted">${e(
            t.answered(r.answered, section.respondents),
          )}</p>${body.join("")}</section>`;
        })
        .join("");
      return `<section class="page"><h1>${e(section.study.name)}</h1>${table(
        ["", t.questions, t.statN],
        section.questions.map((q) => [String(q.number), q.question.text, String(q.result.answered)]),
      )}</section>${questions}`;
    })
    .join("");
  const validation = report.sample.validation;
  const methodology = `<section class="page"><h1>${e(t.methodology)}</h1><div class="panel"><h3>${e(t.disclosureTitle)}</h3><p>${e(
    t.disclosureText,
  )}</p></div><h2>${e(t.validationTitle)}</h2>${
    validation
      ? table(
          [t.dimension, t.chiSquare, t.df, t.pValue],
          validation.dimensions.map((d) => [
            d.dimension,
            d.statistic === null ? "–" : fmt.number(d.statistic),
            String(d.df),
            fmt.pValue(d.pValue),
          ]),
        )
      : ""
  }${t.limitations.map((line) => `<p>• ${e(line)}</p>`).join("")}</section>`;
  const appendix = (report.appendix ?? [])
    .map(
      (p, i) =>
        `<div class="persona${i % 3 === 0 ? " page" : ""}"><h2>${e(p.name)}</h2><p class="muted">${e(
          [p.age, p.gender, p.location, p.occupation].join(" · "),
        )}</p>${bars(
          Object.entries(p.bigFive).map(([trait, value]) => ({
            label: t.traits[trait as keyof typeof t.traits],
            fraction: value,
            display: String(Math.round(value * 100)),
          })),
        )}<p><b>${e(t.values)}:</b> ${e(p.values.join(", "))}<br><b>${e(t.interests)}:</b> ${e(p.interests.join(", "))}<br><b>${e(t.concerns)}:</b> ${e(
          p.concerns.join(", "),
        )}</p><h3>${e(t.story)}</h3><p>${e(p.backgroundStory)}</p><p><b>${e(t.communicationStyle)}:</b> ${e(p.communicationStyle)}<br><b>${e(
          t.decisionMakingStyle,
        )}:</b> ${e(p.decisionMakingStyle)}</p></div>`,
    )
    .join("");
  return `<!doctype html><html lang="${report.language}"><head><meta charset="utf-8"><style>
${fontFaces()}
body{font-family:"Noto Sans";font-size:9.5pt;color:#1f2937;margin:0}
h1{font-size:20pt;color:#14213d}h2{font-size:13.5pt;color:#14213d}h3{font-size:10.5pt;color:#14213d}
.page{break-before:page}.kicker{color:#1d4ed8;font-weight:700;text-transform:uppercase;font-size:8pt}
.muted,.small{color:#6b7280}.small{font-size:8pt}.panel{background:#f5f7fa;padding:10px}
table{width:100%;border-collapse:collapse;margin-bottom:8px}th,td{border-bottom:.5px solid #e5e7eb;padding:2px 4px;font-size:8.5pt;text-align:left}
.bar{display:flex;align-items:center;margin-bottom:3px;font-size:8.5pt}.bar span{width:190px}.bar i{flex:1;height:9px;background:#f5f7fa}
.bar b{display:block;height:100%;background:#1d4ed8}.bar em{width:62px;text-align:right;font-style:normal}
blockquote{border-left:2px solid #dbe5fb;margin:4px 6px;padding-left:8px;font-style:italic}cite{display:block;font-size:8pt;color:#6b7280;font-style:normal}
</style></head><body><section><p class="kicker">${e(t.reportKind[report.scope])}</p><h1>${e(report.sections[0]?.study.name ?? report.project.name)}</h1><p>${e(
    report.project.name,
  )}</p><p>${e(t.exportDate)}: ${e(fmt.date(report.exportedAt))}</p><div class="panel">${e(t.disclosureText)}</div></section>${sections}${methodology}${
    appendix ? `<section class="page"><h1>${e(t.appendix)}</h1></section>${appendix}` : ""
  }</body></html>`;
}
