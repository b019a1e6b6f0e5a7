import type { z } from "zod";
import {
  AppError,
  isAppError,
  isRouteName,
  routes,
  type InvokeResult,
  type RouteName,
  type RouteOutput,
  type WireError,
  wireIssues,
} from "../../shared/contract";
import type { Services } from "../services/create-services";
import type { Logger } from "../services/logger";
import { jobHandlers } from "./handlers/jobs";
import { llmHandlers } from "./handlers/llm";
import { personaHandlers } from "./handlers/personas";
import { focusGroupHandlers } from "./handlers/focus-groups";
import { surveyHandlers } from "./handlers/surveys";
import { exportHandlers } from "./handlers/exports";
import { projectHandlers } from "./handlers/projects";
import { settingsHandlers } from "./handlers/settings";
import { billingHandlers } from "./handlers/billing";
import { recipeHandlers } from "./handlers/recipes";
import { stabilityHandlers } from "./handlers/stability";
import { liveHandlers } from "./handlers/live";
import { crmHandlers } from "./handlers/crm";
import type { CallContext, HandlerMap } from "./types";

export interface Router {
  invoke(name: unknown, input: unknown, ctx: CallContext): Promise<InvokeResult<unknown>>;
  invokeTyped<N extends RouteName>(name: N, input: unknown, ctx: CallContext): Promise<InvokeResult<RouteOutput<N>>>;
}

/** Merges per-area handler maps, refusing a name that two areas both claim. */
export function mergeHandlers(...maps: Partial<HandlerMap>[]): HandlerMap {
  const merged: Partial<HandlerMap> = {};
  for (const map of maps) {
    for (const name of Object.keys(map) as RouteName[]) {
      if (Object.hasOwn(merged, name)) throw new Error(`Route ${name} has two handlers.`);
      (merged as Record<string, unknown>)[name] = map[name];
    }
  }
  const missing = (Object.keys(routes) as RouteName[]).filter((name) => !Object.hasOwn(merged, name));
  if (missing.length) throw new Error(`Routes without a handler: ${missing.join(", ")}`);
  return merged as HandlerMap;
}

export function validationError(issues: z.core.$ZodIssue[], message = "The input is not valid."): WireError {
  return {
    code: "VALIDATION_FAILED",
    message: `${message} ${issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join(".") || "(input)"}: ${issue.message}`)
      .join("; ")}`.trim(),
    details: { issues: wireIssues(issues) },
  };
}

export function createRouter(services: Services, logger: Logger, extra: Partial<HandlerMap>[] = []): Router {
  const handlers = mergeHandlers(
    projectHandlers(services),
    jobHandlers(services),
    settingsHandlers(services),
    llmHandlers(services),
    personaHandlers(services),
    focusGroupHandlers(services),
    surveyHandlers(services),
    exportHandlers(services),
    billingHandlers(services),
    recipeHandlers(services),
    stabilityHandlers(services),
    liveHandlers(services),
    crmHandlers(services),
    ...extra,
  );

  const invoke = async (name: unknown, input: unknown, ctx: CallContext): Promise<InvokeResult<unknown>> => {
    if (!isRouteName(name)) {
      return { error: { code: "NOT_FOUND", message: `Unknown route ${String(name).slice(0, 80)}.` } };
    }
    const def = routes[name];
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) return { error: validationError(parsed.error.issues) };
    try {
      const handler = handlers[name] as (input: unknown, ctx: CallContext) => Promise<unknown>;
      const output = await handler(parsed.data, ctx);
      const checked = def.output.safeParse(output);
      if (!checked.success) {
        // A handler broke the contract: a bug on our side, never the caller's.
        logger.error("router.invalid_output", { route: name, issues: checked.error.issues.slice(0, 5) });
        return {
          error: { code: "INTERNAL", message: "The app produced an invalid response; the log has the details." },
        };
      }
      return { data: checked.data };
    } catch (error) {
      if (isAppError(error)) return { error: error.toWire() };
      logger.error("router.unhandled", { route: name, error });
      return { error: new AppError("INTERNAL", "Something went wrong; the log has the details.").toWire() };
    }
  };

  return {
    invoke,
    invokeTyped: (name, input, ctx) => invoke(name, input, ctx) as never,
  };
}
