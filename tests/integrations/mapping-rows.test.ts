import { describe, expect, it } from "vitest";
import { PERSONA_SOURCE_NAMES, type CrmField, type MappingProblem } from "../../src/shared/contract";
import {
  addRow,
  checkRows,
  entriesOf,
  isDirty,
  removeRow,
  rowsOf,
  targetOptions,
  updateRow,
  type MappingRow,
} from "../../src/renderer/features/integrations/mapping-rows";

/** The mapping screen's rows while they are edited, and what blocks Save (pure, in the renderer). */

const FIXED = { externalId: "sight_persona_id", synthetic: "sight_synthetic" };

function field(name: string, patch: Partial<CrmField> = {}): CrmField {
  return {
    name,
    label: name.replace(/_/g, " "),
    kind: "text",
    crmType: "string",
    writable: true,
    required: false,
    unique: false,
    options: [],
    maxLength: null,
    ...patch,
  };
}

const FIELDS: CrmField[] = [
  field("firstname", { label: "First name" }),
  field("lastname", { label: "Last name", required: true }),
  field("age", { label: "Age", kind: "number", crmType: "number" }),
  field("hs_object_id", { label: "Record ID", writable: false, crmType: "number", kind: "number" }),
  field("hs_lead_status", { label: "Lead status", kind: "picklist", crmType: "enumeration", options: ["NEW"] }),
  field("birthday", { label: "Birthday", kind: "date", crmType: "date" }),
  field("sight_persona_id", { label: "Sight persona id", unique: true }),
  field("sight_synthetic", { label: "Synthetic", kind: "boolean", crmType: "bool" }),
];

const rows = (...pairs: [MappingRow["source"], string][]) =>
  rowsOf(pairs.map(([source, target]) => ({ source, target })));
const codesOf = (check: ReturnType<typeof checkRows>, row: MappingRow) =>
  (check.byRow.get(row.id) ?? []).map((problem) => problem.code);
const check = (list: MappingRow[], problems: MappingProblem[] = [], fields: CrmField[] | null = FIELDS) =>
  checkRows(list, { fixed: FIXED, fields, problems });

describe("editing the rows", () => {
  it("adds a row for the first persona field no row uses yet, with no property chosen", () => {
    const start = rows(["name", "firstname"], ["firstName", "lastname"]);
    const added = addRow(start);
    expect(added).toHaveLength(3);
    expect(added[2]).toMatchObject({ source: "lastName", target: "" });
    expect(new Set(added.map((row) => row.id)).size).toBe(3);
  });

  it("adds a row for the first field again once every field is used", () => {
    const all = rowsOf(PERSONA_SOURCE_NAMES.map((source) => ({ source, target: `x_${source}` })));
    expect(addRow(all).at(-1)).toMatchObject({ source: PERSONA_SOURCE_NAMES[0], target: "" });
  });

  it("changes and removes one row by its id, keeping the others and their order", () => {
    const start = rows(["firstName", "firstname"], ["lastName", "lastname"], ["age", "age"]);
    const changed = updateRow(start, start[1]!.id, { target: "hs_lead_status" });
    expect(entriesOf(changed).map((entry) => entry.target)).toEqual(["firstname", "hs_lead_status", "age"]);
    expect(entriesOf(removeRow(changed, start[0]!.id))).toEqual([
      { source: "lastName", target: "hs_lead_status" },
      { source: "age", target: "age" },
    ]);
  });

  it("is dirty when a row, the order or the number of rows differs from the saved mapping", () => {
    const saved = {
      entries: [
        { source: "firstName" as const, target: "firstname" },
        { source: "age" as const, target: "age" },
      ],
    };
    const same = rowsOf(saved.entries);
    expect(isDirty(same, saved)).toBe(false);
    expect(isDirty([same[1]!, same[0]!], saved)).toBe(true);
    expect(isDirty(same.slice(1), saved)).toBe(true);
    expect(isDirty(updateRow(same, same[0]!.id, { source: "name" }), saved)).toBe(true);
  });
});

describe("what the rows are checked for", () => {
  it("passes a mapping of writable properties of matching types", () => {
    const result = check(rows(["firstName", "firstname"], ["lastName", "lastname"], ["age", "age"]));
    expect(result.blocked).toBe(false);
    expect(result.byRow.size).toBe(0);
    expect(result.general).toEqual([]);
  });

  it("refuses a row without a property", () => {
    const list = rows(["lastName", "lastname"], ["firstName", ""]);
    const result = check(list);
    expect(codesOf(result, list[1]!)).toEqual(["no_target"]);
    expect(result.blocked).toBe(true);
  });

  it("marks every row of a property filled twice, ignoring case as main does", () => {
    const list = rows(["lastName", "lastname"], ["name", "LastName"]);
    const result = check(list);
    expect(codesOf(result, list[0]!)).toEqual(["duplicate_target"]);
    expect(codesOf(result, list[1]!)).toEqual(["duplicate_target"]);
  });

  it("refuses the properties Sight writes itself", () => {
    const list = rows(["lastName", "lastname"], ["name", "sight_persona_id"], ["project", "SIGHT_SYNTHETIC"]);
    const result = check(list);
    expect(codesOf(result, list[1]!)).toEqual(["reserved"]);
    expect(codesOf(result, list[2]!)).toEqual(["reserved"]);
  });

  it("refuses a property the CRM does not have, or cannot write", () => {
    const list = rows(["lastName", "lastname"], ["name", "nickname"], ["age", "hs_object_id"]);
    const result = check(list);
    expect(codesOf(result, list[1]!)).toEqual(["unknown_field"]);
    expect(codesOf(result, list[2]!)).toEqual(["read_only"]);
  });

  it("refuses text into a number or date property, and accepts a number into text or a picklist", () => {
    const list = rows(
      ["lastName", "lastname"],
      ["occupation", "age"],
      ["name", "birthday"],
      ["age", "firstname"],
      ["gender", "hs_lead_status"],
    );
    const result = check(list);
    expect(codesOf(result, list[1]!)).toEqual(["type_mismatch"]);
    expect(codesOf(result, list[2]!)).toEqual(["type_mismatch"]);
    expect(codesOf(result, list[3]!)).toEqual([]);
    expect(codesOf(result, list[4]!)).toEqual([]);
  });

  it("warns, as main does, when text fills an email property, and does not block Save", () => {
    const email = field("email", { label: "Email", kind: "email", crmType: "string" });
    const list = rows(["lastName", "lastname"], ["occupation", "email"]);
    const result = check(list, [], [...FIELDS, email]);
    expect(codesOf(result, list[1]!)).toEqual(["email_values"]);
    expect(result.byRow.get(list[1]!.id)![0]!.severity).toBe("warning");
    expect(result.blocked).toBe(false);
    const age = rows(["lastName", "lastname"], ["age", "email"]);
    expect(codesOf(check(age, [], [...FIELDS, email]), age[1]!)).toEqual(["type_mismatch"]);
  });

  it("checks only the shape while the CRM's fields are unknown", () => {
    const list = rows(["name", "nickname"], ["age", "hs_object_id"], ["lastName", ""]);
    const result = check(list, [], null);
    expect(codesOf(result, list[0]!)).toEqual([]);
    expect(codesOf(result, list[1]!)).toEqual([]);
    expect(codesOf(result, list[2]!)).toEqual(["no_target"]);
  });

  it("shows main's problems on the rows they still describe, warnings without blocking Save", () => {
    const list = rows(["lastName", "lastname"], ["backgroundStory", "firstname"]);
    const problems: MappingProblem[] = [
      { target: "firstname", source: "backgroundStory", code: "too_long", severity: "warning", message: "cut" },
    ];
    const result = check(list, problems);
    expect(result.byRow.get(list[1]!.id)).toEqual([
      { code: "too_long", severity: "warning", target: "firstname", source: "backgroundStory" },
    ]);
    expect(result.blocked).toBe(false);
  });

  it("drops main's problem once its row fills the property from another field", () => {
    const list = rows(["lastName", "lastname"], ["interests", "firstname"]);
    const problems: MappingProblem[] = [
      { target: "firstname", source: "backgroundStory", code: "too_long", severity: "warning", message: "cut" },
    ];
    expect(check(list, problems).byRow.size).toBe(0);
  });

  it("lists a required property nothing fills apart from the rows, until a row fills it", () => {
    const problems: MappingProblem[] = [
      { target: "lastname", source: null, code: "required_unmapped", severity: "error", message: "required" },
    ];
    const without = check(rows(["firstName", "firstname"]), problems);
    expect(without.general.map((problem) => problem.code)).toEqual(["required_unmapped"]);
    expect(without.blocked).toBe(true);
    const withIt = check(rows(["firstName", "firstname"], ["lastName", "lastname"]), problems);
    expect(withIt.general).toEqual([]);
    expect(withIt.blocked).toBe(false);
  });
});

describe("the properties a row can choose", () => {
  it("offers writable properties only, by label, without the ones Sight writes itself", () => {
    const names = targetOptions(FIELDS, "", FIXED).map((option) => option.name);
    expect(names).toEqual(["age", "birthday", "firstname", "lastname", "hs_lead_status"]);
  });

  it("keeps the row's own property first when it is read-only or unknown, so the select shows it", () => {
    expect(targetOptions(FIELDS, "hs_object_id", FIXED)[0]).toEqual({ field: FIELDS[3], name: "hs_object_id" });
    expect(targetOptions(FIELDS, "sight_synthetic", FIXED)[0]).toEqual({ field: FIELDS[7], name: "sight_synthetic" });
    expect(targetOptions(FIELDS, "nickname", FIXED)[0]).toEqual({ field: null, name: "nickname" });
    expect(targetOptions(FIELDS, "firstname", FIXED).filter((option) => option.name === "firstname")).toHaveLength(1);
  });
});
