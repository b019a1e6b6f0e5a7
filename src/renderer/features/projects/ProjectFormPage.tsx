import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Project, ProjectCreate } from "@shared/contract";
import { useQueryClient } from "@tanstack/react-query";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import type { BridgeError } from "../../bridge/bridge";
import { useNotify } from "../../components/notify";
import { EmptyState, ErrorState, Field, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { navigate } from "../../router/navigation";
import { hrefOf } from "../../router/routes";
import { DemographicsEditor, type DemographicsProblem } from "../demographics/DemographicsEditor";
import {
  demographicsFromDrafts,
  draftsFromDemographics,
  duplicateCategoryUids,
  type DimensionDraft,
} from "../demographics/drafts";
import { useDemographicLabels } from "../demographics/labels";
import { projectFormErrors, type ProjectField } from "./server-errors";

type Initial = Pick<
  Project,
  "name" | "description" | "researchGoal" | "targetAudience" | "targetSampleSize" | "targetDemographics"
>;

const BLANK: Initial = {
  name: "",
  description: "",
  researchGoal: "",
  targetAudience: "",
  targetSampleSize: 20,
  targetDemographics: {},
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
  const labels = useDemographicLabels();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);

  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [researchGoal, setResearchGoal] = useState(initial.researchGoal);
  const [targetAudience, setTargetAudience] = useState(initial.targetAudience);
  const [sampleSize, setSampleSize] = useState(String(initial.targetSampleSize));
  const [drafts, setDrafts] = useState<DimensionDraft[]>(() => draftsFromDemographics(initial.targetDemographics));
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<ProjectField, string>>>({});
  const [problem, setProblem] = useState<DemographicsProblem | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [focusErrors, setFocusErrors] = useState(0);

  const create = useInvokeMutation("projects.create");
  const update = useInvokeMutation("projects.update");
  const saving = create.isPending || update.isPending;

  // After a refused save, bring the first problem into view and focus.
  useEffect(() => {
    if (focusErrors === 0) return;
    const form = formRef.current;
    if (!form) return;
    const target =
      form.querySelector<HTMLElement>('.field [aria-invalid="true"]') ??
      form.querySelector<HTMLElement>(".dimension--invalid h3") ??
      form.querySelector<HTMLElement>(".form-error");
    target?.scrollIntoView({ block: "center" });
    target?.focus({ preventScroll: true });
  }, [focusErrors]);

  const fieldMessage: Record<ProjectField, string> = {
    name: t("projectForm.errorName"),
    description: t("projectForm.errorText"),
    researchGoal: t("projectForm.errorText"),
    targetAudience: t("projectForm.errorText"),
    targetSampleSize: t("projectForm.errorSampleSize"),
  };

  const onError = (error: BridgeError) => {
    notify.error(error);
    const parsed = projectFormErrors(error);
    if (!parsed) return;
    const fields: Partial<Record<ProjectField, string>> = {};
    for (const field of Object.keys(parsed.fields) as ProjectField[]) fields[field] = fieldMessage[field];
    setFieldErrors(fields);
    setProblem(parsed.demographics);
    setFormError(t("projectForm.fixErrors"));
    setFocusErrors((count) => count + 1);
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const duplicated = drafts.find((draft) => duplicateCategoryUids(draft.categories).size > 0);
    if (duplicated) {
      setFormError(t("projectForm.duplicateCategories", { dimension: labels.dimension(duplicated.key) }));
      setFocusErrors((count) => count + 1);
      return;
    }
    setFieldErrors({});
    setProblem(null);
    setFormError(null);
    const input = {
      name,
      description,
      researchGoal,
      targetAudience,
      // Sent as typed; the main side validates (1–1000, whole) and the error lands on the field.
      targetSampleSize: sampleSize.trim() === "" ? 0 : Number(sampleSize),
      targetDemographics: demographicsFromDrafts(drafts),
    } satisfies ProjectCreate;
    if (projectId === null) {
      create.mutate(input, {
        onSuccess: (project) => {
          notify.success(t("toasts.projectCreated"), project.name);
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
            notify.success(t("toasts.projectSaved"), project.name);
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
        {formError ? (
          <div className="notice notice--error form-error" role="alert" tabIndex={-1}>
            {formError}
          </div>
        ) : null}
        <section className="card form__section" aria-labelledby="basics-title">
          <h2 id="basics-title" className="section-title">
            {t("projectForm.basics")}
          </h2>
          <Field label={t("projectForm.name")} error={fieldErrors.name} required>
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
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </Field>
          <Field label={t("projectForm.description")} error={fieldErrors.description}>
            {({ id, describedBy, invalid }) => (
              <textarea
                id={id}
                className="textarea"
                rows={3}
                value={description}
                maxLength={5000}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => setDescription(event.target.value)}
              />
            )}
          </Field>
          <Field
            label={t("projectForm.researchGoal")}
            hint={t("projectForm.researchGoalHint")}
            error={fieldErrors.researchGoal}
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
                onChange={(event) => setResearchGoal(event.target.value)}
              />
            )}
          </Field>
          <Field
            label={t("projectForm.targetAudience")}
            hint={t("projectForm.targetAudienceHint")}
            error={fieldErrors.targetAudience}
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
                onChange={(event) => setTargetAudience(event.target.value)}
              />
            )}
          </Field>
          <Field
            label={t("projectForm.targetSampleSize")}
            hint={t("projectForm.targetSampleSizeHint")}
            error={fieldErrors.targetSampleSize}
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
                onChange={(event) => setSampleSize(event.target.value)}
              />
            )}
          </Field>
        </section>

        <div className="card form__section">
          <DemographicsEditor
            drafts={drafts}
            setDrafts={setDrafts}
            problem={problem}
            clearProblem={() => setProblem(null)}
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
