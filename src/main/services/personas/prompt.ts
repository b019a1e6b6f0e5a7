import { z } from "zod";
import { bigFiveSchema, type Project } from "../../../shared/contract";
import { parseAgeBracket } from "../../../shared/domain/demographics";
import type { Slot } from "../../../shared/domain/quotas";
import { slotRequirements, type SlotRequirements } from "./slot-agreement";

/** Marker the loopback fake uses to pick its persona scenario; harmless to real models. */
export const PERSONA_TASK_MARKER = "sight-task: persona_generation";

/**
 * The version of these prompt templates, recorded with every run that sends them. Bump it when
 * their wording changes: tests/llm/prompt-versions.test.ts pins what each version renders.
 */
export const PERSONA_PROMPT_VERSION = "personas/2";

const phrase = z.string().trim().min(1).max(300);
const AGE = { min: 16, max: 110 };

/** One persona as the model must return it. */
export const personaDraftSchema = z.object({
  slotIndex: z.number().int().min(0),
  demographics: z.record(z.string(), z.string()),
  name: z.string().trim().min(2).max(120),
  age: z.number().int().min(AGE.min).max(AGE.max),
  gender: phrase,
  location: phrase,
  education: phrase,
  income: phrase,
  occupation: phrase,
  bigFive: bigFiveSchema,
  values: z.array(phrase).min(2).max(8),
  interests: z.array(phrase).min(2).max(10),
  backgroundStory: z.string().trim().min(200).max(6000),
  communicationStyle: z.string().trim().min(10).max(1000),
  decisionMakingStyle: z.string().trim().min(10).max(1000),
  concerns: z.array(phrase).min(1).max(8),
  /** Per dimension no profile field holds (custom ones, a kind of settlement): its value and the story's words for it. */
  slotEvidence: z
    .array(
      z.object({
        dimension: z.string().trim().min(1).max(40),
        value: z.string().trim().min(1).max(120),
        evidence: z.string().trim().min(12).max(400),
      }),
    )
    .max(12)
    .default([]),
});
export type PersonaDraft = z.infer<typeof personaDraftSchema>;

export const personaBatchSchema = z.object({ personas: z.array(personaDraftSchema).min(1).max(20) });

export interface SlotRequest extends Slot, SlotRequirements {
  ageRange?: { min: number; max: number };
  /** Why the previous persona for this slot was refused, fed back to the model. */
  rejection?: string;
}

export function slotRequest(slot: Slot): SlotRequest {
  const bracket = slot.demographics.age_group ? parseAgeBracket(slot.demographics.age_group) : null;
  const request = { ...slot, ...slotRequirements(slot.demographics) };
  // "65+" reads up to 120; the range sent stays inside the ages the answer's schema accepts.
  return bracket
    ? { ...request, ageRange: { min: Math.max(bracket.min, AGE.min), max: Math.min(bracket.max, AGE.max) } }
    : request;
}

/** The country a locale's personas live in unless their slot names a place, and the language they are written in. */
const LOCALES: Record<string, { country: string; language: string }> = {
  "en-US": { country: "the United States", language: "American English" },
  "en-GB": { country: "the United Kingdom", language: "British English" },
  "pl-PL": { country: "Poland", language: "Polish" },
  "de-DE": { country: "Germany", language: "German" },
  "fr-FR": { country: "France", language: "French" },
  "es-ES": { country: "Spain", language: "Spanish" },
  "it-IT": { country: "Italy", language: "Italian" },
};

export function personaSystemPrompt(locale: string): string {
  const { country, language } = LOCALES[locale] ?? { country: locale, language: locale };
  return [
    PERSONA_TASK_MARKER,
    `locale: ${locale}`,
    "You create synthetic personas: realistic, specific, varied individuals for qualitative market research.",
    `The locale sets the language and the names: write everything in ${language}, with full names fitting ${country} and the persona's gender.`,
    'A slot\'s place wins over the locale: when a slot has "livesIn", the persona lives there, its location field names that place as the slot writes it ("<district>, <place>") and its story is set there.',
    `Unless the slot names a place, the persona lives in ${country}: real places, local context.`,
    "Each persona fills exactly one slot. Copy the slot's slotIndex and its demographics object verbatim.",
    "Make every attribute consistent with the slot: age inside the age range, gender/education/income fields equal to the slot's categories,",
    "an occupation plausible for that education and income, Big Five scores between 0 and 1, and a background story of three or four",
    "paragraphs (at least 120 words) with concrete, individual details. No two personas may share a story, a name or a turn of phrase.",
    'For every dimension a slot lists in "evidenceFor", the story says it, and slotEvidence holds {"dimension", "value": the slot\'s category verbatim,',
    '"evidence": that sentence of the backgroundStory, copied word for word}.',
  ].join("\n");
}

export function personaUserPrompt(
  project: Pick<Project, "name" | "researchGoal" | "targetAudience" | "description">,
  slots: SlotRequest[],
): string {
  const payload = slots.map((slot) => ({
    slotIndex: slot.index,
    demographics: slot.demographics,
    ...(slot.ageRange ? { ageRange: slot.ageRange } : {}),
    ...(slot.livesIn !== undefined ? { livesIn: slot.livesIn } : {}),
    ...(slot.evidenceFor.length ? { evidenceFor: slot.evidenceFor } : {}),
    ...(slot.rejection ? { previousAttemptRejected: slot.rejection } : {}),
  }));
  return [
    `Study: ${project.name}`,
    project.description ? `About: ${project.description}` : "",
    project.researchGoal ? `Research goal: ${project.researchGoal}` : "",
    project.targetAudience ? `Target audience: ${project.targetAudience}` : "",
    `Create ${slots.length} persona(s), one per slot, in this order:`,
    `<slots>${JSON.stringify(payload)}</slots>`,
    'Answer with JSON: {"personas": [ ... ]}.',
  ]
    .filter(Boolean)
    .join("\n");
}
