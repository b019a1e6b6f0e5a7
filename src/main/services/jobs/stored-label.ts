import { progressLabelSchema, type ProgressLabel } from "../../../shared/contract";

/**
 * The plain-text labels older versions wrote for states the runner itself sets: read back as
 * their keys, so a focus group paused by an older version still reads as paused.
 */
const LEGACY_RUNNER_LABELS = new Map<string, ProgressLabel>([
  ["Paused", { key: "jobs.paused", params: {} }],
  [
    "Interrupted: Sight stopped while this ran. Resume to continue from the last saved step.",
    { key: "jobs.interrupted", params: {} },
  ],
]);

/** A label as the job row's `progressLabel` column holds it: its JSON (validated first). */
export function storedProgressLabel(label: ProgressLabel): string {
  return JSON.stringify(progressLabelSchema.parse(label));
}

/**
 * The `progressLabel` column read back. Never throws: "" is no label yet; plain text is a label an
 * older version wrote in English (a legacy label, shown as it is); JSON this version does not know
 * (a newer version's key) reads as no label.
 */
export function readProgressLabel(stored: string): ProgressLabel | null {
  if (stored === "") return null;
  const known = LEGACY_RUNNER_LABELS.get(stored);
  if (known) return known;
  if (!stored.startsWith("{")) return { key: "legacy", params: { text: stored } };
  let json: unknown;
  try {
    json = JSON.parse(stored);
  } catch {
    return { key: "legacy", params: { text: stored } };
  }
  const parsed = progressLabelSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
