/**
 * Hash routes (#/projects/<id>) so that a reload or a pasted link lands on the same page in
 * both hosts (Electron's custom protocol and the headless host's static server) without any
 * server-side routing.
 */
// Relative import: tests/ load this module outside Vite, where the @shared alias does not exist.
import { CRM_PROVIDERS, type CrmProviderId } from "../../shared/contract/crm";

export type AppRoute =
  | { page: "projects" }
  | { page: "project-new" }
  | { page: "project"; id: string }
  | { page: "project-edit"; id: string }
  /** The personas area without a project chosen yet: a project picker. */
  | { page: "personas" }
  | { page: "project-personas"; id: string }
  | { page: "persona"; id: string }
  /** Studies areas without a project chosen yet: a project picker, like personas. */
  | { page: "focus-groups" }
  | { page: "project-focus-groups"; id: string }
  | { page: "focus-group-new"; projectId: string }
  | { page: "focus-group"; id: string }
  | { page: "focus-group-edit"; id: string }
  | { page: "surveys" }
  | { page: "project-surveys"; id: string }
  | { page: "survey-new"; projectId: string }
  | { page: "survey"; id: string }
  | { page: "survey-edit"; id: string }
  /** Recent exports of every project, with share links and the cache's size. */
  | { page: "exports" }
  /** The CRMs (connect, disconnect) and the history of syncs to them. */
  | { page: "integrations" }
  /** Which CRM property each persona field fills, for one connected CRM. */
  | { page: "crm-mapping"; provider: CrmProviderId }
  /** One sync of the history: its counts and each record's outcome. */
  | { page: "crm-sync"; id: string }
  | { page: "billing" }
  | { page: "settings" }
  /** Watching a live session from a sight://join-session link (the invite itself stays in memory). */
  | { page: "live-viewer"; sessionId: string }
  | { page: "not-found"; path: string };

/** Sidebar sections, in order; `section` of a route says which one is current. */
export const SECTIONS = [
  "projects",
  "personas",
  "focus-groups",
  "surveys",
  "exports",
  "integrations",
  "billing",
  "settings",
] as const;
export type Section = (typeof SECTIONS)[number];

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function parsePath(path: string): AppRoute {
  const parts = path.replace(/^#/, "").split("?")[0]!.split("/").filter(Boolean).map(safeDecode);
  const [head, second, third, fourth] = parts;
  if (parts.length === 0) return { page: "projects" };
  if (head === "projects") {
    if (parts.length === 1) return { page: "projects" };
    if (second === "new" && parts.length === 2) return { page: "project-new" };
    if (second && ID.test(second)) {
      if (parts.length === 2) return { page: "project", id: second };
      if (third === "edit" && parts.length === 3) return { page: "project-edit", id: second };
      if (third === "personas" && parts.length === 3) return { page: "project-personas", id: second };
      if (third === "focus-groups") {
        if (parts.length === 3) return { page: "project-focus-groups", id: second };
        if (fourth === "new" && parts.length === 4) return { page: "focus-group-new", projectId: second };
      }
      if (third === "surveys") {
        if (parts.length === 3) return { page: "project-surveys", id: second };
        if (fourth === "new" && parts.length === 4) return { page: "survey-new", projectId: second };
      }
    }
  }
  if (head === "focus-groups") {
    if (parts.length === 1) return { page: "focus-groups" };
    if (second && ID.test(second)) {
      if (parts.length === 2) return { page: "focus-group", id: second };
      if (third === "edit" && parts.length === 3) return { page: "focus-group-edit", id: second };
    }
  }
  if (head === "surveys") {
    if (parts.length === 1) return { page: "surveys" };
    if (second && ID.test(second)) {
      if (parts.length === 2) return { page: "survey", id: second };
      if (third === "edit" && parts.length === 3) return { page: "survey-edit", id: second };
    }
  }
  if (head === "personas") {
    if (parts.length === 1) return { page: "personas" };
    if (second && ID.test(second) && parts.length === 2) return { page: "persona", id: second };
  }
  if (head === "live" && second && ID.test(second) && parts.length === 2)
    return { page: "live-viewer", sessionId: second };
  if (head === "integrations") {
    if (parts.length === 1) return { page: "integrations" };
    if (second === "syncs" && third && ID.test(third) && parts.length === 3) return { page: "crm-sync", id: third };
    if (isCrmProvider(second) && third === "mapping" && parts.length === 3)
      return { page: "crm-mapping", provider: second };
  }
  if (parts.length === 1) {
    if (head === "exports") return { page: "exports" };
    if (head === "plan") return { page: "billing" };
    if (head === "settings") return { page: "settings" };
  }
  return { page: "not-found", path: path.replace(/^#/, "") };
}

export function pathOf(route: AppRoute): string {
  switch (route.page) {
    case "projects":
      return "/projects";
    case "project-new":
      return "/projects/new";
    case "project":
      return `/projects/${encodeURIComponent(route.id)}`;
    case "project-edit":
      return `/projects/${encodeURIComponent(route.id)}/edit`;
    case "personas":
      return "/personas";
    case "project-personas":
      return `/projects/${encodeURIComponent(route.id)}/personas`;
    case "persona":
      return `/personas/${encodeURIComponent(route.id)}`;
    case "focus-groups":
      return "/focus-groups";
    case "project-focus-groups":
      return `/projects/${encodeURIComponent(route.id)}/focus-groups`;
    case "focus-group-new":
      return `/projects/${encodeURIComponent(route.projectId)}/focus-groups/new`;
    case "focus-group":
      return `/focus-groups/${encodeURIComponent(route.id)}`;
    case "focus-group-edit":
      return `/focus-groups/${encodeURIComponent(route.id)}/edit`;
    case "surveys":
      return "/surveys";
    case "project-surveys":
      return `/projects/${encodeURIComponent(route.id)}/surveys`;
    case "survey-new":
      return `/projects/${encodeURIComponent(route.projectId)}/surveys/new`;
    case "survey":
      return `/surveys/${encodeURIComponent(route.id)}`;
    case "survey-edit":
      return `/surveys/${encodeURIComponent(route.id)}/edit`;
    case "exports":
      return "/exports";
    case "integrations":
      return "/integrations";
    case "crm-mapping":
      return `/integrations/${route.provider}/mapping`;
    case "crm-sync":
      return `/integrations/syncs/${encodeURIComponent(route.id)}`;
    case "billing":
      return "/plan";
    case "settings":
      return "/settings";
    case "live-viewer":
      return `/live/${encodeURIComponent(route.sessionId)}`;
    case "not-found":
      return route.path;
  }
}

export function hrefOf(route: AppRoute): string {
  return `#${pathOf(route)}`;
}

export function sectionOf(route: AppRoute): Section | null {
  switch (route.page) {
    case "projects":
    case "project-new":
    case "project":
    case "project-edit":
      return "projects";
    case "personas":
    case "project-personas":
    case "persona":
      return "personas";
    case "focus-groups":
    case "project-focus-groups":
    case "focus-group-new":
    case "focus-group":
    case "focus-group-edit":
      return "focus-groups";
    case "surveys":
    case "project-surveys":
    case "survey-new":
    case "survey":
    case "survey-edit":
      return "surveys";
    case "exports":
      return "exports";
    case "integrations":
    case "crm-mapping":
    case "crm-sync":
      return "integrations";
    case "billing":
      return "billing";
    case "settings":
      return "settings";
    case "live-viewer":
    case "not-found":
      return null;
  }
}

export function routeOfSection(section: Section): AppRoute {
  switch (section) {
    case "projects":
    case "personas":
    case "focus-groups":
    case "surveys":
    case "exports":
    case "integrations":
    case "billing":
    case "settings":
      return { page: section };
  }
}

function isCrmProvider(value: string | undefined): value is CrmProviderId {
  return (CRM_PROVIDERS as readonly (string | undefined)[]).includes(value);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
