import type {
  ExportFormat,
  ExportOptions,
  ExportScope,
  ProgressLabel,
  ResponseStyleSettings,
} from "../../../shared/contract";
import type { PlanId } from "../../../shared/domain/plans";
import type { Database } from "../db/open";

/** A validated export request, options normalised (defaults applied, `fresh` removed). */
export interface ExportRequest {
  projectId: string;
  format: ExportFormat;
  scope: ExportScope;
  /** focusGroup/survey: exactly one id; personas: the subset (empty = all); project: empty. */
  ids: string[];
  options: Omit<ExportOptions, "fresh">;
}

/** The state of one study an export includes, as the core saw it before producing. */
export interface StudyState {
  kind: "focusGroup" | "survey";
  id: string;
  name: string;
  status: string;
  /** Not finished (paused, interrupted, failed, cancelled): the export labels it partial. */
  partial: boolean;
}

/**
 * What a format producer gets. The core has already checked that every id exists in the
 * project and that nothing included is still running (CONFLICT otherwise).
 */
export interface ProduceContext {
  db: Database;
  request: ExportRequest;
  /** Studies included, with their status; `partial` is true when any of them is partial. */
  studies: StudyState[];
  partial: boolean;
  plan: PlanId;
  /** The response-style benchmarks and thresholds rating questions are judged against (absent: the defaults). */
  responseStyle?: ResponseStyleSettings;
  /** Export date shown in the file. */
  now: Date;
  appVersion: string;
  signal: AbortSignal;
  /** Progress in the producer's own units (rows, personas, pages); the job shows it. */
  progress(done: number, total: number, label: ProgressLabel): void;
}

/**
 * Writes the whole export to `target` (a temporary path inside the exports folder that does not
 * exist yet). Stream with backpressure; never build the file as one string. Throw on failure or
 * when `ctx.signal` aborts; the core deletes `target` and renames it into place only on success.
 */
export type Producer = (ctx: ProduceContext, target: string) => Promise<void>;
