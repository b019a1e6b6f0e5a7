import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Project } from "@shared/contract";
import { useInvokeQuery } from "../../api/hooks";
import { ProjectSelect, withCurrent } from "../../components/ProjectSelect";
import { EmptyState, ErrorState, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { navigate } from "../../router/navigation";
import { hrefOf } from "../../router/routes";
import { useUiStore } from "../../stores/ui";
import { ExportButton } from "../exports/ExportButton";
import { SyncToCrmButton } from "../integrations/SyncToCrmButton";
import { ProviderStatusLine } from "../llm/ProviderStatusLine";
import { GenerateDialog } from "./GenerateDialog";
import { GenerationProgress } from "./GenerationProgress";
import { isActiveJob, useLatestGenerationJob } from "./generation-jobs";
import { PersonaList } from "./PersonaList";
import { QuotaLine } from "./QuotaLine";
import { ValidationPanel } from "./ValidationPanel";

/** The picker holds one screenful of projects; more than this and the list page is the better tool. */
const PICKER_LIMIT = 100;

/**
 * #/personas: personas belong to a project, so this asks which one (and goes straight to the
 * last one used when it is still active).
 */
export function PersonasHomePage() {
  const { t } = useTranslation();
  useDocumentTitle(t("personas.title"));
  const remembered = useUiStore((state) => state.personasProjectId);
  const projects = useInvokeQuery("projects.list", { status: "active", sort: "name", limit: PICKER_LIMIT });
  const items = projects.data?.items;
  const resume = remembered && items?.some((project) => project.id === remembered) ? remembered : null;

  useEffect(() => {
    if (resume) navigate({ page: "project-personas", id: resume }, { replace: true });
  }, [resume]);

  if (projects.isPending || resume) return <Spinner label={t("app.loading")} />;
  if (projects.isError) {
    return <ErrorState error={projects.error} onRetry={() => void projects.refetch()} title={t("app.loadFailed")} />;
  }
  return (
    <>
      <PageHeader title={t("personas.title")}>
        <p className="page-header__subtitle">{t("personas.subtitle")}</p>
      </PageHeader>
      {projects.data.items.length === 0 ? (
        <EmptyState title={t("personas.noProjectsTitle")} body={t("personas.noProjectsBody")}>
          <a className="button button--primary" href={hrefOf({ page: "project-new" })}>
            {t("projects.newProject")}
          </a>
        </EmptyState>
      ) : (
        <>
          <div className="filters">
            <ProjectPicker current={null} projects={projects.data.items} />
          </div>
          <EmptyState title={t("personas.chooseTitle")} body={t("personas.chooseBody")} />
        </>
      )}
    </>
  );
}

function ProjectPicker({ current, projects }: { current: Project | null; projects: readonly Project[] }) {
  const { t } = useTranslation();
  return (
    <ProjectSelect
      label={t("personas.projectLabel")}
      projects={withCurrent(projects, current)}
      value={current?.id ?? null}
      emptyLabel={current ? null : t("personas.chooseProject")}
      onChange={(id) => {
        if (id) navigate({ page: "project-personas", id });
      }}
    />
  );
}

/** #/projects/<id>/personas: generation, live progress, the list and the check against the target. */
export function ProjectPersonasPage({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const project = useInvokeQuery("projects.get", { id: projectId });
  const remember = useUiStore((state) => state.setPersonasProjectId);
  useDocumentTitle(project.data ? `${t("personas.title")}: ${project.data.name}` : t("personas.title"));

  useEffect(() => {
    if (project.data) remember(project.data.id);
  }, [project.data, remember]);

  if (project.isPending) return <Spinner label={t("app.loading")} />;
  if (project.isError) {
    return project.error.code === "NOT_FOUND" ? (
      <>
        <PageHeader title={t("projectDetail.notFoundTitle")} />
        <EmptyState title={t("projectDetail.notFoundBody")}>
          <a className="button" href={hrefOf({ page: "projects" })}>
            {t("app.backToProjects")}
          </a>
        </EmptyState>
      </>
    ) : (
      <ErrorState error={project.error} onRetry={() => void project.refetch()} title={t("app.loadFailed")} />
    );
  }
  return <ProjectPersonas project={project.data} />;
}

function ProjectPersonas({ project }: { project: Project }) {
  const { t } = useTranslation();
  const projects = useInvokeQuery("projects.list", { status: "active", sort: "name", limit: PICKER_LIMIT });
  const { job } = useLatestGenerationJob(project.id);
  const [wizardOpen, setWizardOpen] = useState(false);
  const generating = job !== null && isActiveJob(job);

  const personas = useInvokeQuery("personas.list", { projectId: project.id, limit: 1 });
  const generateButton = (
    <button
      type="button"
      className="button button--primary"
      disabled={generating}
      title={generating ? t("personas.generatingHint") : undefined}
      onClick={() => setWizardOpen(true)}
    >
      {t("personas.generate")}
    </button>
  );

  return (
    <>
      <PageHeader
        title={t("personas.title")}
        actions={
          <div className="button-row">
            {personas.data && personas.data.total > 0 ? (
              <>
                <ExportButton target={{ projectId: project.id, scope: "personas", subject: project.name }} />
                <SyncToCrmButton subject={{ kind: "personas", projectId: project.id, name: project.name }} />
              </>
            ) : null}
            {generateButton}
          </div>
        }
      >
        <p className="page-header__subtitle">
          <a href={hrefOf({ page: "project", id: project.id })}>← {project.name}</a>
        </p>
      </PageHeader>

      <div className="personas-toolbar">
        <ProjectPicker current={project} projects={projects.data?.items ?? []} />
        <div className="personas-toolbar__status">
          <ProviderStatusLine />
          <QuotaLine />
        </div>
      </div>

      <GenerationProgress job={job} />
      <PersonaList project={project} generating={generating} onGenerate={() => setWizardOpen(true)} />
      <ValidationPanel projectId={project.id} />

      {wizardOpen ? <GenerateDialog project={project} onClose={() => setWizardOpen(false)} /> : null}
    </>
  );
}
