import { useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import type { FocusGroup } from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { ErrorState, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { navigate } from "../../router/navigation";
import { hrefOf } from "../../router/routes";
import { useUiStore } from "../../stores/ui";
import { ExportButton } from "../exports/ExportButton";
import { SyncToCrmButton } from "../integrations/SyncToCrmButton";
import { ExportRecipeButton } from "../recipes/RecipeButtons";
import { LiveSessionButton, LiveSessionPanel } from "../live/LiveSessionPanel";
import { ProviderStatusLine } from "../llm/ProviderStatusLine";
import { useProjectPersonas } from "../personas/use-project-personas";
import { ConfirmDialog } from "../studies/ConfirmDialog";
import { StudyNotFound } from "../studies/ProjectGate";
import { StabilityPanel } from "../stability/StabilityPanel";
import { StudyStatusBadge } from "../studies/StudyStatusBadge";
import { AnalysisPanel } from "./AnalysisPanel";
import { DiscussionStatus } from "./DiscussionStatus";
import type { EvidenceContext } from "./Insights";
import { EstimateCard, SetupSummary } from "./SetupSummary";
import { useTranscript } from "./transcript-data";
import { Transcript, type HighlightRequest } from "./Transcript";
import { useDiscussionLive } from "./use-discussion-live";

/** #/focus-groups/<id>: setup and estimate, Run, the live discussion, and its analysis. */
export function FocusGroupDetailPage({ focusGroupId }: { focusGroupId: string }) {
  const { t } = useTranslation();
  const group = useInvokeQuery("focusGroups.get", { id: focusGroupId });
  useDocumentTitle(group.data?.name ?? t("studies.focus-groups.title"));
  if (group.isPending) return <Spinner label={t("app.loading")} />;
  if (group.isError) {
    return group.error.code === "NOT_FOUND" ? (
      <StudyNotFound
        title={t("focusGroups.notFoundTitle")}
        body={t("focusGroups.notFoundBody")}
        back={
          <a className="button" href={hrefOf({ page: "focus-groups" })}>
            {t("focusGroups.backToList")}
          </a>
        }
      />
    ) : (
      <ErrorState error={group.error} onRetry={() => void group.refetch()} title={t("app.loadFailed")} />
    );
  }
  return <FocusGroupDetail group={group.data} />;
}

type Confirm = "cancel" | "delete" | null;

function FocusGroupDetail({ group }: { group: FocusGroup }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const client = useQueryClient();
  const project = useInvokeQuery("projects.get", { id: group.projectId });
  const roster = useProjectPersonas(group.projectId);
  const runJob = useInvokeQuery("jobs.get", { id: group.jobId ?? "" }, { enabled: group.jobId !== null });
  const { messages } = useTranscript(group.id);
  const live = useDiscussionLive(group.id);
  const [highlight, setHighlight] = useState<HighlightRequest | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [liveOpen, setLiveOpen] = useState(false);
  const livePanelId = useId();
  const remember = useUiStore((state) => state.setStudiesProjectId);
  useEffect(() => remember(group.projectId), [group.projectId, remember]);

  const running = group.status === "running";
  const draft = group.status === "draft";
  const { clearDrafts } = live;
  // A run that stops abandons its half-written messages (a resumed one writes them again).
  useEffect(() => {
    if (!running) clearDrafts();
  }, [running, clearDrafts]);

  const cacheGroup = (change: Partial<FocusGroup>) =>
    client.setQueryData<FocusGroup>(invokeQueryKey("focusGroups.get", { id: group.id }), (data) =>
      data ? { ...data, ...change } : data,
    );
  const run = useInvokeMutation("focusGroups.run", {
    onSuccess: ({ jobId }) => {
      cacheGroup({ status: "running", jobId });
      notify.success(({ t }) => t("discussion.startedToast"), group.name);
    },
    onError: notify.error,
  });
  const pause = useInvokeMutation("focusGroups.pause", {
    onSuccess: () =>
      notify.success(
        ({ t }) => t("discussion.pausedToast"),
        ({ t }) => t("discussion.pausedToastBody"),
      ),
    onError: notify.error,
  });
  const resume = useInvokeMutation("focusGroups.resume", {
    onSuccess: () => {
      clearDrafts();
      cacheGroup({ status: "running" });
      notify.success(({ t }) => t("discussion.resumedToast"), group.name);
    },
    onError: notify.error,
  });
  const cancel = useInvokeMutation("focusGroups.cancel", {
    onSuccess: () => setConfirm(null),
    onError: (error) => {
      setConfirm(null);
      notify.error(error);
    },
  });
  const remove = useInvokeMutation("focusGroups.delete", {
    onSuccess: () => {
      setConfirm(null);
      notify.success(({ t }) => t("focusGroups.deleted"), group.name);
      navigate({ page: "project-focus-groups", id: group.projectId }, { replace: true });
      client.removeQueries({ queryKey: invokeQueryKey("focusGroups.get", { id: group.id }) });
    },
    onError: (error) => {
      setConfirm(null);
      notify.error(error);
    },
  });
  // "Pausing…" lasts from the request until the run has actually stopped.
  const { reset: resetPause } = pause;
  useEffect(() => resetPause(), [group.status, resetPause]);
  const pausing = pause.isPending || (pause.isSuccess && running);
  const busy = run.isPending || pause.isPending || resume.isPending || cancel.isPending || remove.isPending;

  const messagesById = useMemo(() => new Map(messages.map((message) => [message.id, message])), [messages]);
  const showMessage = (messageId: string) =>
    setHighlight((previous) => ({ messageId, nonce: (previous?.nonce ?? 0) + 1 }));
  const evidence: EvidenceContext = {
    messagesById,
    personasById: roster.byId,
    dimensionOrder: Object.keys(project.data?.targetDemographics ?? {}),
    onShowMessage: showMessage,
  };

  const resumable = group.status === "paused" || group.status === "interrupted" || group.status === "failed";
  const actions = (
    <div className="button-row" role="group" aria-label={t("focusGroups.actions")}>
      {draft ? (
        <>
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => run.mutate({ id: group.id })}
          >
            {run.isPending ? t("discussion.starting") : t("discussion.run")}
          </button>
          <a className="button" href={hrefOf({ page: "focus-group-edit", id: group.id })}>
            {t("focusGroups.editSetup")}
          </a>
        </>
      ) : null}
      {running ? (
        <button
          type="button"
          className="button"
          disabled={busy || pausing}
          onClick={() => pause.mutate({ id: group.id })}
        >
          {pausing ? t("discussion.pausing") : t("discussion.pause")}
        </button>
      ) : null}
      {resumable ? (
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => resume.mutate({ id: group.id })}
        >
          {resume.isPending ? t("discussion.resuming") : t("discussion.resume")}
        </button>
      ) : null}
      {running || resumable ? (
        <button
          type="button"
          className="button button--danger-outline"
          disabled={busy}
          onClick={() => setConfirm("cancel")}
        >
          {t("discussion.cancel")}
        </button>
      ) : null}
      {!draft ? (
        <ExportButton
          target={{
            projectId: group.projectId,
            scope: "focusGroup",
            ids: [group.id],
            subject: group.name,
            studyStatus: group.status,
          }}
        />
      ) : null}
      {/* The insights note needs a finished discussion and its analysis. */}
      {group.status === "completed" && group.analysisJobId ? (
        <SyncToCrmButton subject={{ kind: "insights", studyKind: "focusGroup", studyId: group.id, name: group.name }} />
      ) : null}
      <LiveSessionButton
        focusGroupId={group.id}
        open={liveOpen}
        controls={livePanelId}
        onToggle={() => setLiveOpen((open) => !open)}
      />
      {!running ? <ExportRecipeButton kind="focusGroup" id={group.id} /> : null}
      {!running ? (
        <button
          type="button"
          className="button button--ghost-danger"
          disabled={busy}
          onClick={() => setConfirm("delete")}
        >
          {t("focusGroups.delete")}
        </button>
      ) : null}
    </div>
  );

  return (
    <>
      <PageHeader
        title={
          <>
            {group.name}
            <StudyStatusBadge status={group.status} />
          </>
        }
        actions={actions}
      >
        <p className="page-header__subtitle">
          <a href={hrefOf({ page: "project-focus-groups", id: group.projectId })}>
            ← {t("studies.focus-groups.title")}
          </a>
          {project.data ? (
            <>
              {" · "}
              <a href={hrefOf({ page: "project", id: project.data.id })}>{project.data.name}</a>
            </>
          ) : null}
        </p>
      </PageHeader>

      {liveOpen ? (
        <LiveSessionPanel focusGroupId={group.id} id={livePanelId} onClose={() => setLiveOpen(false)} />
      ) : null}

      {draft ? (
        <>
          <div className="study-draft">
            <section className="card" aria-labelledby="setup-title">
              <h2 id="setup-title" className="section-title">
                {t("focusGroups.setup")}
              </h2>
              <SetupSummary group={group} personasById={roster.byId} />
            </section>
            <div className="study-draft__aside">
              <EstimateCard group={group} />
              <section className="card run-card">
                <p>{t("discussion.runIntro")}</p>
                <ProviderStatusLine model={group.settings.model ?? undefined} />
                <button
                  type="button"
                  className="button button--primary"
                  disabled={busy}
                  onClick={() => run.mutate({ id: group.id })}
                >
                  {run.isPending ? t("discussion.starting") : t("discussion.run")}
                </button>
              </section>
            </div>
          </div>
        </>
      ) : (
        <>
          <DiscussionStatus group={group} job={runJob.data} live={live.progress} />
          <Transcript
            group={group}
            messages={messages}
            drafts={live.drafts}
            latest={live.latest}
            running={running}
            highlight={highlight}
            onHighlight={showMessage}
          />
          <AnalysisPanel group={group} discussionJob={runJob.data} evidence={evidence} />
          {group.analysisJobId ? (
            <StabilityPanel study="focusGroup" id={group.id} canCheck={group.status === "completed"} />
          ) : null}
          <details className="card setup-details">
            <summary className="section-title">{t("focusGroups.setup")}</summary>
            <SetupSummary group={group} personasById={roster.byId} />
          </details>
        </>
      )}

      {confirm === "cancel" ? (
        <ConfirmDialog
          title={t("discussion.cancelTitle")}
          body={t("discussion.cancelBody")}
          confirmLabel={t("discussion.cancelConfirm")}
          busyLabel={t("discussion.cancelling")}
          cancelLabel={t("discussion.keepRunning")}
          busy={cancel.isPending}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            clearDrafts();
            cancel.mutate({ id: group.id });
          }}
        />
      ) : null}
      {confirm === "delete" ? (
        <ConfirmDialog
          title={t("focusGroups.deleteTitle", { name: group.name })}
          body={t("focusGroups.deleteBody")}
          confirmLabel={t("focusGroups.deleteConfirm")}
          busyLabel={t("focusGroups.deleting")}
          cancelLabel={t("app.cancel")}
          busy={remove.isPending}
          onCancel={() => setConfirm(null)}
          onConfirm={() => remove.mutate({ id: group.id })}
        />
      ) : null}
    </>
  );
}
