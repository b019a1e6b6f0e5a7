import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useInvokeQuery } from "./api/hooks";
import { LiveInvalidation } from "./api/LiveInvalidation";
import { AppFrame } from "./components/AppFrame";
import { EmptyState, PageHeader, useDocumentTitle } from "./components/ui";
import { BillingPage } from "./features/billing/BillingPage";
import { ComingSoonPage } from "./features/coming-soon/ComingSoonPage";
import { ProjectDetailPage } from "./features/projects/ProjectDetailPage";
import { ProjectFormPage } from "./features/projects/ProjectFormPage";
import { ProjectsPage } from "./features/projects/ProjectsPage";
import { SettingsPage } from "./features/settings/SettingsPage";
import { applyLanguage } from "./i18n";
import { useRoute } from "./router/navigation";
import { hrefOf, type AppRoute } from "./router/routes";
import { useGlobalShortcuts } from "./shortcuts";
import { useThemeSync } from "./theme/theme";

export function App() {
  const route = useRoute();
  const info = useInvokeQuery("app.info", {}, { staleTime: Infinity });
  const settings = useInvokeQuery("settings.get", {});
  const language = settings.data?.language;

  useThemeSync(settings.data?.theme);
  useEffect(() => {
    if (language) applyLanguage(language);
  }, [language]);
  useGlobalShortcuts(route);

  return (
    <AppFrame route={route} appInfo={info.data}>
      <LiveInvalidation />
      <Page route={route} />
    </AppFrame>
  );
}

function Page({ route }: { route: AppRoute }) {
  switch (route.page) {
    case "projects":
      return <ProjectsPage />;
    case "project-new":
      return <ProjectFormPage key="new" projectId={null} />;
    case "project":
      return <ProjectDetailPage key={route.id} projectId={route.id} />;
    case "project-edit":
      return <ProjectFormPage key={`edit-${route.id}`} projectId={route.id} />;
    case "coming-soon":
      return <ComingSoonPage key={route.area} area={route.area} />;
    case "billing":
      return <BillingPage />;
    case "settings":
      return <SettingsPage />;
    case "not-found":
      return <NotFoundPage path={route.path} />;
  }
}

function NotFoundPage({ path }: { path: string }) {
  const { t } = useTranslation();
  useDocumentTitle(t("app.notFoundTitle"));
  return (
    <>
      <PageHeader title={t("app.notFoundTitle")} />
      <EmptyState title={t("app.notFoundBody", { path })}>
        <a className="button button--primary" href={hrefOf({ page: "projects" })}>
          {t("app.backToProjects")}
        </a>
      </EmptyState>
    </>
  );
}
