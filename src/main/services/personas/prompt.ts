import { z } from "zod";
import { bigFiveSchema, type Project } from "../../../shared/contract";
import { parseAgeBracket } from "../../../shared/domain/demographics";
import type { Slot } from "../../../shared/domain/quotas";

/** Marker the loopback fake uses to pick its persona scenario; harmless to real models. */
export const PERSONA_TASK_MARKER = "sight-task: persona_generation";

const phrase = z.string().trim().min(1).max(300);

/** One persona as the model must return it. */
export const personaDraftSchema = z.object({
  slotIndex: z.number().int().min(0),
  demographics: z.record(z.string(), z.string()),
  name: z.string().trim().min(2).max(120),
  age: z.number().int().min(16).max(110),
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
});
export type PersonaDraft = z.infer<typeof personaDraftSchema>;

export const personaBatchSchema = z.object({ personas: z.array(personaDraftSchema).min(1).max(20) });

export interface SlotRequest extends Slot {
  ageRange?: { min: number; max: number };
  /** Why the previous persona for this slot was refused, fed back to the model. */
  rejection?: string;
}

export function slotRequest(slot: Slot): SlotRequest {
  const bracket = slot.demographics.age_group ? parseAgeBracket(slot.demographics.age_group) : null;
  return bracket ? { ...slot, ageRange: bracket } : { ...slot };
}

const normalise = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");

/** Returns why a returned persona does not fill its slot, or null when it does. */
export function slotMismatch(draft: PersonaDraft, slot: SlotRequest): string | null {
  if (draft.slotIndex !== slot.index) return `it answered slot ${draft.slotIndex} instead of slot ${slot.index}`;
  for (const [dimension, category] of Object.entries(slot.demographics)) {
    if (draft.demographics[dimension] !== category) {
      return `demographics.${dimension} is "${draft.demographics[dimension] ?? "missing"}" but the slot requires "${category}"`;
    }
  }
  const extra = Object.keys(draft.demographics).filter((key) => !(key in slot.demographics));
  if (extra.length) return `demographics has dimensions the slot does not: ${extra.join(", ")}`;
  if (slot.ageRange && (draft.age < slot.ageRange.min || draft.age > slot.ageRange.max)) {
    return `age ${draft.age} is outside the slot's ${slot.demographics.age_group} bracket`;
  }
  for (const field of ["gender", "education", "income"] as const) {
    const category = slot.demographics[field];
    if (category !== undefined && normalise(draft[field]) !== normalise(category)) {
      return `${field} is "${draft[field]}" but the slot requires "${category}"`;
    }
  }
  return null;
}

const LOCALE_NAMES: Record<string, string> = {
  "en-US": "the United States (American English)",
  "en-GB": "the United Kingdom (British English)",
  "pl-PL": "Poland (write everything in Polish, with Polish names and places)",
  "de-DE": "Germany (write everything in German)",
  "fr-FR": "France (write everything in French)",
  "es-ES": "Spain (write everything in Spanish)",
  "it-IT": "Italy (write everything in Italian)",
};

export function personaSystemPrompt(locale: string): string {
  return [
    PERSONA_TASK_MARKER,
    `locale: ${locale}`,
    "You create synthetic personas: realistic, specific, varied individuals for qualitative market research.",
    `Every persona lives in ${LOCALE_NAMES[locale] ?? locale}: full names fitting that country and the persona's gender, real places, local context.`,
    "Each persona fills exactly one slot. Copy the slot's slotIndex and its demographics object verbatim.",
    "Make every attribute consistent with the slot: age inside the age range, gender/education/income fields equal to the slot's categories,",
    "an occupation plausible for that education and income, Big Five scores between 0 and 1, and a background story of three or four",
    "paragraphs (at least 120 words) with concrete, individual details. No two personas may share a story, a name or a turn of phrase.",
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
