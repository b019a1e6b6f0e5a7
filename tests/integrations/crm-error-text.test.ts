import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { BridgeError } from "../../src/renderer/bridge/bridge";
import { describeError } from "../../src/renderer/components/error-text";
import {
  CRM_REASONS,
  canResumeSync,
  crmErrorText,
  crmOfError,
  crmProblemText,
} from "../../src/renderer/features/integrations/crm-error-text";
import type { Format } from "../../src/renderer/i18n/format";
import { loadCatalogues } from "../support/i18n";

/**
 * A CRM's failures (a refused OAuth answer, an outage, a paused breaker) say which CRM and what
 * to do, in the UI's language, never with a key, a placeholder or the wrong remedy (AI settings).
 */

let tEn: TFunction;
let tPl: TFunction;

beforeAll(async () => {
  ({ tEn, tPl } = await loadCatalogues());
});

const formatOf = (language: string) => ({ language, integer: String }) as unknown as Format;
const crmError = (code: ConstructorParameters<typeof BridgeError>[0], reason: string, provider = "hubspot") =>
  new BridgeError(code, "server English", { provider, reason });

describe("a CRM's error, in the UI's language", () => {
  it.each(CRM_REASONS)("words %s in English and Polish, naming the CRM", (reason) => {
    for (const [t, english] of [
      [tEn, true],
      [tPl, false],
    ] as const) {
      const text = crmErrorText(t, english, crmError("UNAUTHORIZED", reason, "salesforce"))!;
      // A refused request keeps the CRM's own words in English (tested below).
      const ours = reason === "rejected" && english ? [text.heading] : [text.heading, text.message];
      for (const part of ours) {
        expect(part).not.toMatch(/crmErrors\.|\{\{|\}\}/);
        expect(part).toContain("Salesforce");
      }
    }
  });

  it("words the OAuth refusals in Sight's own words, not the server's", () => {
    expect(crmErrorText(tEn, true, crmError("UNAUTHORIZED", "denied"))).toEqual({
      heading: "HubSpot refused the connection",
      message: "Access was not allowed in HubSpot. To connect, start again and choose Allow.",
    });
    expect(crmErrorText(tPl, false, crmError("UNAUTHORIZED", "expired"))!.message).toBe(
      "Logowanie do HubSpot nie zostało dokończone w ciągu 10 minut i wygasło. Połącz ponownie.",
    );
  });

  it("keeps what the CRM said about a refused request in an English UI, and words it in Polish", () => {
    const error = crmError("VALIDATION_FAILED", "rejected");
    expect(crmErrorText(tEn, true, error)!.message).toBe("server English");
    expect(crmErrorText(tPl, false, error)!.message).toBe(
      "HubSpot odrzucił żądanie. Sprawdź mapowanie pól i spróbuj ponownie.",
    );
  });

  it("falls back to the server's English, or a general sentence, for a reason Sight does not know", () => {
    expect(crmErrorText(tEn, true, crmError("PROVIDER_UNAVAILABLE", "new_reason"))!.message).toBe("server English");
    expect(crmErrorText(tPl, false, crmError("PROVIDER_UNAVAILABLE", "new_reason"))).toEqual({
      heading: "HubSpot jest niedostępny",
      message: "HubSpot nie mógł tego wykonać. Sprawdź połączenie na stronie Integracje.",
    });
  });

  it("goes through describeError, so toasts and error states name the CRM instead of the AI provider", () => {
    const error = crmError("PROVIDER_UNAVAILABLE", "circuit_open");
    expect(describeError(tPl, formatOf("pl"), error)).toEqual({
      heading: "HubSpot jest niedostępny",
      message:
        "Sight wstrzymał zapytania do HubSpot po powtarzających się błędach. Po 30 sekundach przepuści następne zapytanie jako próbę; wtedy spróbuj ponownie. Zatrzymaną w ten sposób synchronizację można wznowić z historii synchronizacji.",
    });
    expect(describeError(tEn, formatOf("en"), new BridgeError("PROVIDER_UNAVAILABLE", "x")).heading).toBe(
      "AI provider unavailable",
    );
  });

  it("says the CRM refused the request only when it did", () => {
    expect(crmErrorText(tEn, true, crmError("VALIDATION_FAILED", "rejected"))!.heading).toBe(
      "HubSpot refused the request",
    );
    const redirect = crmErrorText(tEn, true, crmError("VALIDATION_FAILED", "redirect_not_allowed"))!;
    expect(redirect.heading).toBe("HubSpot could not do this");
    expect(redirect.message).toContain("127.0.0.1");
    expect(crmErrorText(tPl, false, crmError("CONFLICT", "sync_running"))!.message).toContain("już trwa");
  });

  it("offers Resume for an interrupted sync and for a failure that passes, never for a cancelled one", () => {
    const wire = (reason: string) => ({ code: "PROVIDER_UNAVAILABLE", message: "x", details: { reason } });
    expect(canResumeSync("interrupted", null)).toBe(true);
    for (const reason of ["rate_limited", "circuit_open", "daily_limit", "unavailable", "reconnect_required"])
      expect(canResumeSync("failed", wire(reason))).toBe(true);
    expect(canResumeSync("failed", wire("rejected"))).toBe(false);
    expect(canResumeSync("failed", null)).toBe(false);
    expect(canResumeSync("cancelled", wire("rate_limited"))).toBe(false);
    expect(canResumeSync("succeeded", null)).toBe(false);
  });

  it("leaves errors that name no CRM to the usual wording", () => {
    expect(crmOfError(new BridgeError("PROVIDER_UNAVAILABLE", "x", { provider: "gemini" }))).toBeNull();
    expect(crmErrorText(tEn, true, new BridgeError("CONFLICT", "x"))).toBeNull();
    expect(crmErrorText(tEn, true, new Error("boom"))).toBeNull();
    expect(crmOfError(crmError("RATE_LIMITED", "rate_limited", "salesforce"))).toBe("salesforce");
  });
});

describe("a status's problem", () => {
  const at = "2026-12-04T10:00:00.000Z";

  it("is worded from its code when Sight knows it", () => {
    expect(crmProblemText(tPl, false, "hubspot", { code: "denied", message: "access_denied", at } as never)).toBe(
      "Nie zezwolono na dostęp w HubSpot. Aby się połączyć, zacznij od nowa i wybierz „Zezwól”.",
    );
  });

  it("shows the server's English in an English UI for a code it does not know, else a general sentence", () => {
    const problem = { code: "weird", message: "Salesforce said something odd." };
    expect(crmProblemText(tEn, true, "salesforce", problem)).toBe("Salesforce said something odd.");
    expect(crmProblemText(tPl, false, "salesforce", problem)).toBe(
      "Salesforce nie mógł tego wykonać. Sprawdź połączenie na stronie Integracje.",
    );
  });
});
