import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { Project } from "@shared/contract";
import { useInvokeQuery } from "../../api/hooks";
import { ProjectSelect, withCurrent } from "../../components/ProjectSelect";
import { EmptyState, ErrorState, PageHeader, Spinner, useDocumentTitle } from "../../components/ui";
import { navigate } from "../../router/navigation";
import { hrefOf, type AppRoute } from "../../router/routes";
import { useUiStore } from "../../stores/ui";

export type StudyArea = "focus-groups" | "surveys";

/** The picker holds one screenful of projects; more than this and the projects page is the better tool. */
const PICKER_LIMIT = 100;

export function studyListRoute(area: StudyArea, projectId: string): AppRoute {
  return area === "focus-groups"
    ? { page: "project-focus-groups", id: projectId }
    : { page: "project-surveys", id: projectId };
}

/**
 * #/focus-groups and #/surveys: studies belong to a project, so this asks which one (and goes
 * straight to the last one used when it is still active).
 */
export function StudyAreaHome({ area }: { area: StudyArea }) {
  const { t } = useTranslation();
  const title = t(`studies.${area}.title`);
  useDocumentTitle(title);
  const remembered = useUiStore((state) => state.studiesProjectId);
  const projects = useInvokeQuery("projects.list", { status: "active", sort: "name", limit: PICKER_LIMIT });
  const items = projects.data?.items;
  const resume = remembered && items?.some((project) => project.id === remembered) ? remembered : null;

  useEffect(() => {
    if (resume) navigate(studyListRoute(area, resume), { replace: true });
  }, [resume, area]);

  if (projects.isPending || resume) return <Spinner label={t("app.loading")} />;
  if (projects.isError) {
    return <ErrorState error={projects.error} onRetry={() => void projects.refetch()} title={t("app.loadFailed")} />;
  }
  return (
    <>
      <PageHeader title={title}>
        <p className="page-header__subtitle">{t(`studies.${area}.subtitle`)}</p>
      </PageHeader>
      {projects.data.items.length === 0 ? (
        <EmptyState title={t("personas.noProjectsTitle")} body={t("studies.noProjectsBody")}>
          <a className="button button--primary" href={hrefOf({ page: "project-new" })}>
            {t("projects.newProject")}
          </a>
        </EmptyState>
      ) : (
        <>
          <div className="filters">
            <StudyProjectPicker area={area} current={null} projects={projects.data.items} />
          </div>
          <EmptyState title={t("studies.chooseTitle")} body={t(`studies.${area}.chooseBody`)} />
        </>
      )}
    </>
  );
}

/** Switches the area to another project. */
export function StudyProjectPicker({
  area,
  current,
  projects,
}: {
  area: StudyArea;
  current: Project | null;
  projects: readonly Project[];
}) {
  const { t } = useTranslation();
  return (
    <ProjectSelect
      label={t("personas.projectLabel")}
      projects={withCurrent(projects, current)}
      value={current?.id ?? null}
      emptyLabel={current ? null : t("personas.chooseProject")}
      onChange={(id) => {
        if (id) navigate(studyListRoute(area, id));
      }}
    />
  );
}

/** The projects the pickers offer (active ones, by name). */
export function usePickerProjects() {
  return useInvokeQuery("projects.list", { status: "active", sort: "name", limit: PICKER_LIMIT });
}
