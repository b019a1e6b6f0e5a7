import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { AppInfo } from "@shared/contract";
import { hrefOf, routeOfSection, sectionOf, SECTIONS, type AppRoute, type Section } from "../router/routes";
import { useUiStore } from "../stores/ui";
import { BillingBanner } from "../features/billing/BillingBanner";
import { ConnectionBanner } from "./ConnectionBanner";
import { Toasts } from "./Toasts";

const ICONS: Record<Section, string> = {
  projects: "M3 7h7l2 2h9v10H3z",
  personas: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8a7 7 0 0 1 14 0",
  "focus-groups": "M4 5h16v10H8l-4 4z",
  surveys: "M6 4h12v16H6zM9 8h6M9 12h6M9 16h3",
  exports: "M12 4v11m0 0-4-4m4 4 4-4M5 20h14",
  integrations: "M9 7 4 12l5 5M15 7l5 5-5 5",
  billing: "M3 6h18v12H3zM3 10h18",
  settings: "M4 7h9M17 7h3M15 5v4M4 17h3M11 17h9M9 15v4",
};

function NavIcon({ section }: { section: Section }) {
  return (
    <svg className="nav__icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        d={ICONS[section]}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
    </svg>
  );
}

export function AppFrame({
  route,
  appInfo,
  children,
}: {
  route: AppRoute;
  appInfo: AppInfo | undefined;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const collapsed = useUiStore((state) => state.sidebarCollapsed);
  const toggleSidebar = useUiStore((state) => state.toggleSidebar);
  const current = sectionOf(route);
  const mainRef = useRef<HTMLElement>(null);
  const routeKey = hrefOf(route);
  const firstRender = useRef(true);

  // After a navigation, move focus to the new page's heading (unless the page focused something itself).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const frame = window.requestAnimationFrame(() => {
      const main = mainRef.current;
      if (!main || main.contains(document.activeElement)) return;
      main.querySelector<HTMLElement>("h1")?.focus({ preventScroll: true });
      window.scrollTo({ top: 0 });
    });
    return () => window.cancelAnimationFrame(frame);
  }, [routeKey]);

  return (
    <div className={`app${collapsed ? " app--collapsed" : ""}`}>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        {t("app.skipToContent")}
      </a>
      <header className="app-header">
        <button
          type="button"
          className="icon-button"
          onClick={toggleSidebar}
          aria-label={collapsed ? t("app.expandSidebar") : t("app.collapseSidebar")}
          aria-expanded={!collapsed}
          aria-controls="sidebar"
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path d="M4 6h16M4 12h16M4 18h16" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
        <a className="brand" href={hrefOf({ page: "projects" })}>
          <span className="brand__mark" aria-hidden="true" />
          <span className="brand__name">{t("app.name")}</span>
        </a>
        {appInfo?.host === "headless" ? (
          <span className="badge badge--info" title={t("app.browserBadgeHint")}>
            {t("app.browserBadge")}
          </span>
        ) : null}
      </header>
      <ConnectionBanner />
      <BillingBanner onBillingPage={route.page === "billing"} />
      <div className="app-body">
        <nav id="sidebar" className="sidebar" aria-label={t("app.mainNav")}>
          <ul className="nav">
            {SECTIONS.map((section) => {
              const label = t(`nav.${section}`);
              return (
                <li key={section}>
                  <a
                    className="nav__link"
                    href={hrefOf(routeOfSection(section))}
                    aria-current={current === section ? "page" : undefined}
                    title={collapsed ? label : undefined}
                  >
                    <NavIcon section={section} />
                    <span className="nav__label">{label}</span>
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <main id="main" className="main" ref={mainRef} tabIndex={-1}>
          {children}
        </main>
      </div>
      <Toasts />
    </div>
  );
}
