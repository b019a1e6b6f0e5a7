import { z } from "zod";
import type { Persona } from "../../../shared/contract";

export const ANSWER_MARKER = "sight-task: focus_group_answer";
export const FOLLOW_UP_MARKER = "sight-task: focus_group_followup";

/**
 * The version of these prompt templates, recorded with every run that sends them. Bump it when
 * their wording changes: tests/llm/prompt-versions.test.ts pins what each version renders.
 */
export const DISCUSSION_PROMPT_VERSION = "focus-groups/1";

const LANGUAGE_NAMES: Record<string, string> = {
  en: "English",
  pl: "Polish",
  de: "German",
  fr: "French",
  es: "Spanish",
  it: "Italian",
};

export interface TranscriptLine {
  id: string;
  speakerName: string;
  speakerType: "moderator" | "persona";
  personaId?: string | null;
  questionIndex: number;
  round: number;
  phase: string;
  seq: number;
  text: string;
}

/** Above this many characters, older lines are shortened to their first sentence. */
export const TRANSCRIPT_BUDGET_CHARS = 8000;
/** The most recent lines always stay verbatim. */
export const RECENT_LINES = 24;

function firstSentence(text: string): string {
  const match = /^(.{20,220}?[.!?])(\s|$)/s.exec(text);
  return match ? `${match[1]} (…)` : text.length > 220 ? `${text.slice(0, 217)}…` : text;
}

/**
 * What a participant has heard so far in this focus group, oldest first. When it grows past the
 * budget, older lines are summarised to their first sentence (the recent ones stay verbatim), so
 * long discussions keep their thread without an unbounded prompt.
 */
export function renderTranscript(lines: TranscriptLine[]): string {
  const full = lines.map((line) => `${line.speakerName}: ${line.text}`);
  const total = full.reduce((sum, line) => sum + line.length, 0);
  if (total <= TRANSCRIPT_BUDGET_CHARS) return full.join("\n");
  const cut = Math.max(0, lines.length - RECENT_LINES);
  const older = lines.slice(0, cut).map((line) => `${line.speakerName}: ${firstSentence(line.text)}`);
  return [`(Earlier in the discussion, summarised:)`, ...older, `(Most recent, verbatim:)`, ...full.slice(cut)].join(
    "\n",
  );
}

export function personaSystemPrompt(persona: Persona, language: string): string {
  const traits = Object.entries(persona.bigFive)
    .map(([trait, value]) => `${trait} ${Math.round(value * 100)}%`)
    .join(", ");
  return [
    ANSWER_MARKER,
    `language: ${language}`,
    `You are ${persona.name}, a participant in a moderated market-research focus group. Stay in character.`,
    `Profile: ${persona.age} years old, ${persona.gender}, lives in ${persona.location}, ${persona.occupation}; education ${persona.education}; income ${persona.income}.`,
    `Values: ${persona.values.join(", ")}. Interests: ${persona.interests.join(", ")}. Concerns: ${persona.concerns.join(", ")}.`,
    `Personality (Big Five): ${traits}. Communication: ${persona.communicationStyle} Decisions: ${persona.decisionMakingStyle}`,
    `Background: ${persona.backgroundStory.slice(0, 1200)}`,
    `Speak in the first person, in ${LANGUAGE_NAMES[language] ?? language}, in 2–5 sentences, as this person would in a group: concrete, personal, honest.`,
    "Refer to other participants by their first name when you react to them. Never mention being an AI.",
  ].join("\n");
}

export function answerPrompt(transcript: string, question: string): string {
  return [
    transcript ? `The discussion so far in this focus group:\n${transcript}\n` : "",
    `The moderator asks: "${question}"`,
    "Answer the moderator.",
  ]
    .filter(Boolean)
    .join("\n");
}

export function reactionPrompt(
  transcript: string,
  question: string,
  round: number,
  target: { name: string; text: string },
): string {
  return [
    `The discussion so far in this focus group:\n${transcript}\n`,
    `Discussion round ${round} on the question "${question}".`,
    `React to the others. In particular respond to ${target.name}, who said: "${target.text}"`,
    "Say whether you agree, disagree or want to build on it, and why.",
  ].join("\n");
}

export function followUpAnswerPrompt(transcript: string, followUp: string): string {
  return [
    `The discussion so far in this focus group:\n${transcript}\n`,
    `The moderator asks you directly: "${followUp}"`,
    "Answer the moderator.",
  ].join("\n");
}

export function moderatorSystemPrompt(language: string): string {
  return [
    FOLLOW_UP_MARKER,
    `language: ${language}`,
    "You are an experienced qualitative-research moderator. You read the round that just ended and ask ONE probing follow-up",
    "question that deepens the most interesting tension or vague claim, addressed to the participants whose answers it concerns.",
    `Write the question in ${LANGUAGE_NAMES[language] ?? language}.`,
  ].join("\n");
}

/**
 * How the moderator prompt names participant number `index` (0-based). Not the persona's id: ids
 * differ between workspaces, places in the focus group do not, so a recipe imported elsewhere
 * sends the moderator the same prompt.
 */
export function participantHandle(index: number): string {
  return `p${index + 1}`;
}

/** `participantIds` are the handles the moderator prompt used (participantHandle). */
export function followUpSchema(participantIds: string[], targets: number) {
  return z.object({
    question: z.string().trim().min(5).max(600),
    personaIds: z
      .array(z.enum(participantIds as [string, ...string[]]))
      .min(targets)
      .max(targets),
  });
}

export function moderatorPrompt(
  transcript: string,
  question: string,
  probes: string[],
  /** `id` is the participant's handle (participantHandle), not its persona id. */
  participants: { id: string; name: string }[],
  targets: number,
): string {
  return [
    `The discussion so far:\n${transcript}\n`,
    `Current guide question: "${question}"`,
    probes.length ? `Probes the researcher suggested: ${probes.map((p) => `"${p}"`).join("; ")}` : "",
    `Participants: ${JSON.stringify(participants)}`,
    `Choose exactly ${targets} participant id(s) to ask, and write the follow-up question.`,
    'Answer with JSON: {"question": "...", "personaIds": ["..."]}.',
  ]
    .filter(Boolean)
    .join("\n");
}
