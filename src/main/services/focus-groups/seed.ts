import type { FocusGroupSettings } from "../../../shared/contract";
import { hashSeed } from "../../../shared/domain/quotas";

/** The largest seed the settings accept (focusGroupSettingsSchema). */
const MAX_SEED = 2 ** 31 - 1;

/**
 * The seed a discussion runs with: the one in its settings, else one derived from the focus
 * group's id (so two unseeded groups do not pick the same reaction targets). It seeds the
 * engine's own choices and is sent to the provider with every call, so pinning it in another
 * workspace (a reproducibility bundle) reproduces both. Kept within the settings' range so it
 * can be pinned there.
 */
export function effectiveDiscussionSeed(focusGroupId: string, settings: Pick<FocusGroupSettings, "seed">): number {
  return settings.seed ?? hashSeed(focusGroupId) % (MAX_SEED + 1);
}
