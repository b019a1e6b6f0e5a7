import { useTranslation } from "react-i18next";
import { PageHeader, useDocumentTitle } from "../../components/ui";
import type { ComingSoonArea } from "../../router/routes";

/** Areas on the roadmap: say plainly that they are not built, and what they will do. */
export function ComingSoonPage({ area }: { area: ComingSoonArea }) {
  const { t } = useTranslation();
  const title = t(`comingSoon.${area}.title`);
  useDocumentTitle(title);
  return (
    <>
      <PageHeader
        title={
          <>
            {title}
            <span className="badge badge--title badge--info">{t("app.comingSoon")}</span>
          </>
        }
      />
      <section className="card coming-soon">
        <p className="coming-soon__lead">{t("comingSoon.lead")}</p>
        <p className="prose">{t(`comingSoon.${area}.body`)}</p>
      </section>
    </>
  );
}
