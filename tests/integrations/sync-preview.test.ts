import { describe, expect, it } from "vitest";
import { routes, type SyncPreview } from "../../src/shared/contract";
import { BridgeError } from "../../src/renderer/bridge/bridge";
import {
  fieldPairs,
  refusedProblems,
  requestOf,
  summarisePreview,
} from "../../src/renderer/features/integrations/sync-preview";

/** What the sync dialog sends, and what it says about a preview before the sync runs (pure, in the renderer). */

const ACCOUNT = { provider: "hubspot" as const, accountId: "123", accountName: "acme.hubspot.com", userEmail: null };

function previewOf(patch: Partial<SyncPreview> = {}): SyncPreview {
  return {
    kind: "personas",
    provider: "hubspot",
    account: ACCOUNT,
    counts: { create: 2, update: 1, skip: 3 },
    items: [
      {
        key: "p1",
        label: "Anna",
        action: "create",
        reason: null,
        reasonCode: null,
        fields: { firstname: "Anna", age: 34 },
      },
      { key: "p2", label: "Jan", action: "update", reason: "Age changed", reasonCode: "changed", fields: null },
    ],
    note: null,
    problems: [],
    ...patch,
  };
}

describe("a preview's summary", () => {
  it("counts what will be created, updated and skipped, and how many the table leaves out", () => {
    expect(summarisePreview(previewOf())).toMatchObject({
      create: 2,
      update: 1,
      skip: 3,
      total: 6,
      shown: 2,
      hidden: 4,
      blocked: false,
      nothingToDo: false,
    });
  });

  it("blocks the sync on a mapping error, and only shows a warning", () => {
    const warning = {
      target: "hs_lead_status",
      source: "gender" as const,
      code: "picklist_values" as const,
      severity: "warning" as const,
      message: "w",
    };
    const error = {
      target: "lastname",
      source: null,
      code: "required_unmapped" as const,
      severity: "error" as const,
      message: "e",
    };
    expect(summarisePreview(previewOf({ problems: [warning] }))).toMatchObject({
      blocked: false,
      warnings: [warning],
      errors: [],
    });
    expect(summarisePreview(previewOf({ problems: [warning, error] }))).toMatchObject({
      blocked: true,
      errors: [error],
    });
  });

  it("says there is nothing to do when every record is unchanged", () => {
    expect(summarisePreview(previewOf({ counts: { create: 0, update: 0, skip: 6 } })).nothingToDo).toBe(true);
    expect(summarisePreview(previewOf({ counts: { create: 0, update: 1, skip: 5 } })).nothingToDo).toBe(false);
  });

  it("lists a persona's values as sent, leaving empty ones out", () => {
    expect(fieldPairs({ firstname: "Anna", age: 34, lastname: "", jobtitle: null, opted: false })).toEqual([
      ["firstname", "Anna"],
      ["age", "34"],
      ["opted", "false"],
    ]);
    expect(fieldPairs(null)).toEqual([]);
  });
});

describe("the request the dialog's choices make", () => {
  const personas = { kind: "personas" as const, projectId: "proj_1", name: "Oat drink" };
  const insights = { kind: "insights" as const, studyKind: "focusGroup" as const, studyId: "fg_1", name: "Breakfast" };
  const target = { kind: "company" as const, id: "9001", name: "Acme Inc" };

  it("waits for a CRM, and for insights for the record the note is linked to", () => {
    expect(requestOf(personas, null, null)).toBeNull();
    expect(requestOf(insights, "hubspot", null)).toBeNull();
  });

  it("sends all of a project's personas, or the chosen ones, as the contract takes them", () => {
    const all = requestOf(personas, "hubspot", null)!;
    expect(all).toEqual({ kind: "personas", provider: "hubspot", projectId: "proj_1", sendUnchanged: false });
    const some = requestOf({ ...personas, personaIds: ["p1", "p2"] }, "salesforce", null)!;
    expect(some).toEqual({
      kind: "personas",
      provider: "salesforce",
      projectId: "proj_1",
      personaIds: ["p1", "p2"],
      sendUnchanged: false,
    });
    expect(requestOf({ ...personas, personaIds: [] }, "hubspot", null)).toEqual(all);
    const again = requestOf(personas, "hubspot", null, true)!;
    expect(again).toEqual({ kind: "personas", provider: "hubspot", projectId: "proj_1", sendUnchanged: true });
    for (const request of [all, some, again]) expect(routes["crm.preview"].input.safeParse(request).success).toBe(true);
  });

  it("sends a study's insights with the note's target, as the contract takes it", () => {
    const request = requestOf(insights, "hubspot", target)!;
    expect(request).toEqual({
      kind: "insights",
      provider: "hubspot",
      studyKind: "focusGroup",
      studyId: "fg_1",
      target,
    });
    expect(routes["crm.sync"].input.safeParse(request).success).toBe(true);
  });
});

describe("a refusal's mapping problems", () => {
  const problem = { target: "lastname", source: null, code: "required_unmapped", severity: "error", message: "e" };

  it("reads the problems main listed in details", () => {
    expect(refusedProblems(new BridgeError("VALIDATION_FAILED", "mapping", { problems: [problem] }))).toEqual([
      problem,
    ]);
  });

  it("is null for any other refusal", () => {
    expect(refusedProblems(new BridgeError("VALIDATION_FAILED", "x", { problems: [] }))).toBeNull();
    expect(refusedProblems(new BridgeError("VALIDATION_FAILED", "x", { problems: [{ code: "nope" }] }))).toBeNull();
    expect(refusedProblems(new BridgeError("CONFLICT", "x", { reason: "not_connected" }))).toBeNull();
    expect(refusedProblems(new Error("boom"))).toBeNull();
  });
});
