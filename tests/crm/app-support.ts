/**
 * The whole app (services + router) connected to the loopback HubSpot and Salesforce fakes:
 * the CRM service gets the fakes as its app registrations, as a build gets the real ones.
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import type { ServiceDeps } from "../../src/main/services/create-services";
import { hubspotTokenEndpoint } from "../../src/main/services/crm/hubspot-oauth";
import { startHubspotFake, type HubspotFake } from "../../fakes/hubspot";
import { startSalesforceFake, type SalesforceFake } from "../../fakes/salesforce";
import type { CrmProviderId, RouteInput, RouteName, RouteOutput } from "../../src/shared/contract";
import { newId } from "../../src/main/services/ids";
import { data, startTestApp, type TestApp } from "../support/services";
import { FAST_POLICY, pressAllow, type HubspotState, type SalesforceState } from "./support";

/** A route through the router (validated in and out), unwrapped. */
export async function call<N extends RouteName>(app: TestApp, name: N, input: RouteInput<N>): Promise<RouteOutput<N>> {
  return data(await app.router.invokeTyped(name, input, { transport: "ipc" }));
}

/** A route that must fail: its wire error. */
export async function refusal(app: TestApp, name: RouteName, input: unknown) {
  const result = await app.router.invoke(name, input, { transport: "ipc" });
  if (!("error" in result)) throw new Error(`${name} should have failed`);
  return result.error as { code: string; message: string; details?: Record<string, unknown> };
}

export const LOOPBACK_ORIGIN = "http://127.0.0.1:47999";

export interface CrmFakes {
  hubspot: HubspotFake;
  salesforce: SalesforceFake;
  close(): Promise<void>;
}

export async function startCrmFakes(): Promise<CrmFakes> {
  const hubspot = await startHubspotFake({});
  const salesforce = await startSalesforceFake({});
  return {
    hubspot,
    salesforce,
    async close() {
      await Promise.all([hubspot.close(), salesforce.close()]);
    },
  };
}

/** The `crm` service deps that point the app at the fakes (HubSpot's secret used directly: no Cloud here). */
export function crmDeps(fakes: {
  hubspot: { url: string; clientId: string; clientSecret: string };
  salesforce: { url: string; clientId: string };
}): NonNullable<ServiceDeps["crm"]> {
  return {
    apps: {
      hubspot: {
        clientId: fakes.hubspot.clientId,
        authorizeUrl: `${fakes.hubspot.url}/oauth/authorize`,
        apiBaseUrl: fakes.hubspot.url,
        tokenEndpoint: hubspotTokenEndpoint({
          apiBaseUrl: fakes.hubspot.url,
          clientId: fakes.hubspot.clientId,
          clientSecret: fakes.hubspot.clientSecret,
        }),
      },
      salesforce: { clientId: fakes.salesforce.clientId, loginUrl: fakes.salesforce.url, allowHttpLogin: true },
    },
    policy: FAST_POLICY,
  };
}

export async function startCrmApp(fakes: CrmFakes, overrides: Partial<ServiceDeps> = {}): Promise<TestApp> {
  const app = await startTestApp({ crm: crmDeps(fakes), ...overrides });
  app.services.crm.setLoopbackOrigin(LOOPBACK_ORIGIN);
  return app;
}

/** Connect through the router, the fake's consent page (Allow) and the loopback callback. */
export async function connectCrm(app: TestApp, provider: CrmProviderId, loginUrl?: string) {
  const started = await call(app, "crm.connect", { provider, ...(loginUrl ? { loginUrl } : {}) });
  const callback = await pressAllow(started.url);
  const page = await app.services.crm.callbackPage(Object.fromEntries(callback.searchParams));
  return { started, callback, page };
}

/** `count` personas in a new project, with ids in creation order. */
export async function seedPersonas(app: TestApp, count: number, name = "CRM sync study") {
  const { services } = app;
  const project = await call(app, "projects.create", { name, targetSampleSize: Math.min(Math.max(count, 1), 1000) });
  const genders = ["female", "male", "non-binary"];
  const rows = Array.from({ length: count }, (_, index) => ({
    id: newId(Date.UTC(2026, 0, 1) + index),
    projectId: project.id,
    slotIndex: index,
    demographics: "{}",
    name: `Persona${index} Tester${index}`,
    age: 20 + (index % 50),
    gender: genders[index % 3]!,
    location: index % 2 ? "Kraków" : "Gdańsk",
    education: "Bachelor",
    income: "Middle",
    occupation: `Occupation ${index}`,
    bigFive: JSON.stringify({
      openness: 0.5,
      conscientiousness: 0.5,
      extraversion: 0.5,
      agreeableness: 0.5,
      neuroticism: 0.5,
    }),
    values: JSON.stringify(["family", "health"]),
    interests: JSON.stringify(["cycling"]),
    backgroundStory: `Story ${index}.`,
    communicationStyle: "direct",
    decisionMakingStyle: "careful",
    concerns: JSON.stringify(["price"]),
    locale: "pl-PL",
  }));
  for (let start = 0; start < rows.length; start += 250)
    await services.db.prisma.persona.createMany({ data: rows.slice(start, start + 250) });
  return { projectId: project.id, personaIds: rows.map((row) => row.id) };
}

/**
 * One file's CRM world: the fakes for the whole file, and at most one app per test (`start`),
 * closed after it with the fakes reset.
 */
export function useCrmWorld() {
  let app: TestApp | null = null;
  const world = {
    fakes: undefined as unknown as CrmFakes,
    async start(overrides: Partial<ServiceDeps> = {}): Promise<TestApp> {
      app = await startCrmApp(world.fakes, overrides);
      return app;
    },
    hubspotState: () => world.fakes.hubspot.control.state() as HubspotState,
    salesforceState: () => world.fakes.salesforce.control.state() as SalesforceState,
  };
  beforeAll(async () => {
    world.fakes = await startCrmFakes();
  });
  afterAll(async () => {
    await world.fakes.close();
  });
  afterEach(async () => {
    await app?.close();
    app = null;
    world.fakes.hubspot.control.reset();
    world.fakes.salesforce.control.reset();
  });
  return world;
}
