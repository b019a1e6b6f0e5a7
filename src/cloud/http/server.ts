import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from "fastify";
import { z } from "zod";
import { idSchema } from "../../shared/contract/common";
import {
  AppError,
  ERROR_CODES,
  ERROR_DESCRIPTIONS,
  HTTP_STATUS_BY_CODE,
  isAppError,
  type WireError,
} from "../../shared/contract/errors";
import { appSchemeSchema, cloudRoutes, type CloudRouteName, type CloudRoutes } from "../../shared/cloud/contract";
import { errorResponse, restPaths } from "../../main/headless/openapi";
import { validationError } from "../../main/api/router";
import type { Logger } from "../../main/services/logger";
import { registerViewerPage } from "../../main/services/live/viewer-page";
import type { AccountsService } from "../accounts/accounts-service";
import type { BillingService } from "../billing/billing-service";
import type { LicenceSigningKey } from "../licence/keys";
import type { HubspotBroker } from "../oauth/hubspot-broker";
import { cancelledPage, hubspotRefusedPage, hubspotReturnPage, returnPage } from "./pages";
import { HUBSPOT_CALLBACK_PATH, hubspotReturnUrl } from "../../shared/cloud/hubspot-broker";
import { oauthCallbackQuerySchema } from "../../shared/contract/crm";

export const WEBHOOK_PATH = "/api/v1/billing/webhook";

type Account = Awaited<ReturnType<AccountsService["authenticate"]>>;
type Ctx = { address: string; account: Account | null };
type CloudHandler<N extends CloudRouteName> = (
  input: z.output<CloudRoutes[N]["input"]>,
  ctx: Ctx,
) => Promise<z.input<CloudRoutes[N]["output"]>>;

const PUBLIC_ROUTES: readonly CloudRouteName[] = [
  "auth.signUp",
  "auth.signIn",
  "auth.refresh",
  "auth.signOut",
  // The HubSpot broker: for desktop users without a Cloud account, rate-limited per address.
  "oauth.hubspotConfig",
  "oauth.hubspotToken",
  "oauth.hubspotRevoke",
];

/** Routes whose bodies are a few short strings get a tighter limit than the Cloud's 64 KiB. */
const BODY_LIMITS: Partial<Record<CloudRouteName, number>> = {
  "oauth.hubspotToken": 4 * 1024,
  "oauth.hubspotRevoke": 2 * 1024,
};

export interface CloudHttpDeps {
  trustProxy?: boolean | number | string;
  accounts: AccountsService;
  billing: BillingService;
  hubspot: HubspotBroker;
  licenceKey: LicenceSigningKey;
  logger: Logger;
  version: string;
  /** Verifies and applies a webhook body; resolves to the HTTP status to answer. */
  webhook: (raw: Buffer, signature: string | undefined) => Promise<{ status: number; body: unknown }>;
  /** The built renderer, served as the live-session viewer at /live/<session>. */
  viewerDir?: string;
}

function sendError(reply: FastifyReply, error: WireError) {
  const retryAfterMs = (error.details as { retryAfterMs?: number } | undefined)?.retryAfterMs;
  if (error.code === "RATE_LIMITED" && typeof retryAfterMs === "number")
    reply.header("Retry-After", Math.ceil(retryAfterMs / 1000));
  return reply.code(HTTP_STATUS_BY_CODE[error.code]).send({ error });
}

export function buildCloudApp(deps: CloudHttpDeps): FastifyInstance {
  // A hop count is valid for Fastify's proxy-addr, though its type only names strings.
  const trustProxy = (deps.trustProxy ?? false) as FastifyServerOptions["trustProxy"];
  const options: FastifyServerOptions = { logger: false, bodyLimit: 64 * 1024, trustProxy };
  const app = Fastify(options);
  const handlers: { [N in CloudRouteName]: CloudHandler<N> } = {
    "auth.signUp": (input, ctx) => deps.accounts.signUp(input, ctx.address),
    "auth.signIn": (input, ctx) => deps.accounts.signIn(input, ctx.address),
    "auth.refresh": (input) => deps.accounts.refresh(input.refreshToken),
    "auth.signOut": async (input) => {
      await deps.accounts.signOut(input.refreshToken);
      return { signedOut: true as const };
    },
    "account.get": async (_input, ctx) => deps.accounts.view(ctx.account!),
    "account.delete": async (input, ctx) => {
      await deps.accounts.deleteAccount(ctx.account!.id, input.password);
      return { deleted: true as const };
    },
    "licence.get": (_input, ctx) => deps.billing.licenceFor(ctx.account!),
    "billing.createCheckout": (input, ctx) =>
      deps.billing.createCheckout(ctx.account!, input.tier, input.requestId, input.app),
    "billing.portal": (input, ctx) => deps.billing.portal(ctx.account!, input.app),
    "billing.changePlan": (input, ctx) => deps.billing.changePlan(ctx.account!, input),
    "oauth.hubspotConfig": (_input, ctx) => deps.hubspot.appConfig(ctx.address),
    "oauth.hubspotToken": (input, ctx) => deps.hubspot.token(input, ctx.address),
    "oauth.hubspotRevoke": async (input, ctx) => {
      await deps.hubspot.revoke(input.refresh_token, ctx.address);
      return { revoked: true as const };
    },
  };

  app.addHook("onRequest", async (_request, reply) => {
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("X-Frame-Options", "DENY");
    reply.header("Cache-Control", "no-store");
  });
  app.addHook("onResponse", async (request, reply) => {
    // The route, never the query or headers: no token or session id reaches the log.
    deps.logger.info("cloud.request", {
      method: request.method,
      route: request.routeOptions.url ?? "(none)",
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
  });
  app.setErrorHandler((error, _request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) {
      return sendError(reply, {
        code: "VALIDATION_FAILED",
        message: "The request body is not valid JSON or too large.",
      });
    }
    deps.logger.error("cloud.unhandled", { error });
    return sendError(reply, { code: "INTERNAL", message: "Something went wrong; the Cloud's log has the details." });
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, { code: "NOT_FOUND", message: "No such route." }));

  for (const name of Object.keys(cloudRoutes) as CloudRouteName[]) {
    const def = cloudRoutes[name];
    const bodyLimit = BODY_LIMITS[name];
    app.route({
      method: def.rest.method,
      url: `/api/v1${def.rest.path}`,
      ...(bodyLimit ? { bodyLimit } : {}),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const raw = def.rest.method === "GET" ? request.query : (request.body ?? {});
        const parsed = def.input.safeParse(raw);
        if (!parsed.success) return sendError(reply, validationError(parsed.error.issues));
        try {
          const account = PUBLIC_ROUTES.includes(name)
            ? null
            : await deps.accounts.authenticate(request.headers.authorization);
          const handler = handlers[name] as (input: unknown, ctx: Ctx) => Promise<unknown>;
          const output = def.output.parse(await handler(parsed.data, { address: request.ip, account }));
          return reply.code(def.rest.status ?? 200).send(output);
        } catch (error) {
          if (isAppError(error)) return sendError(reply, error.toWire());
          deps.logger.error("cloud.route_failed", { route: name, error });
          return sendError(
            reply,
            new AppError("INTERNAL", "Something went wrong; the Cloud's log has the details.").toWire(),
          );
        }
      },
    });
  }

  // Stripe signs the exact bytes it sent: this route keeps the body raw (no JSON parse before the check).
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 512 * 1024 }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(WEBHOOK_PATH, async (request, reply) => {
      const signature = request.headers["stripe-signature"];
      const result = await deps.webhook(request.body as Buffer, typeof signature === "string" ? signature : undefined);
      return reply.code(result.status).send(result.body);
    });
  });

  const html = (reply: FastifyReply, body: string) =>
    reply
      .header("Content-Type", "text/html; charset=utf-8")
      .header(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
      )
      .send(body);
  // Only the two known schemes; anything else in ?app= falls back to sight:// (no open redirect).
  const schemeOf = (request: FastifyRequest) => {
    const parsed = appSchemeSchema.safeParse((request.query as { app?: unknown }).app);
    return parsed.success ? parsed.data : "sight";
  };
  // HubSpot's consent page comes back here (the only https redirect URL it accepts); the state
  // says whether the answer goes on to the app (sight://) or a headless host on 127.0.0.1.
  app.get(HUBSPOT_CALLBACK_PATH, async (request, reply) => {
    const parsed = oauthCallbackQuerySchema.safeParse(request.query);
    const target = parsed.success ? hubspotReturnUrl(parsed.data.state) : null;
    if (!parsed.success || !target) return html(reply.code(400), hubspotRefusedPage());
    const url = new URL(target);
    for (const [name, value] of Object.entries(parsed.data)) if (value !== undefined) url.searchParams.set(name, value);
    if (url.protocol === "http:") return reply.redirect(url.toString(), 302);
    return html(reply, hubspotReturnPage(url.toString()));
  });
  app.get("/billing/return", async (request, reply) => html(reply, returnPage(schemeOf(request))));
  app.get("/billing/cancelled", async (request, reply) => html(reply, cancelledPage(schemeOf(request))));
  app.get("/api/v1/health", async () => ({ ok: true, version: deps.version }));
  // For operators and release builds that embed the key; the app never fetches it (it is pinned).
  app.get("/.well-known/sight-licence-keys.json", async () => ({ keys: [deps.licenceKey.publicJwk] }));
  app.get("/api/v1/openapi.json", async () => buildCloudOpenApi(deps.version));
  // The live-session viewer (its socket is the relay's, on LIVE_SOCKET_PATH; the invite admits).
  registerViewerPage(app, {
    ...(deps.viewerDir ? { rendererDir: deps.viewerDir } : {}),
    accepts: (id) => idSchema.safeParse(id).success,
  });
  return app;
}

export function buildCloudOpenApi(version: string): Record<string, unknown> {
  const paths = restPaths(cloudRoutes);
  // restPaths documents an object body by its properties; a union body (HubSpot's two grants) goes in whole.
  for (const def of Object.values(cloudRoutes)) {
    const operation = paths[`/api/v1${def.rest.path}`]?.[def.rest.method.toLowerCase()] as
      Record<string, unknown> | undefined;
    if (!operation || operation.requestBody || def.rest.method === "GET") continue;
    const { $schema: _, ...schema } = z.toJSONSchema(def.input, { io: "input", unrepresentable: "any" });
    if ("oneOf" in schema) operation.requestBody = { required: true, content: { "application/json": { schema } } };
  }
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item) as Record<string, unknown>[]) {
      if (PUBLIC_ROUTES.includes(operation.operationId as CloudRouteName)) operation.security = [];
    }
  }
  paths[WEBHOOK_PATH] = {
    post: {
      operationId: "billing.webhook",
      summary:
        "Stripe's webhook endpoint. The body is verified on its raw bytes against the Stripe-Signature header (300 s tolerance); every event is stored and applied exactly once.",
      tags: ["billing"],
      security: [],
      parameters: [{ name: "Stripe-Signature", in: "header", required: true, schema: { type: "string" } }],
      requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } },
      responses: {
        "200": {
          description: "Applied, ignored or a duplicate",
          content: { "application/json": { schema: { type: "object" } } },
        },
        "400": errorResponse,
        "500": { description: "Not applied; Stripe will deliver it again" },
      },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Sight Cloud API",
      version,
      description:
        "Accounts, billing and licences for Sight Desktop. Authenticated routes need `Authorization: Bearer <access token>` from sign-in or refresh. Errors: " +
        ERROR_CODES.map((code) => `${code} (HTTP ${HTTP_STATUS_BY_CODE[code]}): ${ERROR_DESCRIPTIONS[code]}`).join(" "),
    },
    servers: [{ url: "/" }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}
