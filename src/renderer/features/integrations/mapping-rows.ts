// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import {
  PERSONA_SOURCE_FIELDS,
  PERSONA_SOURCE_NAMES,
  type CrmField,
  type CrmMapping,
  type MappingEntry,
  type MappingProblem,
  type PersonaSourceField,
} from "../../../shared/contract";

/**
 * The mapping screen's rows while they are edited: one "persona field → CRM property" each,
 * with a local id so React keeps a row's focus while others are added or removed. The checks
 * that need only the CRM's field list are repeated here as main makes them (services/crm/
 * mapping.ts: names compared without case), so Save is refused before a round trip; those that
 * need the personas' values (picklists, lengths) come from main and are shown on the rows they name.
 */
export interface MappingRow {
  id: string;
  source: PersonaSourceField;
  /** "" until a CRM property is chosen. */
  target: string;
}

/** A problem on a row: the contract's codes, and "no_target" for a row without a property. */
export interface RowProblem {
  code: MappingProblem["code"] | "no_target";
  severity: MappingProblem["severity"];
  target: string;
  source: PersonaSourceField | null;
}

export interface MappingCheck {
  byRow: ReadonlyMap<string, readonly RowProblem[]>;
  /** Problems that name no row on screen (a required property nothing fills). */
  general: readonly RowProblem[];
  /** Any error: Save is refused until they are fixed. */
  blocked: boolean;
}

/** Problems about a property nothing fills: they name no row, and a row filling it settles them. */
const ABSENCE_CODES: ReadonlySet<MappingProblem["code"]> = new Set(["required_unmapped", "missing_sight_field"]);

let counter = 0;
const nextId = () => `row-${++counter}`;

export function rowsOf(entries: readonly MappingEntry[]): MappingRow[] {
  return entries.map((entry) => ({ id: nextId(), source: entry.source, target: entry.target }));
}

/** A new row: the first persona field no row uses yet (any, once all are used), no property. */
export function addRow(rows: readonly MappingRow[]): MappingRow[] {
  const used = new Set(rows.map((row) => row.source));
  const source = PERSONA_SOURCE_NAMES.find((name) => !used.has(name)) ?? PERSONA_SOURCE_NAMES[0]!;
  return [...rows, { id: nextId(), source, target: "" }];
}

export function removeRow(rows: readonly MappingRow[], id: string): MappingRow[] {
  return rows.filter((row) => row.id !== id);
}

export function updateRow(
  rows: readonly MappingRow[],
  id: string,
  patch: Partial<Omit<MappingRow, "id">>,
): MappingRow[] {
  return rows.map((row) => (row.id === id ? { ...row, ...patch } : row));
}

/** What Save sends: every row, in order (a row without a property is an error, never dropped silently). */
export function entriesOf(rows: readonly MappingRow[]): MappingEntry[] {
  return rows.map((row) => ({ source: row.source, target: row.target }));
}

/** Whether the rows differ from the mapping as saved (order counts: it is the order shown). */
export function isDirty(rows: readonly MappingRow[], saved: Pick<CrmMapping, "entries">): boolean {
  if (rows.length !== saved.entries.length) return true;
  return rows.some((row, index) => {
    const entry = saved.entries[index]!;
    return row.source !== entry.source || row.target !== entry.target;
  });
}

/**
 * Checks the rows: locally (empty, repeated, reserved, unknown or read-only property) and
 * against main's problems, which are kept for the rows they still describe (same property and,
 * when the problem names one, the same persona field). A required property nothing filled
 * stops being a problem as soon as a row fills it.
 */
export function checkRows(
  rows: readonly MappingRow[],
  context: {
    fixed: CrmMapping["fixed"];
    /** The CRM's properties; null while unknown (not loaded, or the CRM unreachable). */
    fields: readonly CrmField[] | null;
    problems: readonly MappingProblem[];
  },
): MappingCheck {
  const key = (name: string) => name.toLowerCase();
  const fieldsByName = context.fields ? new Map(context.fields.map((field) => [key(field.name), field])) : null;
  const reserved = new Set([key(context.fixed.externalId), key(context.fixed.synthetic)]);
  const counts = new Map<string, number>();
  for (const row of rows) if (row.target) counts.set(key(row.target), (counts.get(key(row.target)) ?? 0) + 1);

  const byRow = new Map<string, RowProblem[]>();
  for (const row of rows) {
    const found: RowProblem[] = [];
    const add = (code: RowProblem["code"], severity: RowProblem["severity"] = "error") => {
      if (!found.some((problem) => problem.code === code))
        found.push({ code, severity, target: row.target, source: row.source });
    };
    if (!row.target) add("no_target");
    else {
      const target = key(row.target);
      if (reserved.has(target)) add("reserved");
      else {
        if ((counts.get(target) ?? 0) > 1) add("duplicate_target");
        const field = fieldsByName?.get(target);
        if (fieldsByName && !field) add("unknown_field");
        else if (field && !field.writable) add("read_only");
        // A text fed to an email property: the CRM refuses records whose value is not an address.
        else if (field && field.kind === "email" && PERSONA_SOURCE_FIELDS[row.source] === "text")
          add("email_values", "warning");
        else if (field && !fits(row.source, field)) add("type_mismatch");
      }
      for (const problem of context.problems) {
        // "Nothing fills it" problems are answered by the row that now fills it.
        if (ABSENCE_CODES.has(problem.code)) continue;
        if (key(problem.target) === target && (problem.source === null || problem.source === row.source))
          add(problem.code, problem.severity);
      }
    }
    if (found.length > 0) byRow.set(row.id, found);
  }

  const targets = new Set(rows.map((row) => key(row.target)));
  const general = context.problems
    .filter((problem) => !targets.has(key(problem.target)))
    .map((problem) => ({
      code: problem.code,
      severity: problem.severity,
      target: problem.target,
      source: problem.source,
    }));

  const blocked =
    general.some((problem) => problem.severity === "error") ||
    [...byRow.values()].some((problems) => problems.some((problem) => problem.severity === "error"));
  return { byRow, general, blocked };
}

/** Text goes into any text-like property; a number also into a number one (as main converts them). */
export function fits(source: PersonaSourceField, field: Pick<CrmField, "kind">): boolean {
  return (
    field.kind === "text" ||
    field.kind === "other" ||
    field.kind === "picklist" ||
    (field.kind === "number" && PERSONA_SOURCE_FIELDS[source] === "number")
  );
}

/**
 * The properties a row may choose: writable ones that Sight does not write itself, by label; the
 * row's own is kept (first) even when it is neither, so the select can show what is saved.
 */
export function targetOptions(
  fields: readonly CrmField[],
  current: string,
  fixed?: CrmMapping["fixed"],
): { field: CrmField | null; name: string }[] {
  const reserved = new Set(fixed ? [fixed.externalId.toLowerCase(), fixed.synthetic.toLowerCase()] : []);
  const writable = fields
    .filter((field) => field.writable && !reserved.has(field.name.toLowerCase()))
    .sort((a, b) => a.label.localeCompare(b.label));
  const options: { field: CrmField | null; name: string }[] = writable.map((field) => ({ field, name: field.name }));
  if (current && !writable.some((field) => field.name === current)) {
    options.unshift({ field: fields.find((field) => field.name === current) ?? null, name: current });
  }
  return options;
}
