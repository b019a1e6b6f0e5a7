import { focusGroupSettingsSchema } from "@shared/contract";

/** The languages a discussion can be held in, from the settings schema itself. */
export const DISCUSSION_LANGUAGES = focusGroupSettingsSchema.shape.language.unwrap().options;
export type DiscussionLanguage = (typeof DISCUSSION_LANGUAGES)[number];

export function isDiscussionLanguage(value: unknown): value is DiscussionLanguage {
  return typeof value === "string" && (DISCUSSION_LANGUAGES as readonly string[]).includes(value);
}
