import { useTranslation } from "react-i18next";
import type { Project } from "@shared/contract";
import { useInvokeQuery } from "../../api/hooks";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";

/** The project's surveys at a glance on its detail page, and the way in. */
export function ProjectSurveysCard({ project }: { project: Project }) {
  const { t } = useTranslation();
  const format = useFormat();
  const list = useInvokeQuery("surveys.list", { projectId: project.id, limit: 1 });
  const total = list.data?.total;
  return (
    <section className="card project-study" aria-labelledby="detail-surveys" data-testid="project-surveys">
      <div className="project-study__text">
        <h2 id="detail-surveys" className="section-title">
          {t("studies.surveys.title")}
        </h2>
        <p>
          {total === undefined
            ? t("app.loading")
            : total === 0
              ? t("surveys.projectNone")
              : t("surveys.projectCount", { count: format.integer(total) })}
        </p>
      </div>
      <div className="button-row">
        <a className="button" href={hrefOf({ page: "project-surveys", id: project.id })}>
          {t("surveys.view")}
        </a>
        <a className="button" href={hrefOf({ page: "survey-new", projectId: project.id })}>
          {t("surveys.new")}
        </a>
      </div>
    </section>
  );
}
