// Relative imports: tests/ load this module outside Vite, where the @shared alias does not exist.
import type { TFunction } from "i18next";
import { BUNDLE_REFUSAL_REASONS, MAX_STUDY_BUNDLE_BYTES, type BundleRefusalReason } from "../../../shared/contract";
import { isBridgeError } from "../../bridge/bridge";

interface RefusalDetails {
  reason?: unknown;
  version?: unknown;
  supported?: unknown;
  issues?: { path?: unknown }[];
}

const isReason = (value: unknown): value is BundleRefusalReason =>
  typeof value === "string" && (BUNDLE_REFUSAL_REASONS as readonly string[]).includes(value);

/** Why an import refused a recipe, in the UI's language; null when the error is not such a refusal. */
export function recipeRefusalText(t: TFunction, error: unknown): string | null {
  if (!isBridgeError(error) || error.code !== "VALIDATION_FAILED") return null;
  const details = (error.details ?? {}) as RefusalDetails;
  if (!isReason(details.reason)) return null;
  const firstPath = details.issues?.[0]?.path;
  return t(`recipes.refused.${details.reason}`, {
    max: MAX_STUDY_BUNDLE_BYTES / (1024 * 1024),
    version: String(details.version ?? "?"),
    supported: Array.isArray(details.supported) ? details.supported.join(", ") : "1",
    path: Array.isArray(firstPath) && firstPath.length ? firstPath.join(".") : "—",
  });
}

/** A file the browser can see is too large is refused before it is sent. */
export function fileTooLarge(size: number): boolean {
  return size > MAX_STUDY_BUNDLE_BYTES;
}

export function tooLargeText(t: TFunction): string {
  return t("recipes.refused.too_large", { max: MAX_STUDY_BUNDLE_BYTES / (1024 * 1024) });
}
