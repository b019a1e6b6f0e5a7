import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Project } from "@shared/contract";
import { useInvokeQuery } from "../../api/hooks";
import { useFormat } from "../../i18n/format";
import { navigate } from "../../router/navigation";
import { hrefOf } from "../../router/routes";
import { GenerateDialog } from "./GenerateDialog";
import { isActiveJob, useLatestGenerationJob } from "./generation-jobs";

/** The project's personas at a glance on its detail page: how many, a run in progress, the way in. */
export function ProjectPersonasCard({ project }: { project: Project }) {
  const { t } = useTranslation();
  const format = useFormat();
  const personas = useInvokeQuery("personas.list", { projectId: project.id, limit: 1 });
  const { job } = useLatestGenerationJob(project.id);
  const [wizardOpen, setWizardOpen] = useState(false);
  const generating = job !== null && isActiveJob(job);
  const total = personas.data?.total;
  const listRoute = { page: "project-personas", id: project.id } as const;

  return (
    <section className="card project-personas" aria-labelledby="detail-personas" data-testid="project-personas">
      <div className="project-personas__text">
        <h2 id="detail-personas" className="section-title">
          {t("projectPersonas.title")}
        </h2>
        <p>
          {total === undefined
            ? t("app.loading")
            : total === 0
              ? t("projectPersonas.none")
              : t("projectPersonas.count", {
                  count: format.integer(total),
                  target: format.integer(project.targetSampleSize),
                })}
        </p>
        {generating ? (
          <p className="muted">
            <span className="spinner" aria-hidden="true" />{" "}
            {t("projectPersonas.generating", {
              done: format.integer(job.progress.done),
              total: format.integer(job.progress.total),
            })}
          </p>
        ) : null}
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          disabled={generating}
          onClick={() => setWizardOpen(true)}
        >
          {t("personas.generate")}
        </button>
        <a className="button" href={hrefOf(listRoute)}>
          {t("projectPersonas.view")}
        </a>
      </div>
      {wizardOpen ? (
        <GenerateDialog project={project} onClose={() => setWizardOpen(false)} onStarted={() => navigate(listRoute)} />
      ) : null}
    </section>
  );
}
