import {
  AppError,
  type FocusGroupSettings,
  type Insight,
  type Message,
  type RunModel,
  type StabilitySnapshot,
} from "../../../../shared/contract";
import type { PrismaClient } from "../../db/generated/client";
import { ANALYSIS_KIND } from "../../focus-groups/analysis-job";
import { readRunModels } from "../../jobs/job-row";
import { statusFromJob, toInsight, toMessage, type FocusGroupRow } from "../../focus-groups/rows";
import { effectiveDiscussionSeed } from "../../focus-groups/seed";
import { latestStabilityReport } from "../../stability/latest";
import type { FocusGroupReport, InsightBlock, Quote, SentimentRow, TranscriptQuestion } from "./model";
import { mergeThemes } from "../../../../shared/domain/themes";

/** Quotes shown under one insight; the rest is counted ("and 4 more"). Keeps blocks page-sized. */
export const QUOTES_PER_INSIGHT = 3;

export interface FocusGroupData {
  row: FocusGroupRow;
  status: string;
  messages: Message[];
  insights: Insight[];
  participantIds: string[];
  /** What the discussion and the analysis shown recorded they used. */
  models: { discussion: RunModel[]; analysis: RunModel[] };
  /** The latest finished stability check of the analysis. */
  stability?: StabilitySnapshot | null;
}

/** The focus group with its transcript and its current analysis (as `focusGroups.insights` picks it). */
export async function loadFocusGroup(prisma: PrismaClient, projectId: string, id: string): Promise<FocusGroupData> {
  const row = await prisma.focusGroup.findUnique({ where: { id } });
  if (!row || row.projectId !== projectId)
    throw new AppError("NOT_FOUND", `No focus group with id ${id} in this project.`, { id });
  const job = row.jobId ? await prisma.job.findUnique({ where: { id: row.jobId } }) : null;
  const messages = (
    await prisma.focusGroupMessage.findMany({ where: { focusGroupId: id }, orderBy: { seq: "asc" } })
  ).map(toMessage);
  let analysis = row.analysisJobId ? await prisma.job.findUnique({ where: { id: row.analysisJobId } }) : null;
  // A re-run that failed or was stopped must not hide the last complete analysis.
  if (analysis && !["queued", "running", "succeeded"].includes(analysis.status)) {
    analysis =
      (await prisma.job.findFirst({
        where: { kind: ANALYSIS_KIND, status: "succeeded", params: { contains: JSON.stringify(id) } },
        orderBy: { id: "desc" },
      })) ?? analysis;
  }
  const insights = analysis
    ? (await prisma.insight.findMany({ where: { analysisId: analysis.id }, orderBy: { seq: "asc" } })).map(toInsight)
    : [];
  return {
    row,
    status: statusFromJob(job),
    messages,
    insights,
    participantIds: JSON.parse(row.participantIds) as string[],
    models: { discussion: readRunModels(job?.models), analysis: readRunModels(analysis?.models) },
    stability: await latestStabilityReport(prisma, "focusGroup", id),
  };
}

/** The seed the discussion engine derives from the study id when none was set. */
export const derivedSeed = (focusGroupId: string) => effectiveDiscussionSeed(focusGroupId, {});

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

function sentimentRows<K>(
  messages: Message[],
  key: (m: Message) => K,
  label: (key: K, first: Message) => string,
): SentimentRow[] {
  const groups = new Map<K, { first: Message; scores: number[]; count: number }>();
  for (const m of messages) {
    const entry = groups.get(key(m)) ?? { first: m, scores: [], count: 0 };
    entry.count++;
    if (m.sentiment !== undefined) entry.scores.push(m.sentiment);
    groups.set(key(m), entry);
  }
  return [...groups].map(([k, e]) => ({ label: label(k, e.first), mean: mean(e.scores), messages: e.count }));
}

export function buildFocusGroupReport(
  data: FocusGroupData,
  study: FocusGroupReport["study"],
  includeTranscript: boolean,
): FocusGroupReport {
  const { row, messages, insights } = data;
  const guide = JSON.parse(row.guide) as { question: string; probes?: string[] }[];
  const settings = JSON.parse(row.settings) as Partial<FocusGroupSettings>;
  const byId = new Map(messages.map((m) => [m.id, m]));

  const quotesOf = (insight: Insight): Pick<InsightBlock, "quotes" | "moreQuotes"> => {
    const evidence = insight.evidence.map((id) => byId.get(id)).filter((m): m is Message => m !== undefined);
    // Participants' words first: the moderator's questions are context, not evidence of opinion.
    const ordered = [
      ...evidence.filter((m) => m.speakerType === "persona"),
      ...evidence.filter((m) => m.speakerType !== "persona"),
    ];
    const quotes: Quote[] = ordered.slice(0, QUOTES_PER_INSIGHT).map((m) => ({
      text: m.text,
      personaId: m.personaId ?? null,
      speakerName: m.speakerName,
    }));
    return { quotes, moreQuotes: Math.max(0, ordered.length - quotes.length) };
  };
  const blocks = (kind: Insight["kind"]): InsightBlock[] =>
    insights.filter((i) => i.kind === kind).map((i) => ({ title: i.title, text: i.text, ...quotesOf(i) }));

  const personaLines = messages.filter((m) => m.speakerType === "persona");
  const replyTarget = (m: Message) => (m.replyToId ? byId.get(m.replyToId) : undefined);
  const transcript: TranscriptQuestion[] | null = includeTranscript
    ? guide
        .map((item, index) => ({
          index,
          question: item.question,
          probes: item.probes ?? [],
          lines: messages
            .filter((m) => m.questionIndex === index)
            .map((m) => ({
              seq: m.seq,
              phase: m.phase,
              speakerType: m.speakerType,
              speakerName: m.speakerName,
              personaId: m.personaId ?? null,
              round: m.round,
              text: m.text,
              sentiment: m.sentiment ?? null,
              // Whom a participant answers, when it is another participant (answering the moderator goes without saying).
              replyToName: replyTarget(m)?.speakerType === "persona" ? replyTarget(m)!.speakerName : null,
              suggestedBy: m.suggestedBy ?? null,
            })),
        }))
        // A study that stopped early has no lines for its later questions.
        .filter((question) => question.lines.length > 0)
    : null;

  return {
    kind: "focusGroup",
    study,
    participantIds: data.participantIds,
    guide: guide.map((item) => ({ question: item.question, probes: item.probes ?? [] })),
    settings: {
      model: settings.model ?? null,
      seed: settings.seed ?? derivedSeed(row.id),
      seedPinned: settings.seed !== undefined,
      discussionRounds: settings.discussionRounds ?? 1,
      moderatorFollowUps: settings.moderatorFollowUps ?? true,
      temperature: settings.temperature ?? 0.8,
      language: settings.language ?? "en",
    },
    models: data.models,
    messageCount: messages.length,
    coModeratorProbes: messages.filter((m) => m.speakerType === "moderator" && m.suggestedBy).length,
    analysed: insights.length > 0,
    summary: blocks("executive_summary"),
    // The same theme found under several questions is one theme with all its quotes, as in the app.
    themes: mergeThemes(insights.filter((i) => i.kind === "theme")).map((theme) => ({
      title: theme.title,
      text: theme.text,
      ...quotesOf({ ...insights.find((i) => i.id === theme.id)!, evidence: theme.evidence }),
    })),
    agreements: blocks("agreement"),
    disagreements: blocks("disagreement"),
    segmentDifferences: blocks("segment_difference"),
    surprises: blocks("surprise"),
    recommendations: blocks("recommendation"),
    sentiment: {
      byQuestion: sentimentRows(
        personaLines,
        (m) => m.questionIndex,
        (index) => `Q${index + 1}`,
      ).sort((a, b) => Number(a.label.slice(1)) - Number(b.label.slice(1))),
      byPersona: sentimentRows(
        personaLines,
        (m) => m.personaId ?? m.speakerName,
        (_key, first) => first.speakerName,
      ),
      overall: mean(personaLines.flatMap((m) => (m.sentiment === undefined ? [] : [m.sentiment]))),
    },
    transcript,
    stability: data.stability ?? null,
  };
}

export function messageRange(messages: Message[]): { dataFrom: string | null; dataTo: string | null } {
  if (messages.length === 0) return { dataFrom: null, dataTo: null };
  const times = messages.map((m) => m.createdAt).sort();
  return { dataFrom: times[0]!, dataTo: times[times.length - 1]! };
}
