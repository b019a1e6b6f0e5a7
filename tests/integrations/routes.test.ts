import { describe, expect, it } from "vitest";
import {
  hrefOf,
  parsePath,
  pathOf,
  routeOfSection,
  sectionOf,
  SECTIONS,
  type AppRoute,
} from "../../src/renderer/router/routes";

/** The Integrations area's hash routes: the page, a CRM's field mapping and one sync's records. */

describe("the Integrations routes", () => {
  const routes: [string, AppRoute][] = [
    ["/integrations", { page: "integrations" }],
    ["/integrations/hubspot/mapping", { page: "crm-mapping", provider: "hubspot" }],
    ["/integrations/salesforce/mapping", { page: "crm-mapping", provider: "salesforce" }],
    ["/integrations/syncs/sync_01H", { page: "crm-sync", id: "sync_01H" }],
  ];

  it.each(routes)("reads %s and writes it back", (path, route) => {
    expect(parsePath(`#${path}`)).toEqual(route);
    expect(pathOf(route)).toBe(path);
    expect(sectionOf(route)).toBe("integrations");
  });

  it.each([
    "/integrations/pipedrive/mapping",
    "/integrations/hubspot",
    "/integrations/hubspot/mapping/extra",
    "/integrations/syncs",
    "/integrations/syncs/bad id!",
  ])("finds nothing at %s", (path) => {
    expect(parsePath(`#${path}`)).toEqual({ page: "not-found", path });
  });

  it("keeps Integrations in the sidebar, between Exports and Plan & billing, as a built page", () => {
    expect(SECTIONS.slice(SECTIONS.indexOf("exports"), SECTIONS.indexOf("billing") + 1)).toEqual([
      "exports",
      "integrations",
      "billing",
    ]);
    expect(routeOfSection("integrations")).toEqual({ page: "integrations" });
    expect(hrefOf(routeOfSection("integrations"))).toBe("#/integrations");
  });

  it("sends every sidebar section to its own page", () => {
    for (const section of SECTIONS) expect(sectionOf(routeOfSection(section))).toBe(section);
  });
});
