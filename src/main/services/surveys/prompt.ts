import type { Persona, Question } from "../../../shared/contract";

/** Markers the loopback fake uses to pick its survey scenarios; harmless to real models. */
export const SURVEY_ANSWER_MARKER = "sight-task: survey_answer";
export const SURVEY_THEMES_MARKER = "sight-task: survey_open_themes";

/**
 * The version of these prompt templates, recorded with every run that sends them. Bump it when
 * their wording changes: tests/llm/prompt-versions.test.ts pins what each version renders.
 */
export const SURVEY_PROMPT_VERSION = "surveys/1";

/** Enough of the story to give the persona a voice without paying for all of it on every survey. */
const STORY_EXCERPT = 900;

function excerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max - 40))} …`;
}

/** The respondent's profile, one fact per line (the fake reads `Gender:` and `Age:` from it). */
export function answerSystemPrompt(persona: Persona): string {
  const traits = Object.entries(persona.bigFive)
    .map(([trait, score]) => `${trait} ${score.toFixed(2)}`)
    .join(", ");
  return [
    SURVEY_ANSWER_MARKER,
    "You are taking part in a market-research survey as the person described below. Answer every question",
    "as this person would: from their circumstances, values and temperament, not as an assistant. Be candid;",
    "disagreeing, disliking or not caring are all fine answers.",
    "",
    `Name: ${persona.name}`,
    `Age: ${persona.age}`,
    `Gender: ${persona.gender}`,
    `Location: ${persona.location}`,
    `Education: ${persona.education}`,
    `Income: ${persona.income}`,
    `Occupation: ${persona.occupation}`,
    `Demographics: ${JSON.stringify(persona.demographics)}`,
    `Values: ${persona.values.join(", ")}`,
    `Interests: ${persona.interests.join(", ")}`,
    `Concerns: ${persona.concerns.join(", ")}`,
    `Big Five (0 to 1): ${traits}`,
    `Communication style: ${persona.communicationStyle}`,
    `Decision-making style: ${persona.decisionMakingStyle}`,
    `Background: ${excerpt(persona.backgroundStory, STORY_EXCERPT)}`,
  ].join("\n");
}

function howToAnswer(question: Question): string {
  switch (question.type) {
    case "multiple_choice": {
      const most = question.maxSelections ?? 1;
      return most === 1
        ? "an array with exactly one of the options, copied verbatim"
        : `an array of 1 to ${most} different options, copied verbatim`;
    }
    case "rating_scale":
      return `a whole number from ${question.min} to ${question.max}`;
    case "open_ended":
      return "a few sentences in your own words";
    case "ranking":
      return `an array with all ${question.items?.length ?? 0} items, each exactly once, most preferred first`;
  }
}

/** The questionnaire: a readable list and the same questions as JSON inside `<questions>`. */
export function answerUserPrompt(surveyName: string, questions: Question[]): string {
  const listed = questions.map((q) => {
    const scale =
      q.type === "rating_scale"
        ? ` Scale ${q.min}${q.minLabel ? ` (${q.minLabel})` : ""} to ${q.max}${q.maxLabel ? ` (${q.maxLabel})` : ""}.`
        : "";
    const choices = q.options ? ` Options: ${q.options.map((o) => JSON.stringify(o)).join(", ")}.` : "";
    const items = q.items ? ` Items: ${q.items.map((o) => JSON.stringify(o)).join(", ")}.` : "";
    const optional = q.required ? "" : " (optional: leave it out to skip)";
    return `- ${q.id} [${q.type}]${optional}: ${q.text}${scale}${choices}${items} Answer with ${howToAnswer(q)}.`;
  });
  const payload = questions.map((q) => ({
    id: q.id,
    type: q.type,
    required: q.required,
    ...(q.options ? { options: q.options, maxSelections: q.maxSelections ?? 1 } : {}),
    ...(q.type === "rating_scale" ? { min: q.min, max: q.max } : {}),
    ...(q.items ? { items: q.items } : {}),
  }));
  return [
    `Survey: ${surveyName}`,
    "Answer each question below. Write open answers in the language the questions are written in.",
    ...listed,
    `<questions>${JSON.stringify(payload)}</questions>`,
    'Answer with JSON: {"answers": {"<question id>": <answer>, ...}}.',
  ].join("\n");
}

export function themesSystemPrompt(): string {
  return [
    SURVEY_THEMES_MARKER,
    "You are a market-research analyst coding open-ended survey answers.",
    "Group the answers into 2 to 6 themes (fewer only when there are fewer answers). For each theme give a short",
    "name, how many answers express it, and one to three verbatim quotes, each with the personaId of the",
    "respondent who wrote it. Use only personaIds from the answers given.",
  ].join("\n");
}

export function themesUserPrompt(question: Question, answers: { personaId: string; answer: string }[]): string {
  return [
    `Question: ${question.text}`,
    `There are ${answers.length} answer(s):`,
    `<answers>${JSON.stringify(answers)}</answers>`,
    'Answer with JSON: {"themes": [{"theme": "...", "count": 3, "quotes": [{"personaId": "...", "text": "..."}]}]}.',
  ].join("\n");
}
