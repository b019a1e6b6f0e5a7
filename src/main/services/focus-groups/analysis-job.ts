import { z } from "zod";
import { AppError, type FocusGroupSettings, type Insight } from "../../../shared/contract";
import type { Database } from "../db/open";
import type { EventBus } from "../events/bus";
import { newId } from "../ids";
import type { JobHandler } from "../jobs/runner";
import type { LlmClient } from "../llm/types";
import { toInsight } from "./rows";

export const ANALYSIS_KIND = "focusGroups.analyze";
export const QUESTION_ANALYSIS_MARKER = "sight-task: focus_group_analysis_question";
export const SUMMARY_ANALYSIS_MARKER = "sight-task: focus_group_analysis_summary";

/**
 * The version of these prompt templates, recorded with every run that sends them. Bump it when
 * their wording changes: tests/llm/prompt-versions.test.ts pins what each version renders.
 */
export const ANALYSIS_PROMPT_VERSION = "analysis/1";

const paramsSchema = z.object({ focusGroupId: z.string() });
type Tx = Parameters<Parameters<Database["prisma"]["$transaction"]>[0]>[0];

const evidence = z.array(z.string()).min(1).max(12);
const finding = z.object({
  title: z.string().trim().min(1).max(200),
  text: z.string().trim().min(1).max(2000),
  evidence,
});

function questionSchema(ids: string[]) {
  return z
    .object({
      sentiments: z.array(z.object({ messageId: z.string(), score: z.number().min(-1).max(1) })),
      themes: z.array(finding).min(1).max(6),
      agreements: z.array(finding).max(5),
      disagreements: z.array(finding).max(5),
    })
    .superRefine((value, issue) => checkEvidence(value, ids, issue));
}

function summarySchema(ids: string[]) {
  return z
    .object({
      executiveSummary: z.string().trim().min(20).max(4000),
      segmentDifferences: z.array(finding).max(6),
      surprises: z.array(finding).max(5),
      recommendations: z.array(finding).min(1).max(8),
    })
    .superRefine((value, issue) => checkEvidence(value, ids, issue));
}

/** Every piece of evidence must be a real message of this focus group (never invented). */
function checkEvidence(value: Record<string, unknown>, ids: string[], ctx: z.RefinementCtx) {
  const known = new Set(ids);
  for (const [key, list] of Object.entries(value)) {
    if (!Array.isArray(list)) continue;
    list.forEach((item: { evidence?: string[]; messageId?: string }, index) => {
      for (const id of item.evidence ?? []) {
        if (!known.has(id))
          ctx.addIssue({ code: "custom", path: [key, index, "evidence"], message: `unknown message id ${id}` });
      }
      if (item.messageId !== undefined && !known.has(item.messageId)) {
        ctx.addIssue({
          code: "custom",
          path: [key, index, "messageId"],
          message: `unknown message id ${item.messageId}`,
        });
      }
    });
  }
}

export interface AnalysisDeps {
  db: Database;
  bus: EventBus;
  llm: LlmClient;
  now: () => Date;
}

interface Line {
  id: string;
  speakerName: string;
  personaId: string | null;
  phase: string;
  questionIndex: number;
  text: string;
}

function renderLines(lines: Line[], demographics: Map<string, Record<string, string>>): string {
  return lines
    .map((line) => {
      const who = line.personaId
        ? `${line.speakerName} (${Object.values(demographics.get(line.personaId) ?? {}).join(", ")})`
        : line.speakerName;
      return `[m:${line.id}] ${who}: ${line.text}`;
    })
    .join("\n");
}

export interface QuestionAnalysisInput {
  settings: FocusGroupSettings;
  guide: { question: string }[];
  questionIndex: number;
  /** The question's transcript lines, in speaking order. */
  lines: Line[];
  demographics: Map<string, Record<string, string>>;
  /** Themes already named under earlier questions of the same analysis. */
  earlierTitles: string[];
}

/**
 * The call that analyses one guide question (without signal, usage or seed): the analysis job's,
 * and the stability check's reruns of it (services/stability), so both ask exactly the same.
 */
export function questionAnalysisRequest(input: QuestionAnalysisInput) {
  const { settings, guide, questionIndex: q, lines, demographics, earlierTitles } = input;
  const personaLineIds = lines.filter((m) => m.personaId).map((m) => m.id);
  const reuse = earlierTitles.length
    ? `\nThemes already named under earlier questions: ${earlierTitles.map((title) => JSON.stringify(title)).join("; ")}. When a theme here is the same one, give it exactly the same title.`
    : "";
  return {
    task: "analysis" as const,
    model: settings.model,
    system: `${QUESTION_ANALYSIS_MARKER}\nYou are a senior qualitative researcher. Analyse one question of a focus group with synthetic respondents. Cite evidence only by the [m:ID] message ids given. Write in ${settings.language}.`,
    messages: [
      {
        role: "user" as const,
        text: `Question ${q + 1}: "${guide[q]?.question ?? ""}"\nTranscript:\n${renderLines(lines, demographics)}\n\nGive a sentiment score from -1 to 1 for every participant message (ids: ${personaLineIds.join(", ")}), the themes with supporting message ids, and agreements and disagreements between participants.${reuse}`,
      },
    ],
    schema: questionSchema(lines.map((m) => m.id)),
    validate: (value: z.infer<ReturnType<typeof questionSchema>>) => {
      const scored = new Set(value.sentiments.map((s) => s.messageId));
      const missing = personaLineIds.filter((id) => !scored.has(id));
      return missing.length ? `sentiments are missing for messages ${missing.join(", ")}` : null;
    },
    temperature: 0.2,
  };
}

/**
 * Analysis in one call per guide question (sentiment per message, themes with quotes,
 * agreements and disagreements) and a closing call across questions (executive summary, segment
 * differences, surprises, recommendations). Each insight is saved and emitted as `new_insight`
 * as soon as its call returns; a re-run writes a new analysis (the latest one is shown).
 */
export function analysisJob(deps: AnalysisDeps): JobHandler<z.infer<typeof paramsSchema>> {
  return {
    kind: ANALYSIS_KIND,
    promptVersion: ANALYSIS_PROMPT_VERSION,
    params: paramsSchema,
    async run(ctx) {
      const fg = await deps.db.prisma.focusGroup.findUnique({ where: { id: ctx.params.focusGroupId } });
      if (!fg) throw new AppError("NOT_FOUND", "The focus group was deleted.");
      const settings = JSON.parse(fg.settings) as FocusGroupSettings;
      const guide = JSON.parse(fg.guide) as { question: string }[];
      const messages = await deps.db.prisma.focusGroupMessage.findMany({
        where: { focusGroupId: fg.id },
        orderBy: { seq: "asc" },
      });
      if (messages.length === 0) throw new AppError("CONFLICT", "There is no transcript to analyse yet.");
      const personas = await deps.db.prisma.persona.findMany({
        where: { id: { in: [...new Set(messages.map((m) => m.personaId).filter((id): id is string => id !== null))] } },
        select: { id: true, demographics: true },
      });
      const demographics = new Map(personas.map((p) => [p.id, JSON.parse(p.demographics) as Record<string, string>]));
      const questions = [...new Set(messages.map((m) => m.questionIndex))].sort((a, b) => a - b);
      await ctx.setTotal(questions.length + 1);
      let seq = await deps.db.prisma.insight.count({ where: { analysisId: ctx.jobId } });

      const store = async (
        unit: string,
        items: { kind: Insight["kind"]; title: string; text: string; evidence: string[] }[],
        extra?: (tx: Tx) => Promise<void>,
      ) => {
        const rows: Parameters<typeof deps.db.prisma.insight.create>[0]["data"][] = items.map((item) => ({
          id: newId(deps.now().getTime()),
          focusGroupId: fg.id,
          analysisId: ctx.jobId,
          seq: seq++,
          kind: item.kind,
          title: item.title,
          text: item.text,
          evidence: JSON.stringify([...new Set(item.evidence)]),
          createdAt: deps.now(),
        }));
        await ctx.saveUnit(
          unit,
          rows.map((row) => row.id),
          {
            tables: ["Insight", "FocusGroupMessage"],
            write: async (tx) => {
              if (extra) await extra(tx);
              for (const row of rows) await tx.insight.create({ data: row });
            },
          },
        );
        for (const row of rows) {
          const saved = await deps.db.prisma.insight.findUnique({ where: { id: row.id } });
          if (saved)
            deps.bus.emit("new_insight", { focusGroupId: fg.id, analysisId: ctx.jobId, insight: toInsight(saved) });
        }
      };

      for (const q of questions) {
        const key = `q${q}`;
        if (ctx.completed.has(key)) continue;
        ctx.throwIfCancelled();
        ctx.progress({ key: "analysis.question", params: { question: q + 1 } });
        const lines = messages.filter((m) => m.questionIndex === q);
        // Themes named under earlier questions (also after a resume), so the same theme keeps its
        // title and reads as one across the discussion (see shared/domain/themes.ts).
        const earlier = await deps.db.prisma.insight.findMany({
          where: { analysisId: ctx.jobId, kind: "theme" },
          orderBy: { seq: "asc" },
          select: { title: true },
        });
        const earlierTitles = [...new Set(earlier.map((theme) => theme.title))];
        const result = await deps.llm.generateJson({
          ...questionAnalysisRequest({ settings, guide, questionIndex: q, lines, demographics, earlierTitles }),
          signal: ctx.signal,
          onUsage: (usage, call) => ctx.addUsage(usage, call),
        });
        const value = result.value;
        await store(
          key,
          [
            ...value.themes.map((t) => ({ kind: "theme" as const, ...t })),
            ...value.agreements.map((t) => ({ kind: "agreement" as const, ...t })),
            ...value.disagreements.map((t) => ({ kind: "disagreement" as const, ...t })),
          ],
          async (tx) => {
            for (const s of value.sentiments)
              await tx.focusGroupMessage.update({ where: { id: s.messageId }, data: { sentiment: s.score } });
          },
        );
      }

      if (!ctx.completed.has("summary")) {
        ctx.throwIfCancelled();
        ctx.progress({ key: "analysis.summary", params: {} });
        const themes = await deps.db.prisma.insight.findMany({
          where: { analysisId: ctx.jobId },
          orderBy: { seq: "asc" },
        });
        const result = await deps.llm.generateJson({
          task: "analysis",
          model: settings.model,
          system: `${SUMMARY_ANALYSIS_MARKER}\nYou are a senior qualitative researcher writing the findings of a focus group with synthetic respondents. Cite evidence only by [m:ID] message ids. Write in ${settings.language}.`,
          messages: [
            {
              role: "user",
              text: `Findings per question:\n${themes.map((t) => `- (${t.kind}) ${t.title}: ${t.text} [evidence: ${(JSON.parse(t.evidence) as string[]).join(", ")}]`).join("\n")}\n\nFull transcript:\n${renderLines(messages, demographics)}\n\nWrite the executive summary, differences between demographic segments, surprising findings and recommendations.`,
            },
          ],
          schema: summarySchema(messages.map((m) => m.id)),
          temperature: 0.3,
          signal: ctx.signal,
          onUsage: (usage, call) => ctx.addUsage(usage, call),
        });
        const v = result.value;
        await store("summary", [
          { kind: "executive_summary", title: "Executive summary", text: v.executiveSummary, evidence: [] },
          ...v.segmentDifferences.map((t) => ({ kind: "segment_difference" as const, ...t })),
          ...v.surprises.map((t) => ({ kind: "surprise" as const, ...t })),
          ...v.recommendations.map((t) => ({ kind: "recommendation" as const, ...t })),
        ]);
      }
      return {
        analysisId: ctx.jobId,
        insights: await deps.db.prisma.insight.count({ where: { analysisId: ctx.jobId } }),
      };
    },
  };
}
