import { useEffect, useId } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { INSIGHT_KINDS, type FocusGroup, type Insight, type Job, type RouteOutput, type Usage } from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useBridge } from "../../bridge/BridgeProvider";
import { useNotify } from "../../components/notify";
import { ProgressBar } from "../../components/ProgressBar";
import { RunModels } from "../../components/RunModels";
import { ErrorState, Spinner, useJobErrorText } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { isActiveJob } from "../personas/generation-jobs";
import { InsightList, type EvidenceContext } from "./Insights";
import { SentimentCharts } from "./SentimentCharts";
import { ThemesSection } from "./ThemesSection";

type InsightsOutput = RouteOutput<"focusGroups.insights">;
type InsightKind = (typeof INSIGHT_KINDS)[number];

interface Props {
  group: FocusGroup;
  discussionJob: Job | undefined;
  evidence: EvidenceContext;
}

/**
 * Analysis of the transcript: start or re-run it, watch it work, and read what it found as each
 * insight arrives (new_insight), with the quotes behind it, sentiment charts and what it cost.
 */
export function AnalysisPanel({ group, discussionJob, evidence }: Props) {
  const { t } = useTranslation();
  const jobError = useJobErrorText();
  const titleId = useId();
  const notify = useNotify();
  const bridge = useBridge();
  const client = useQueryClient();
  const insightsKey = invokeQueryKey("focusGroups.insights", { id: group.id });
  const insights = useInvokeQuery("focusGroups.insights", { id: group.id });
  const analysisJob = useInvokeQuery(
    "jobs.get",
    { id: group.analysisJobId ?? "" },
    { enabled: group.analysisJobId !== null },
  );
  const job = group.analysisJobId ? analysisJob.data : undefined;
  const analysing = job !== undefined && isActiveJob(job);

  const analyze = useInvokeMutation("focusGroups.analyze", {
    onSuccess: ({ jobId }) => {
      // The new analysis starts empty: show that at once rather than the previous one's findings.
      client.setQueryData<InsightsOutput>(insightsKey, (data) => (data ? { ...data, items: [], usage: null } : data));
      client.setQueryData<FocusGroup>(invokeQueryKey("focusGroups.get", { id: group.id }), (data) =>
        data ? { ...data, analysisJobId: jobId } : data,
      );
      notify.success(({ t }) => t("analysis.startedToast"));
    },
    onError: notify.error,
  });

  // Insights of the analysis on screen join the list as they are saved; any other analysis refetches.
  const analysisId = group.analysisJobId;
  useEffect(() => {
    const key = invokeQueryKey("focusGroups.insights", { id: group.id });
    return bridge.on("new_insight", (event) => {
      if (event.focusGroupId !== group.id) return;
      if (event.analysisId !== analysisId) {
        void client.invalidateQueries({ queryKey: invokeQueryKey("focusGroups.get", { id: group.id }) });
        void client.invalidateQueries({ queryKey: key });
        return;
      }
      client.setQueryData<InsightsOutput>(key, (data) =>
        data && !data.items.some((item) => item.id === event.insight.id)
          ? { ...data, items: [...data.items, event.insight] }
          : data,
      );
    });
  }, [bridge, client, group.id, analysisId]);

  const discussionRunning = group.status === "running";
  const canAnalyse = group.messageCount > 0 && !discussionRunning && !analysing && !analyze.isPending;
  const items = insights.data?.items ?? [];
  const byKind = (kind: InsightKind) => items.filter((item) => item.kind === kind);
  const analysed = group.analysisJobId !== null;

  return (
    <section className="card analysis" aria-labelledby={titleId} data-testid="analysis">
      <div className="analysis__head">
        <h2 id={titleId} className="section-title">
          {t("analysis.title")}
        </h2>
        <button
          type="button"
          className={`button${analysed ? "" : " button--primary"}`}
          disabled={!canAnalyse}
          title={discussionRunning ? t("analysis.waitForDiscussion") : undefined}
          onClick={() => analyze.mutate({ id: group.id })}
        >
          {analyze.isPending ? t("analysis.starting") : analysed ? t("analysis.reanalyse") : t("analysis.analyse")}
        </button>
      </div>

      {job && analysing ? <AnalysisProgress job={job} /> : null}
      {job?.status === "failed" ? (
        <div className="notice notice--error" role="alert" data-testid="analysis-failed">
          <strong>{t("analysis.failedTitle")}</strong> <span>{jobError(job.error)}</span>
        </div>
      ) : null}

      {!analysed ? (
        <p className="muted analysis__empty">{discussionRunning ? t("analysis.emptyRunning") : t("analysis.empty")}</p>
      ) : insights.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : insights.isError ? (
        <ErrorState error={insights.error} onRetry={() => void insights.refetch()} />
      ) : (
        <>
          {items.length === 0 && !analysing ? <p className="muted">{t("analysis.nothingYet")}</p> : null}
          <ExecutiveSummary items={byKind("executive_summary")} />
          <ThemesSection items={byKind("theme")} evidence={evidence} guide={group.guide} />
          <KindSection kind="agreement" items={byKind("agreement")} evidence={evidence} />
          <KindSection kind="disagreement" items={byKind("disagreement")} evidence={evidence} />
          <KindSection kind="segment_difference" items={byKind("segment_difference")} evidence={evidence} />
          <KindSection kind="surprise" items={byKind("surprise")} evidence={evidence} />
          <KindSection kind="recommendation" items={byKind("recommendation")} evidence={evidence} />
          {insights.data.sentiment.byQuestion.some((row) => row.mean !== null) || !analysing ? (
            <section className="analysis__section" aria-labelledby={`${titleId}-sentiment`}>
              <h3 id={`${titleId}-sentiment`} className="analysis__section-title">
                {t("analysis.sentiment")}
              </h3>
              <SentimentCharts sentiment={insights.data.sentiment} guide={group.guide} />
            </section>
          ) : null}
        </>
      )}
      <UsageSection
        discussion={discussionJob?.usage ?? null}
        analysis={job?.usage ?? insights.data?.usage ?? null}
        discussionJob={discussionJob ?? null}
        analysisJob={job ?? null}
      />
    </section>
  );
}

function AnalysisProgress({ job }: { job: Job }) {
  const { t } = useTranslation();
  const format = useFormat();
  const labelId = useId();
  // One step per guide question, then the summary (see analysis-job.ts), as its label says.
  const { label } = job.progress;
  const step =
    label?.key === "analysis.question"
      ? t("analysis.stepQuestion", { n: format.integer(label.params.question) })
      : label?.key === "analysis.summary"
        ? t("analysis.stepSummary")
        : null;
  return (
    <div className="analysis__progress" data-testid="analysis-progress">
      <p id={labelId} className="analysis__progress-label">
        <span className="spinner" aria-hidden="true" /> {t("analysis.running")}
        {step ? <span className="muted"> · {step}</span> : null}
      </p>
      <ProgressBar done={job.progress.done} total={job.progress.total} labelledBy={labelId} />
      <p className="muted analysis__progress-count">
        {t("analysis.steps", {
          done: format.integer(job.progress.done),
          total: format.integer(job.progress.total),
        })}
      </p>
    </div>
  );
}

function ExecutiveSummary({ items }: { items: readonly Insight[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <section className="analysis__section executive-summary" data-testid="insights-executive_summary">
      <h3 className="analysis__section-title">{t("analysis.kinds.executive_summary")}</h3>
      {items.map((item) => (
        <div key={item.id} className="executive-summary__text" data-testid="insight-executive_summary">
          {item.text
            .split(/\n\s*\n/)
            .map((paragraph) => paragraph.trim())
            .filter(Boolean)
            .map((paragraph, index) => (
              <p key={index}>{paragraph}</p>
            ))}
        </div>
      ))}
    </section>
  );
}

function KindSection({
  kind,
  items,
  evidence,
}: {
  kind: Exclude<InsightKind, "executive_summary" | "theme">;
  items: readonly Insight[];
  evidence: EvidenceContext;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  if (items.length === 0) return null;
  return (
    <section
      className={`analysis__section analysis__section--${kind}`}
      aria-labelledby={titleId}
      data-testid={`insights-${kind}`}
    >
      <h3 id={titleId} className="analysis__section-title">
        {t(`analysis.kinds.${kind}`)}
      </h3>
      <InsightList items={items} evidence={evidence} quotesOpen={false} />
    </section>
  );
}

function UsageSection({
  discussion,
  analysis,
  discussionJob,
  analysisJob,
}: {
  discussion: Usage | null;
  analysis: Usage | null;
  discussionJob: Job | null;
  analysisJob: Job | null;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!discussion && !analysis) return null;
  const line = (usage: Usage) =>
    t("analysis.usageLine", {
      tokensIn: t("analysis.usageTokensIn", { count: usage.inputTokens, n: format.integer(usage.inputTokens) }),
      tokensOut: t("analysis.usageTokensOut", { count: usage.outputTokens, n: format.integer(usage.outputTokens) }),
      calls: t("analysis.usageCalls", { count: usage.calls, n: format.integer(usage.calls) }),
      cost: format.cost(usage.costUsd),
    });
  return (
    <section className="analysis__section usage" data-testid="usage">
      <h3 className="analysis__section-title">{t("analysis.usage")}</h3>
      <dl className="facts">
        {discussion ? (
          <div className="facts__row">
            <dt>{t("analysis.usageDiscussion")}</dt>
            <dd data-testid="usage-discussion">
              {line(discussion)}
              {discussionJob ? (
                <RunModels models={discussionJob.models} finished={!isActiveJob(discussionJob)} />
              ) : null}
            </dd>
          </div>
        ) : null}
        {analysis ? (
          <div className="facts__row">
            <dt>{t("analysis.usageAnalysis")}</dt>
            <dd data-testid="usage-analysis">
              {line(analysis)}
              {analysisJob ? <RunModels models={analysisJob.models} finished={!isActiveJob(analysisJob)} /> : null}
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
