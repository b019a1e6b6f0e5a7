import { AppError, type Persona, type Question, type StudyBundle } from "../../../shared/contract";
import { moderatorSystemPrompt, personaSystemPrompt } from "../focus-groups/prompts";
import { surveyAnswerRequests } from "../surveys/answer-request";
import { themesSystemPrompt } from "../surveys/prompt";

type Prompts = StudyBundle["prompts"];

const NOTE =
  "Runs do not store the prompts they send; these were built again at export with the same prompt builders " +
  "from the stored study and personas. Per-turn prompts (the question, what was heard so far) are built while the study runs.";

/** A focus group's system prompts, in participant order, as the discussion engine builds them. */
export function focusGroupPrompts(language: string, participants: readonly Persona[]): Prompts {
  return {
    kind: "focusGroup",
    source: "rebuilt",
    note: NOTE,
    moderatorSystem: moderatorSystemPrompt(language),
    participantSystem: participants.map((persona) => ({
      personaId: persona.id,
      text: personaSystemPrompt(persona, language),
    })),
  };
}

/** A survey's prompts, in respondent order, as its run builds them; and the temperature it answers at. */
export function surveyPrompts(
  surveyName: string,
  questions: Question[],
  model: string | undefined,
  respondents: readonly Persona[],
): { prompts: Prompts; temperature: number } {
  const first = respondents[0];
  if (!first) throw new AppError("CONFLICT", "The survey has no respondents: its project has no personas.");
  const request = surveyAnswerRequests(surveyName, questions, model);
  // The questionnaire does not depend on the persona: one request shows it and the temperature.
  const sample = request(first);
  return {
    temperature: sample.temperature,
    prompts: {
      kind: "survey",
      source: "rebuilt",
      note: NOTE,
      user: sample.messages.map((message) => message.text).join("\n"),
      respondentSystem: respondents.map((persona) => ({ personaId: persona.id, text: request(persona).system })),
      themesSystem: themesSystemPrompt(),
    },
  };
}

/** Whether two prompt records send the same texts in the same order (persona ids aside: they differ by workspace). */
export function samePrompts(a: Prompts, b: Prompts): boolean {
  if (a.kind === "focusGroup" && b.kind === "focusGroup") {
    return (
      a.moderatorSystem === b.moderatorSystem &&
      sameTexts(
        a.participantSystem.map((p) => p.text),
        b.participantSystem.map((p) => p.text),
      )
    );
  }
  if (a.kind === "survey" && b.kind === "survey") {
    return (
      a.user === b.user &&
      a.themesSystem === b.themesSystem &&
      sameTexts(
        a.respondentSystem.map((p) => p.text),
        b.respondentSystem.map((p) => p.text),
      )
    );
  }
  return false;
}

const sameTexts = (a: string[], b: string[]) => a.length === b.length && a.every((text, index) => text === b[index]);
