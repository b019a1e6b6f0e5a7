import {
  AppError,
  STABILITY_RULES,
  type FocusGroupSettings,
  type FocusGroupStabilityReport,
} from "../../../shared/contract";
import { replicateSeeds, themeStability } from "../../../shared/domain/stability";
import { ANALYSIS_PROMPT_VERSION, questionAnalysisRequest } from "../focus-groups/analysis-job";
import type { JobContext } from "../jobs/runner";
import {
  analysisUnit,
  analysisUnitOutputSchema,
  type AnalysisUnitOutput,
  type FocusGroupStabilityParams,
  type StabilityParams,
} from "./params";
import type { ReplicateDeps } from "./survey-replicates";

/**
 * The focus group's analysis done again `runs` times with the run's seed, question by question
 * as the analysis does (each question is told the themes its run already named), without the
 * closing summary, which names no themes. Each (run, question) is one unit whose output holds the
 * themes found; nothing is written to the focus group (no insights, no sentiment). Runs go in
 * parallel, each run's questions in order; the LLM client's bulkhead bounds the calls in flight.
 */
export async function analysisReplicates(
  ctx: JobContext<StabilityParams>,
  params: FocusGroupStabilityParams,
  deps: ReplicateDeps,
): Promise<FocusGroupStabilityReport> {
  const { prisma } = deps.db;
  const fg = await prisma.focusGroup.findUnique({ where: { id: params.focusGroupId } });
  if (!fg) throw new AppError("NOT_FOUND", "The focus group was deleted; its stability check cannot continue.");
  const settings = JSON.parse(fg.settings) as FocusGroupSettings;
  const guide = JSON.parse(fg.guide) as { question: string }[];
  const messages = await prisma.focusGroupMessage.findMany({ where: { focusGroupId: fg.id }, orderBy: { seq: "asc" } });
  const speakers = [...new Set(messages.flatMap((m) => (m.personaId ? [m.personaId] : [])))];
  const personas = await prisma.persona.findMany({
    where: { id: { in: speakers } },
    select: { id: true, demographics: true },
  });
  const demographics = new Map(personas.map((p) => [p.id, JSON.parse(p.demographics) as Record<string, string>]));
  const questions = [...new Set(messages.map((m) => m.questionIndex))].sort((a, b) => a - b);
  if (questions.length === 0) throw new AppError("CONFLICT", "The focus group has no transcript to analyse.");
  const seeds = replicateSeeds(params.baseSeed, params.runs);
  await ctx.setTotal(params.runs * questions.length);

  const themesOf = (run: number, q: number): AnalysisUnitOutput["themes"] => {
    const output = analysisUnitOutputSchema.safeParse(ctx.completed.get(analysisUnit(run, q)));
    if (!output.success) throw new AppError("INTERNAL", `The saved themes of run ${run} are missing or unreadable.`);
    return output.data.themes;
  };

  const rerun = async (run: number, seed: number) => {
    for (const [position, q] of questions.entries()) {
      if (ctx.completed.has(analysisUnit(run, q))) continue;
      ctx.throwIfCancelled();
      const earlierTitles = [
        ...new Set(questions.slice(0, position).flatMap((earlier) => themesOf(run, earlier).map((t) => t.title))),
      ];
      const lines = messages.filter((m) => m.questionIndex === q);
      const result = await deps.llm.generateJson({
        ...questionAnalysisRequest({ settings, guide, questionIndex: q, lines, demographics, earlierTitles }),
        seed,
        signal: ctx.signal,
        onUsage: (usage, call) => ctx.addUsage(usage, { ...call, promptVersion: ANALYSIS_PROMPT_VERSION }),
      });
      const themes = result.value.themes.map((t) => ({
        title: t.title,
        text: t.text,
        evidence: [...new Set(t.evidence)],
      }));
      await ctx.saveUnit(analysisUnit(run, q), { themes } satisfies AnalysisUnitOutput);
    }
  };
  const outcomes = await Promise.allSettled(seeds.map((seed, index) => rerun(index + 1, seed)));
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (failure) throw failure.reason;

  const original = await prisma.insight.findMany({
    where: { analysisId: params.basisJobId, kind: "theme" },
    orderBy: { seq: "asc" },
  });
  const { themes, emergent } = themeStability(
    original.map((row) => ({
      id: row.id,
      title: row.title,
      text: row.text,
      evidence: JSON.parse(row.evidence) as string[],
    })),
    seeds.map((_, index) => questions.flatMap((q) => themesOf(index + 1, q))),
  );
  return {
    study: "focusGroup",
    studyId: params.focusGroupId,
    runs: params.runs,
    baseSeed: params.baseSeed,
    seeds,
    model: settings.model ?? null,
    basisJobId: params.basisJobId,
    computedAt: deps.now().toISOString(),
    rules: { ...STABILITY_RULES },
    themes,
    emergent,
  };
}
