import type { z } from "zod";
import { projectRoutes } from "./projects";
import { jobRoutes } from "./jobs";
import { settingsRoutes } from "./settings";
import { llmRoutes } from "./llm";
import { personaRoutes } from "./personas";
import { focusGroupRoutes } from "./focus-groups";
import { surveyRoutes } from "./surveys";
import { exportRoutes } from "./exports";
import { billingRoutes } from "./billing";
import { recipeRoutes } from "./reproducibility";
import { stabilityRoutes } from "./stability";
import { liveRoutes } from "./live";
import { crmRoutes } from "./crm";

export * from "./errors";
export * from "./issues";
export * from "./events";
export * from "./define";
export * from "./common";
export * from "./projects";
export * from "./jobs";
export * from "./progress-labels";
export * from "./settings";
export * from "./llm";
export * from "./personas";
export * from "./focus-groups";
export * from "./surveys";
export * from "./response-style";
export * from "./exports";
export * from "./export-document";
export * from "./plan";
export * from "./billing";
export * from "./reproducibility";
export * from "./stability";
export * from "./live";
export * from "./crm";

/**
 * Every invoke route of the app. A feature is one entry here, one handler, one service method,
 * and one hook in the renderer; TypeScript checks the four against each other.
 */
export const routes = {
  ...projectRoutes,
  ...jobRoutes,
  ...settingsRoutes,
  ...llmRoutes,
  ...personaRoutes,
  ...focusGroupRoutes,
  ...surveyRoutes,
  ...exportRoutes,
  ...billingRoutes,
  ...recipeRoutes,
  ...stabilityRoutes,
  ...liveRoutes,
  ...crmRoutes,
};

export type Routes = typeof routes;
export type RouteName = keyof Routes;
export type RouteInput<N extends RouteName> = z.input<Routes[N]["input"]>;
export type RouteParsedInput<N extends RouteName> = z.output<Routes[N]["input"]>;
export type RouteOutput<N extends RouteName> = z.output<Routes[N]["output"]>;
export const ROUTE_NAMES = Object.keys(routes) as RouteName[];

export function isRouteName(name: unknown): name is RouteName {
  return typeof name === "string" && Object.hasOwn(routes, name);
}
export * from "./transport";
