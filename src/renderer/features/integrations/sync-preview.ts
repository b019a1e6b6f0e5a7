// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import {
  mappingProblemSchema,
  type AssociationTarget,
  type CrmProviderId,
  type MappingProblem,
  type StudyKind,
  type SyncPreview,
  type SyncRequest,
} from "../../../shared/contract";
import { isBridgeError } from "../../bridge/bridge";

/** What is synced: a project's personas (all, or some), or one study's insights as a note. */
export type SyncSubject =
  | { kind: "personas"; projectId: string; personaIds?: string[]; name: string }
  | { kind: "insights"; studyKind: StudyKind; studyId: string; name: string };

/** What the sync dialog sends and what it says about a preview before the researcher starts the sync. */
export interface PreviewSummary {
  create: number;
  update: number;
  skip: number;
  total: number;
  /** Records in the preview's table (main sends the first 200) and those left out of it. */
  shown: number;
  hidden: number;
  errors: MappingProblem[];
  warnings: MappingProblem[];
  /** A mapping error: main would refuse the sync, so the dialog does not offer it. */
  blocked: boolean;
  /** Every record is unchanged since the last sync: there is nothing to send. */
  nothingToDo: boolean;
}

export function summarisePreview(preview: SyncPreview): PreviewSummary {
  const { create, update, skip } = preview.counts;
  const total = create + update + skip;
  const errors = preview.problems.filter((problem) => problem.severity === "error");
  const warnings = preview.problems.filter((problem) => problem.severity === "warning");
  return {
    create,
    update,
    skip,
    total,
    shown: preview.items.length,
    hidden: Math.max(0, total - preview.items.length),
    errors,
    warnings,
    blocked: errors.length > 0,
    nothingToDo: create + update === 0,
  };
}

/** A persona's mapped values as "Property: value" pairs, in the order main sent them, empty ones left out. */
export function fieldPairs(fields: SyncPreview["items"][number]["fields"]): [string, string][] {
  if (!fields) return [];
  return Object.entries(fields)
    .filter(([, value]) => value !== null && value !== "")
    .map(([name, value]) => [name, String(value)]);
}

/**
 * The request the current choices make, or null while one is missing (a note's target).
 * `sendUnchanged` (personas): send those unchanged since the last sync as well.
 */
export function requestOf(
  subject: SyncSubject,
  provider: CrmProviderId | null,
  target: AssociationTarget | null,
  sendUnchanged = false,
): SyncRequest | null {
  if (!provider) return null;
  if (subject.kind === "personas")
    return {
      kind: "personas",
      provider,
      projectId: subject.projectId,
      ...(subject.personaIds && subject.personaIds.length > 0 ? { personaIds: subject.personaIds } : {}),
      sendUnchanged,
    };
  if (!target) return null;
  return { kind: "insights", provider, studyKind: subject.studyKind, studyId: subject.studyId, target };
}

/** Mapping errors main listed when it refused a sync (details.problems), else null. */
export function refusedProblems(error: unknown): MappingProblem[] | null {
  if (!isBridgeError(error)) return null;
  const parsed = mappingProblemSchema.array().safeParse((error.details as { problems?: unknown } | null)?.problems);
  return parsed.success && parsed.data.length > 0 ? parsed.data : null;
}
