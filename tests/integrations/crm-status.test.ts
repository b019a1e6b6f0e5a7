import { describe, expect, it } from "vitest";
import type { CrmProviderStatus } from "../../src/shared/contract";
import { cardStateOf, countdownOf, hasPendingSignIn } from "../../src/renderer/features/integrations/crm-status";

/** What an Integrations card shows for a CRM's status, and the consent page's countdown. */

const NOW = Date.parse("2026-12-04T10:00:00.000Z");
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

function statusOf(patch: Partial<CrmProviderStatus> = {}): CrmProviderStatus {
  return {
    provider: "hubspot",
    configured: true,
    notConfiguredReason: null,
    connected: false,
    account: null,
    connectedAt: null,
    loginUrl: null,
    pendingUntil: null,
    breaker: "closed",
    problem: null,
    ...patch,
  };
}

describe("an Integrations card's state", () => {
  it("is not_configured when this build cannot connect the CRM, whatever else the status says", () => {
    expect(cardStateOf(statusOf({ configured: false, notConfiguredReason: "No client id" }), NOW)).toBe(
      "not_configured",
    );
    expect(cardStateOf(statusOf({ configured: false, pendingUntil: at(60_000) }), NOW)).toBe("not_configured");
  });

  it("is disconnected, connected, or pending while a consent page's deadline is ahead", () => {
    expect(cardStateOf(statusOf(), NOW)).toBe("disconnected");
    expect(cardStateOf(statusOf({ connected: true }), NOW)).toBe("connected");
    expect(cardStateOf(statusOf({ pendingUntil: at(60_000) }), NOW)).toBe("pending");
    expect(cardStateOf(statusOf({ connected: true, pendingUntil: at(60_000) }), NOW)).toBe("pending");
  });

  it("offers Connect again once the deadline has passed here, before the status catches up", () => {
    expect(cardStateOf(statusOf({ pendingUntil: at(-1) }), NOW)).toBe("disconnected");
    expect(cardStateOf(statusOf({ connected: true, pendingUntil: at(0) }), NOW)).toBe("connected");
  });

  it("polls the status while any CRM has a consent page open", () => {
    expect(hasPendingSignIn(undefined)).toBe(false);
    expect(hasPendingSignIn([statusOf(), statusOf({ provider: "salesforce" })])).toBe(false);
    expect(hasPendingSignIn([statusOf(), statusOf({ provider: "salesforce", pendingUntil: at(5_000) })])).toBe(true);
  });
});

describe("the consent page's countdown", () => {
  it.each([
    [10 * 60_000, "10:00"],
    [9 * 60_000 + 5_000, "9:05"],
    [59_500, "1:00"],
    [1, "0:01"],
    [0, "0:00"],
    [-30_000, "0:00"],
  ])("reads %d ms ahead as %s", (offset, text) => {
    expect(countdownOf(at(offset), NOW)).toBe(text);
  });
});
