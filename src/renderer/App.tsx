import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useInvokeQuery } from "./api/hooks";
import { LiveInvalidation } from "./api/LiveInvalidation";
import { AppFrame } from "./components/AppFrame";
import { EmptyState, PageHeader, useDocumentTitle } from "./components/ui";
import { BillingPage } from "./features/billing/BillingPage";
import { BillingWatcher } from "./features/billing/BillingWatcher";
import { ExportJobToasts } from "./features/exports/ExportJobToasts";
import { ExportsPage } from "./features/exports/ExportsPage";
import { FocusGroupDetailPage } from "./features/focus-groups/FocusGroupDetailPage";
import { FocusGroupEditPage, FocusGroupNewPage } from "./features/focus-groups/FocusGroupFormPage";
import { FocusGroupsHomePage, ProjectFocusGroupsPage } from "./features/focus-groups/FocusGroupsPage";
import { CrmSyncToasts } from "./features/integrations/CrmSyncToasts";
import { IntegrationsPage } from "./features/integrations/IntegrationsPage";
import { MappingPage } from "./features/integrations/MappingPage";
import { SyncDetailPage } from "./features/integrations/SyncDetailPage";
import { LiveViewerPage } from "./features/live/LiveViewerPage";
import { GenerationToasts } from "./features/personas/GenerationToasts";
import { PersonaDetailPage } from "./features/personas/PersonaDetailPage";
import { PersonasHomePage, ProjectPersonasPage } from "./features/personas/PersonasPage";
import { ProjectDetailPage } from "./features/projects/ProjectDetailPage";
import { ProjectFormPage } from "./features/projects/ProjectFormPage";
import { ProjectsPage } from "./features/projects/ProjectsPage";
import { SettingsPage } from "./features/settings/SettingsPage";
import { StudyJobToasts } from "./features/studies/StudyJobToasts";
import { SurveyEditPage, SurveyNewPage } from "./features/surveys/SurveyBuilderPage";
import { SurveyDetailPage } from "./features/surveys/SurveyDetailPage";
import { ProjectSurveysPage, SurveysHomePage } from "./features/surveys/SurveysPage";
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

  // A live session joined from a sight:// link: full-window, without the workspace around it.
  if (route.page === "live-viewer") return <LiveViewerPage key={route.sessionId} sessionId={route.sessionId} />;

  return (
    <AppFrame route={route} appInfo={info.data}>
      <LiveInvalidation />
      <GenerationToasts />
      <StudyJobToasts />
      <ExportJobToasts />
      <CrmSyncToasts />
      <BillingWatcher />
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
    case "personas":
      return <PersonasHomePage />;
    case "project-personas":
      return <ProjectPersonasPage key={route.id} projectId={route.id} />;
    case "persona":
      return <PersonaDetailPage key={route.id} personaId={route.id} />;
    case "focus-groups":
      return <FocusGroupsHomePage />;
    case "project-focus-groups":
      return <ProjectFocusGroupsPage key={route.id} projectId={route.id} />;
    case "focus-group-new":
      return <FocusGroupNewPage key={route.projectId} projectId={route.projectId} />;
    case "focus-group":
      return <FocusGroupDetailPage key={route.id} focusGroupId={route.id} />;
    case "focus-group-edit":
      return <FocusGroupEditPage key={route.id} focusGroupId={route.id} />;
    case "surveys":
      return <SurveysHomePage />;
    case "project-surveys":
      return <ProjectSurveysPage key={route.id} projectId={route.id} />;
    case "survey-new":
      return <SurveyNewPage key={route.projectId} projectId={route.projectId} />;
    case "survey":
      return <SurveyDetailPage key={route.id} surveyId={route.id} />;
    case "survey-edit":
      return <SurveyEditPage key={route.id} surveyId={route.id} />;
    case "exports":
      return <ExportsPage />;
    case "integrations":
      return <IntegrationsPage />;
    case "crm-mapping":
      return <MappingPage key={route.provider} provider={route.provider} />;
    case "crm-sync":
      return <SyncDetailPage key={route.id} syncId={route.id} />;
    case "billing":
      return <BillingPage />;
    case "settings":
      return <SettingsPage />;
    case "live-viewer":
      // Rendered by App itself, outside the frame.
      return null;
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
