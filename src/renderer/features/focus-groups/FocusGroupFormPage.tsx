import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import {
  MAX_PARTICIPANTS,
  MIN_PARTICIPANTS,
  routes,
  type FocusGroup,
  type FocusGroupSettings,
  type Project,
  type WireIssue,
} from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { EmptyState, ErrorState, Field, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { useIssueText } from "../../forms/issue-text";
import { checkInput, issuesOf, messagesByPath } from "../../forms/issues";
import { useFormat } from "../../i18n/format";
import { navigate } from "../../router/navigation";
import { hrefOf } from "../../router/routes";
import { ProviderStatusLine } from "../llm/ProviderStatusLine";
import { useProjectPersonas } from "../personas/use-project-personas";
import { ProjectGate, StudyNotFound } from "../studies/ProjectGate";
import { GuideEditor } from "./GuideEditor";
import { guideDrafts, guideErrorsFrom, guideInput, type GuideErrors, type GuideItemDraft } from "./guide-drafts";
import { settingsDraft, SettingsFields, type SettingsDraft, type SettingsField } from "./SettingsFields";
import { isDiscussionLanguage, type DiscussionLanguage } from "./languages";
import { ParticipantPicker } from "./ParticipantPicker";

interface Initial {
  name: string;
  participantIds: string[];
  guide: FocusGroup["guide"];
  settings: FocusGroup["settings"];
}

/** #/projects/<id>/focus-groups/new */
export function FocusGroupNewPage({ projectId }: { projectId: string }) {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t("fgForm.newTitle"));
  const language: DiscussionLanguage = isDiscussionLanguage(i18n.language) ? i18n.language : "en";
  const initial: Initial = {
    name: "",
    participantIds: [],
    guide: [],
    settings: { discussionRounds: 1, moderatorFollowUps: true, language, temperature: 0.8 },
  };
  return (
    <ProjectGate projectId={projectId}>
      {(project) => <FocusGroupForm project={project} focusGroupId={null} initial={initial} />}
    </ProjectGate>
  );
}

/** #/focus-groups/<id>/edit: only before the discussion has run. */
export function FocusGroupEditPage({ focusGroupId }: { focusGroupId: string }) {
  const { t } = useTranslation();
  useDocumentTitle(t("fgForm.editTitle"));
  const group = useInvokeQuery("focusGroups.get", { id: focusGroupId });
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
  if (group.data.jobId) {
    return (
      <>
        <PageHeader title={t("fgForm.editTitle")} />
        <EmptyState title={t("fgForm.alreadyRanTitle")} body={t("fgForm.alreadyRanBody")}>
          <a className="button" href={hrefOf({ page: "focus-group", id: group.data.id })}>
            {t("fgForm.backToGroup", { name: group.data.name })}
          </a>
        </EmptyState>
      </>
    );
  }
  return (
    <ProjectGate projectId={group.data.projectId}>
      {(project) => <FocusGroupForm project={project} focusGroupId={group.data.id} initial={group.data} />}
    </ProjectGate>
  );
}

type FormField = "name" | "participantIds" | SettingsField | "settings";

function FocusGroupForm({
  project,
  focusGroupId,
  initial,
}: {
  project: Project;
  focusGroupId: string | null;
  initial: Initial;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const issueText = useIssueText();
  const notify = useNotify();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const formId = useId();
  const roster = useProjectPersonas(project.id);
  const status = useInvokeQuery("llm.status", {});

  const [name, setName] = useState(initial.name);
  const [participantIds, setParticipantIds] = useState<string[]>(initial.participantIds);
  const [guide, setGuide] = useState<GuideItemDraft[]>(() => guideDrafts(initial.guide));
  const [settings, setSettings] = useState<SettingsDraft>(() => settingsDraft(initial.settings));
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [guideErrors, setGuideErrors] = useState<GuideErrors>({ questions: {}, probes: {} });
  const [formError, setFormError] = useState<string | null>(null);
  const [focusErrors, setFocusErrors] = useState(0);

  const saved = (group: FocusGroup) => {
    client.setQueryData(invokeQueryKey("focusGroups.get", { id: group.id }), group);
    navigate({ page: "focus-group", id: group.id }, { replace: focusGroupId !== null });
  };
  /** Every issue in this form's words, by the place it is about. */
  const wordFor = (issue: WireIssue): string => {
    const [head, index, field] = issue.path;
    if (head === "name") return t("fgForm.nameError");
    if (head === "participantIds" && issue.code === "too_small")
      return t("fgForm.tooFew", { count: MIN_PARTICIPANTS, min: format.integer(MIN_PARTICIPANTS) });
    if (head === "participantIds" && issue.code === "too_big")
      return t("fgForm.tooMany", { count: MAX_PARTICIPANTS, max: format.integer(MAX_PARTICIPANTS) });
    if (head === "settings" && index === "temperature") return t("fgForm.temperatureError");
    if (head === "settings" && index === "seed") return t("wizard.seedError");
    if (head === "guide" && index === undefined) return t("fgForm.guideEmpty");
    if (head === "guide" && field === "question") return t("fgForm.questionError");
    return issueText(issue);
  };
  /** Puts each issue beside its field, guide question or probe; true when there was any. */
  const showIssues = (issues: readonly WireIssue[]): boolean => {
    const fields = messagesByPath(issues, wordFor);
    const next: Partial<Record<FormField, string>> = {};
    for (const [path, message] of Object.entries(fields)) {
      const [head, field] = path.split(".");
      if (head === "settings" && (field === "temperature" || field === "seed" || field === "model")) {
        next[field] ??= message;
      } else if (head === "name" || head === "participantIds" || head === "settings") next[head] ??= message;
      else if (head !== "guide") next.settings ??= message;
    }
    const nextGuide = guideErrorsFrom(fields, guide);
    setErrors(next);
    setGuideErrors(nextGuide);
    const any = Object.keys(fields).length > 0;
    setFormError(any ? t("fgForm.fixErrors") : null);
    if (any) setFocusErrors((count) => count + 1);
    return any;
  };
  const refused = (error: unknown) => {
    const issues = issuesOf(error);
    if (!issues || !showIssues(issues)) notify.error(error);
  };
  const create = useInvokeMutation("focusGroups.create", {
    onSuccess: (group) => {
      notify.success(({ t }) => t("fgForm.created"), group.name);
      saved(group);
    },
    onError: refused,
  });
  const update = useInvokeMutation("focusGroups.update", {
    onSuccess: (group) => {
      notify.success(({ t }) => t("fgForm.saved"), group.name);
      saved(group);
    },
    onError: refused,
  });
  const saving = create.isPending || update.isPending;

  // After a refused save, bring the first problem into view and focus.
  useEffect(() => {
    if (focusErrors === 0) return;
    const target =
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      formRef.current?.querySelector<HTMLElement>(".field__error, .form-error");
    target?.scrollIntoView({ block: "center" });
    if (target?.matches("input, textarea, select")) target.focus();
  }, [focusErrors]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const temperatureText = settings.temperature.trim().replace(",", ".");
    const seedText = settings.seed.trim();
    const body = {
      name: name.trim(),
      participantIds,
      guide: guideInput(guide),
      settings: {
        discussionRounds: settings.rounds,
        moderatorFollowUps: settings.followUps,
        language: settings.language,
        // Anything but a number goes as NaN, which the check below names.
        temperature: temperatureText === "" ? Number.NaN : Number(temperatureText),
        ...(settings.model.trim() ? { model: settings.model.trim() } : {}),
        ...(seedText === "" ? {} : { seed: /^\d+$/.test(seedText) ? Number(seedText) : Number.NaN }),
      } satisfies FocusGroupSettings,
    };
    // Checked here with the route's own schema first: nothing that would be refused is sent.
    if (showIssues(checkInput(routes["focusGroups.create"].input, { projectId: project.id, ...body }))) return;
    if (focusGroupId === null) create.mutate({ projectId: project.id, ...body });
    // An edit sends null for an emptied model or seed, so clearing the field clears the setting.
    else
      update.mutate({
        id: focusGroupId,
        ...body,
        settings: {
          ...body.settings,
          model: body.settings.model ?? null,
          seed: body.settings.seed ?? null,
        },
      });
  };

  const backRoute =
    focusGroupId === null
      ? ({ page: "project-focus-groups", id: project.id } as const)
      : ({ page: "focus-group", id: focusGroupId } as const);
  const dimensionOrder = Object.keys(project.targetDemographics);

  return (
    <>
      <PageHeader title={focusGroupId === null ? t("fgForm.newTitle") : t("fgForm.editTitle")}>
        <p className="page-header__subtitle">
          <a href={hrefOf(backRoute)}>← {focusGroupId === null ? t("studies.focus-groups.title") : initial.name}</a>
          {" · "}
          {project.name}
        </p>
      </PageHeader>
      <form ref={formRef} id={formId} className="form study-form" onSubmit={submit} noValidate>
        {formError ? (
          <div className="notice notice--error form-error" role="alert" tabIndex={-1}>
            {formError}
          </div>
        ) : null}
        <section className="card" aria-labelledby={`${formId}-basics`}>
          <h2 id={`${formId}-basics`} className="section-title">
            {t("fgForm.basics")}
          </h2>
          <Field label={t("fgForm.name")} error={errors.name} required>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input"
                maxLength={200}
                value={name}
                autoFocus={focusGroupId === null}
                placeholder={t("fgForm.namePlaceholder")}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </Field>
        </section>

        <section className="card">
          {roster.isError ? (
            <ErrorState error={roster.error} onRetry={() => void roster.refetch()} />
          ) : roster.isPending ? (
            <Spinner label={t("app.loading")} />
          ) : roster.personas.length < MIN_PARTICIPANTS ? (
            <>
              <EmptyState
                title={t("focusGroups.needPersonasTitle")}
                body={t("focusGroups.needPersonasBody", {
                  count: roster.personas.length,
                  n: format.integer(roster.personas.length),
                })}
              >
                <a className="button button--primary" href={hrefOf({ page: "project-personas", id: project.id })}>
                  {t("personas.generate")}
                </a>
              </EmptyState>
              {errors.participantIds ? (
                <p className="field__error" data-testid="participants-error">
                  {errors.participantIds}
                </p>
              ) : null}
            </>
          ) : (
            <ParticipantPicker
              personas={roster.personas}
              selected={participantIds}
              dimensionOrder={dimensionOrder}
              error={errors.participantIds}
              onChange={(ids) => {
                setParticipantIds(ids);
                if (errors.participantIds) setErrors({ ...errors, participantIds: undefined });
              }}
            />
          )}
        </section>

        <section className="card" aria-labelledby={`${formId}-guide`}>
          <h2 id={`${formId}-guide`} className="section-title">
            {t("fgForm.guide")}
          </h2>
          <p className="field__hint guide-intro">{t("fgForm.guideHint")}</p>
          <GuideEditor items={guide} errors={guideErrors} onChange={setGuide} />
        </section>

        <section className="card" aria-labelledby={`${formId}-settings`}>
          <h2 id={`${formId}-settings`} className="section-title">
            {t("fgForm.settings")}
          </h2>
          {errors.settings ? <p className="field__error">{errors.settings}</p> : null}
          <SettingsFields
            values={settings}
            errors={errors}
            defaultModel={status.data?.models.discussion}
            onChange={(change) => setSettings((current) => ({ ...current, ...change }))}
          />
          <ProviderStatusLine model={settings.model.trim() || status.data?.models.discussion} />
          <p className="field__hint">{t("fgForm.estimateHint")}</p>
        </section>

        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={saving}>
            {focusGroupId === null
              ? saving
                ? t("fgForm.creating")
                : t("fgForm.create")
              : saving
                ? t("fgForm.saving")
                : t("fgForm.save")}
          </button>
          <a className="button" href={hrefOf(backRoute)}>
            {t("app.cancel")}
          </a>
        </div>
      </form>
    </>
  );
}
