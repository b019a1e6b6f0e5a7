/**
 * Hash routes (#/projects/<id>) so that a reload or a pasted link lands on the same page in
 * both hosts (Electron's custom protocol and the headless host's static server) without any
 * server-side routing.
 */

export const COMING_SOON_AREAS = ["personas", "focus-groups", "surveys", "exports", "integrations"] as const;
export type ComingSoonArea = (typeof COMING_SOON_AREAS)[number];

export type AppRoute =
  | { page: "projects" }
  | { page: "project-new" }
  | { page: "project"; id: string }
  | { page: "project-edit"; id: string }
  | { page: "coming-soon"; area: ComingSoonArea }
  | { page: "billing" }
  | { page: "settings" }
  | { page: "not-found"; path: string };

/** Sidebar sections, in order; `section` of a route says which one is current. */
export const SECTIONS = ["projects", ...COMING_SOON_AREAS, "billing", "settings"] as const;
export type Section = (typeof SECTIONS)[number];

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function parsePath(path: string): AppRoute {
  const parts = path.replace(/^#/, "").split("?")[0]!.split("/").filter(Boolean).map(safeDecode);
  const [head, second, third] = parts;
  if (parts.length === 0) return { page: "projects" };
  if (head === "projects") {
    if (parts.length === 1) return { page: "projects" };
    if (second === "new" && parts.length === 2) return { page: "project-new" };
    if (second && ID.test(second)) {
      if (parts.length === 2) return { page: "project", id: second };
      if (third === "edit" && parts.length === 3) return { page: "project-edit", id: second };
    }
  }
  if (parts.length === 1) {
    if ((COMING_SOON_AREAS as readonly string[]).includes(head!))
      return { page: "coming-soon", area: head as ComingSoonArea };
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
    case "coming-soon":
      return `/${route.area}`;
    case "billing":
      return "/plan";
    case "settings":
      return "/settings";
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
    case "coming-soon":
      return route.area;
    case "billing":
      return "billing";
    case "settings":
      return "settings";
    case "not-found":
      return null;
  }
}

export function routeOfSection(section: Section): AppRoute {
  if (section === "projects") return { page: "projects" };
  if (section === "billing") return { page: "billing" };
  if (section === "settings") return { page: "settings" };
  return { page: "coming-soon", area: section };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
