import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { PERSONA_LOCALES, type Project, type ProjectCreate } from "@shared/contract";
import { useQueryClient } from "@tanstack/react-query";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import type { BridgeError } from "../../bridge/bridge";
import { useNotify } from "../../components/notify";
import { EmptyState, ErrorState, Field, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { navigate } from "../../router/navigation";
import { hrefOf } from "../../router/routes";
import { DemographicsEditor } from "../demographics/DemographicsEditor";
import { demographicsFromDrafts, draftsFromDemographics, type DimensionDraft } from "../demographics/drafts";
import { isPersonaLocale, usePersonaLocaleText, type PersonaLocale } from "../personas/locales";
import {
  checkProjectForm,
  hasProblems,
  mergeErrors,
  NO_ERRORS,
  projectFormErrors,
  useProjectFieldWords,
  type ProjectFormErrors,
} from "./form-errors";

type Initial = Pick<
  Project,
  | "name"
  | "description"
  | "researchGoal"
  | "targetAudience"
  | "targetSampleSize"
  | "targetDemographics"
  | "personaLocale"
>;

const BLANK: Initial = {
  name: "",
  description: "",
  researchGoal: "",
  targetAudience: "",
  targetSampleSize: 20,
  targetDemographics: {},
  personaLocale: null,
};

/** New project (projectId null) or edit: loads the project first, then hands it to the form. */
export function ProjectFormPage({ projectId }: { projectId: string | null }) {
  const { t } = useTranslation();
  useDocumentTitle(projectId ? t("projectForm.editTitle") : t("projectForm.newTitle"));
  const project = useInvokeQuery("projects.get", { id: projectId ?? "" }, { enabled: projectId !== null });
  if (projectId === null) return <ProjectForm projectId={null} initial={BLANK} />;
  if (project.isPending) return <Spinner label={t("app.loading")} />;
  if (project.isError) {
    return project.error.code === "NOT_FOUND" ? (
      <EmptyState title={t("projectDetail.notFoundTitle")} body={t("projectDetail.notFoundBody")}>
        <a className="button" href={hrefOf({ page: "projects" })}>
          {t("app.backToProjects")}
        </a>
      </EmptyState>
    ) : (
      <ErrorState error={project.error} onRetry={() => void project.refetch()} title={t("app.loadFailed")} />
    );
  }
  return <ProjectForm projectId={projectId} initial={project.data} />;
}

function ProjectForm({ projectId, initial }: { projectId: string | null; initial: Initial }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);

  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [researchGoal, setResearchGoal] = useState(initial.researchGoal);
  const [targetAudience, setTargetAudience] = useState(initial.targetAudience);
  const [sampleSize, setSampleSize] = useState(String(initial.targetSampleSize));
  const [drafts, setDrafts] = useState<DimensionDraft[]>(() => draftsFromDemographics(initial.targetDemographics));
  const [personaLocale, setPersonaLocale] = useState<PersonaLocale | null>(initial.personaLocale);
  /** A save was tried: from then on the form's own check runs live, so each message goes as it is fixed. */
  const [submitted, setSubmitted] = useState(false);
  /** What the server refused that the form's own check did not see (cleared by the next edit). */
  const [refusal, setRefusal] = useState<ProjectFormErrors | null>(null);
  const [focusErrors, setFocusErrors] = useState(0);

  const create = useInvokeMutation("projects.create");
  const update = useInvokeMutation("projects.update");
  const saving = create.isPending || update.isPending;

  const input = {
    name,
    description,
    researchGoal,
    targetAudience,
    targetSampleSize: sampleSize.trim() === "" ? Number.NaN : Number(sampleSize),
    targetDemographics: demographicsFromDrafts(drafts),
    personaLocale,
  } satisfies ProjectCreate;
  const localeText = usePersonaLocaleText();
  // What "follow the target" means right now, from what is typed in this form.
  const followed = localeText({ ...input, personaLocale: null });
  const own = useProjectFieldWords();
  const check = checkProjectForm(input, drafts, own);
  const errors: ProjectFormErrors = submitted ? mergeErrors(check, refusal) : (refusal ?? NO_ERRORS);
  const invalid = Object.keys(errors.fields).length > 0 || errors.demographics.length > 0 || check.duplicates;

  // After a refused save, bring the first problem into view and focus.
  useEffect(() => {
    if (focusErrors === 0) return;
    const form = formRef.current;
    if (!form) return;
    const target =
      form.querySelector<HTMLElement>('.field [aria-invalid="true"]') ??
      form.querySelector<HTMLElement>('.dimension [aria-invalid="true"]') ??
      form.querySelector<HTMLElement>(".dimension--invalid h3") ??
      form.querySelector<HTMLElement>(".form-error");
    target?.scrollIntoView({ block: "center" });
    target?.focus({ preventScroll: true });
  }, [focusErrors]);

  const onError = (error: BridgeError) => {
    const parsed = projectFormErrors(error, own);
    // Field and demographics refusals are said beside what they are about; anything else is a toast.
    if (!parsed) {
      notify.error(error);
      return;
    }
    setRefusal(parsed);
    setFocusErrors((count) => count + 1);
  };

  const edited =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setRefusal(null);
    };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setSubmitted(true);
    setRefusal(null);
    // Checked here first, with the route's own schema and rules: nothing invalid is sent.
    if (hasProblems(check)) {
      setFocusErrors((count) => count + 1);
      return;
    }
    if (projectId === null) {
      create.mutate(input, {
        onSuccess: (project) => {
          notify.success(({ t }) => t("toasts.projectCreated"), project.name);
          client.setQueryData(invokeQueryKey("projects.get", { id: project.id }), project);
          navigate({ page: "project", id: project.id });
        },
        onError,
      });
    } else {
      update.mutate(
        { id: projectId, ...input },
        {
          onSuccess: (project) => {
            notify.success(({ t }) => t("toasts.projectSaved"), project.name);
            client.setQueryData(invokeQueryKey("projects.get", { id: project.id }), project);
            navigate({ page: "project", id: project.id });
          },
          onError,
        },
      );
    }
  };

  const cancelHref = projectId ? hrefOf({ page: "project", id: projectId }) : hrefOf({ page: "projects" });

  return (
    <>
      <PageHeader title={projectId ? t("projectForm.editTitle") : t("projectForm.newTitle")}>
        {projectId ? <p className="page-header__subtitle">{initial.name}</p> : null}
      </PageHeader>
      <form ref={formRef} className="form" onSubmit={submit} noValidate aria-busy={saving}>
        {(submitted || refusal) && invalid ? (
          <div className="notice notice--error form-error" role="alert" tabIndex={-1} data-testid="form-error">
            {t("projectForm.fixErrors")}
          </div>
        ) : null}
        <section className="card form__section" aria-labelledby="basics-title">
          <h2 id="basics-title" className="section-title">
            {t("projectForm.basics")}
          </h2>
          <Field label={t("projectForm.name")} error={errors.fields.name} required>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input"
                type="text"
                value={name}
                maxLength={120}
                required
                autoFocus={projectId === null}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => edited(setName)(event.target.value)}
              />
            )}
          </Field>
          <Field label={t("projectForm.description")} error={errors.fields.description}>
            {({ id, describedBy, invalid }) => (
              <textarea
                id={id}
                className="textarea"
                rows={3}
                value={description}
                maxLength={5000}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => edited(setDescription)(event.target.value)}
              />
            )}
          </Field>
          <Field
            label={t("projectForm.researchGoal")}
            hint={t("projectForm.researchGoalHint")}
            error={errors.fields.researchGoal}
          >
            {({ id, describedBy, invalid }) => (
              <textarea
                id={id}
                className="textarea"
                rows={3}
                value={researchGoal}
                maxLength={5000}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => edited(setResearchGoal)(event.target.value)}
              />
            )}
          </Field>
          <Field
            label={t("projectForm.targetAudience")}
            hint={t("projectForm.targetAudienceHint")}
            error={errors.fields.targetAudience}
          >
            {({ id, describedBy, invalid }) => (
              <textarea
                id={id}
                className="textarea"
                rows={2}
                value={targetAudience}
                maxLength={5000}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => edited(setTargetAudience)(event.target.value)}
              />
            )}
          </Field>
          <Field
            label={t("projectForm.targetSampleSize")}
            hint={t("projectForm.targetSampleSizeHint")}
            error={errors.fields.targetSampleSize}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input input--number input--short"
                type="number"
                inputMode="numeric"
                min={1}
                max={1000}
                step={1}
                value={sampleSize}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => edited(setSampleSize)(event.target.value)}
              />
            )}
          </Field>
        </section>

        <div className="card form__section">
          <Field label={t("personaLocale.label")} hint={t("personaLocale.hint")}>
            {({ id, describedBy }) => (
              <select
                id={id}
                className="select"
                value={personaLocale ?? ""}
                aria-describedby={describedBy}
                data-testid="persona-locale"
                onChange={(event) =>
                  edited(setPersonaLocale)(isPersonaLocale(event.target.value) ? event.target.value : null)
                }
              >
                <option value="">{`${t("personaLocale.follow", { locale: followed.name })} (${followed.why})`}</option>
                {PERSONA_LOCALES.map((code) => (
                  <option key={code} value={code}>
                    {t(`locales.${code}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>

        <div className="card form__section">
          <DemographicsEditor
            drafts={drafts}
            setDrafts={(next) => {
              setDrafts(next);
              setRefusal(null);
            }}
            problems={errors.demographics}
            showErrors={submitted}
          />
        </div>

        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={saving}>
            {projectId === null
              ? saving
                ? t("projectForm.creating")
                : t("projectForm.create")
              : saving
                ? t("projectForm.saving")
                : t("projectForm.save")}
          </button>
          <a className="button" href={cancelHref}>
            {t("app.cancel")}
          </a>
        </div>
      </form>
    </>
  );
}
