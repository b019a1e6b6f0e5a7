import { afterEach, expect } from "vitest";
import { AppError } from "../../src/shared/contract";
import { startHubspotFake, type HubspotFakeOptions } from "../../fakes/hubspot";
import { startSalesforceFake, type SalesforceFakeOptions } from "../../fakes/salesforce";
import type { CrmFakeState } from "../../fakes/crm/server";
import { HubspotProvider, type HubspotProviderOptions } from "../../src/main/services/crm/hubspot-provider";
import { hubspotAuthorizeUrl, hubspotTokenEndpoint } from "../../src/main/services/crm/hubspot-oauth";
import { OAuthFlows } from "../../src/main/services/crm/oauth-flow";
import { SalesforceProvider, type SalesforceProviderOptions } from "../../src/main/services/crm/salesforce-provider";
import { salesforceAuthorizeUrl, salesforceTokenEndpoint } from "../../src/main/services/crm/salesforce-oauth";
import type { CrmProviderId, PersonaRecord } from "../../src/main/services/crm/crm-provider";
import type { TokenEndpoint, TokenSet } from "../../src/main/services/crm/token-keeper";

export const REDIRECT_URI = "http://127.0.0.1:47123/oauth/callback";

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()));
});

/** Fast retries for tests; the budget (3 attempts) and Retry-After handling stay as shipped. */
export const FAST_POLICY = { baseDelayMs: 5, maxDelayMs: 20 };

export { capturingLogger } from "../support/logger";

/** What a browser does on the consent page: open it, press Allow, follow nothing (read Location). */
export async function pressAllow(authorizeUrl: string): Promise<URL> {
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${await page.text()}`);
  const fields = new URLSearchParams(new URL(authorizeUrl).search);
  fields.set("decision", "allow");
  const answer = await fetch(authorizeUrl.split("?")[0]!, {
    method: "POST",
    body: fields,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
  if (answer.status !== 302) throw new Error(`consent answered ${answer.status}`);
  return new URL(answer.headers.get("location")!);
}

/** The whole connect flow: pending state + PKCE, consent page, callback checked, code exchanged. */
async function connectThrough(
  provider: CrmProviderId,
  endpoint: TokenEndpoint,
  authorizeUrl: (flow: { redirectUri: string; state: string; codeChallenge: string }) => string,
): Promise<TokenSet> {
  const flows = new OAuthFlows();
  const flow = flows.begin(provider, REDIRECT_URI);
  const callback = await pressAllow(authorizeUrl(flow));
  const done = flows.complete(provider, {
    state: callback.searchParams.get("state") ?? "",
    code: callback.searchParams.get("code") ?? undefined,
  });
  return endpoint.exchangeCode(done);
}

/** Awaits a promise that must reject with an AppError. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

export async function hubspotWorld(fakeOptions: HubspotFakeOptions = {}) {
  const fake = await startHubspotFake(fakeOptions);
  running.push(fake);
  const endpoint = hubspotTokenEndpoint({
    apiBaseUrl: fake.url,
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
  });
  const connect = () =>
    connectThrough("hubspot", endpoint, (flow) =>
      hubspotAuthorizeUrl({ authorizeUrl: `${fake.url}/oauth/authorize`, clientId: fake.clientId, ...flow }),
    );
  const persisted: TokenSet[] = [];
  const provider = async (options: Partial<HubspotProviderOptions> = {}) =>
    new HubspotProvider({
      apiBaseUrl: fake.url,
      tokens: options.tokens ?? (await connect()),
      tokenEndpoint: endpoint,
      persistTokens: async (tokens) => void persisted.push(tokens),
      ...options,
      policy: { ...FAST_POLICY, ...options.policy },
    });
  return { fake, endpoint, connect, provider, persisted, state: () => fake.control.state() as HubspotState };
}

export async function salesforceWorld(fakeOptions: SalesforceFakeOptions = {}) {
  const fake = await startSalesforceFake(fakeOptions);
  running.push(fake);
  const endpoint = salesforceTokenEndpoint({ loginUrl: fake.url, clientId: fake.clientId });
  const connect = () =>
    connectThrough("salesforce", endpoint, (flow) =>
      salesforceAuthorizeUrl({ loginUrl: fake.url, clientId: fake.clientId, ...flow }),
    );
  const persisted: TokenSet[] = [];
  const provider = async (options: Partial<SalesforceProviderOptions> = {}) =>
    new SalesforceProvider({
      tokens: options.tokens ?? (await connect()),
      tokenEndpoint: endpoint,
      persistTokens: async (tokens) => void persisted.push(tokens),
      ...options,
      policy: { ...FAST_POLICY, ...options.policy },
    });
  return { fake, endpoint, connect, provider, persisted, state: () => fake.control.state() as SalesforceState };
}

interface FakeRecord {
  id: string;
  fields: Record<string, unknown>;
}

export interface HubspotState extends CrmFakeState {
  contacts: FakeRecord[];
  notes: (FakeRecord & { associations: { type: number; toObjectType: string; toId: string }[] })[];
  duplicateExternalIds: string[];
}

export interface SalesforceState extends CrmFakeState {
  leads: FakeRecord[];
  notes: FakeRecord[];
  links: FakeRecord[];
  tasks: FakeRecord[];
  accounts: FakeRecord[];
  opportunities: FakeRecord[];
  duplicateExternalIds: string[];
  dailyApiRemaining: number;
}

/** n synthetic personas already mapped to the CRM's field names. */
export function personas(n: number, toFields: (i: number) => PersonaRecord["fields"]): PersonaRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    externalId: `persona-${String(i + 1).padStart(4, "0")}`,
    fields: toFields(i),
  }));
}

export function counting<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
