import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Project } from "@shared/contract";
import { useInvokeQuery } from "../../api/hooks";
import { EmptyState, ErrorState, PageHeader, Spinner } from "../../components/ui";
import { hrefOf } from "../../router/routes";

/** Loads a project for a page scoped to it: a spinner, "does not exist", or the page itself. */
export function ProjectGate({ projectId, children }: { projectId: string; children: (project: Project) => ReactNode }) {
  const { t } = useTranslation();
  const project = useInvokeQuery("projects.get", { id: projectId });
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
  return <>{children(project.data)}</>;
}

/** "This … does not exist" for a study opened by a stale link. */
export function StudyNotFound({ title, body, back }: { title: string; body: string; back: ReactNode }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState title={body}>{back}</EmptyState>
    </>
  );
}
