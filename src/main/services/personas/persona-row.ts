import type { BigFive, Persona, SlotEvidence } from "../../../shared/contract";
import { foldForSearch } from "../../../shared/domain/text";
import type { Persona as PersonaRow } from "../db/generated/client";

export type { PersonaRow };

export function toPersona(row: PersonaRow): Persona {
  return {
    id: row.id,
    projectId: row.projectId,
    runId: row.runId,
    slotIndex: row.slotIndex,
    demographics: JSON.parse(row.demographics) as Record<string, string>,
    name: row.name,
    age: row.age,
    gender: row.gender,
    location: row.location,
    education: row.education,
    income: row.income,
    occupation: row.occupation,
    bigFive: JSON.parse(row.bigFive) as BigFive,
    values: JSON.parse(row.values) as string[],
    interests: JSON.parse(row.interests) as string[],
    backgroundStory: row.backgroundStory,
    communicationStyle: row.communicationStyle,
    decisionMakingStyle: row.decisionMakingStyle,
    concerns: JSON.parse(row.concerns) as string[],
    slotEvidence: JSON.parse(row.slotEvidence) as SlotEvidence[],
    locale: row.locale,
    model: row.model,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function personaSearchText(p: {
  name: string;
  occupation: string;
  location: string;
  backgroundStory: string;
}): string {
  return foldForSearch(`${p.name}\n${p.occupation}\n${p.location}\n${p.backgroundStory}`);
}
