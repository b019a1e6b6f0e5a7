import { useTranslation } from "react-i18next";
import type { Project } from "@shared/contract";
import { useInvokeQuery } from "../../api/hooks";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";

/** The project's focus groups at a glance on its detail page, and the way in. */
export function ProjectFocusGroupsCard({ project }: { project: Project }) {
  const { t } = useTranslation();
  const format = useFormat();
  const list = useInvokeQuery("focusGroups.list", { projectId: project.id, limit: 1 });
  const total = list.data?.total;
  return (
    <section className="card project-study" aria-labelledby="detail-focus-groups" data-testid="project-focus-groups">
      <div className="project-study__text">
        <h2 id="detail-focus-groups" className="section-title">
          {t("studies.focus-groups.title")}
        </h2>
        <p>
          {total === undefined
            ? t("app.loading")
            : total === 0
              ? t("focusGroups.projectNone")
              : t("focusGroups.projectCount", { count: format.integer(total) })}
        </p>
      </div>
      <div className="button-row">
        <a className="button" href={hrefOf({ page: "project-focus-groups", id: project.id })}>
          {t("focusGroups.view")}
        </a>
        <a className="button" href={hrefOf({ page: "focus-group-new", projectId: project.id })}>
          {t("focusGroups.new")}
        </a>
      </div>
    </section>
  );
}
