/**
 * Report fixtures for the PDF producer's tests and benchmark: a project with personas, a focus
 * group with a transcript and an analysis, and a survey with responses, written straight into a
 * real SQLite database (rows as the services store them), so every value is known in advance.
 */
import type { BigFive, Question, RunModel } from "../../src/shared/contract";
import type { Database } from "../../src/main/services/db/open";
import { ANALYSIS_KIND } from "../../src/main/services/focus-groups/analysis-job";
import { DISCUSSION_KIND } from "../../src/main/services/focus-groups/discussion-job";
import { DISCUSSION_PROMPT_VERSION } from "../../src/main/services/focus-groups/prompts";
import { PAUSED_LABEL } from "../../src/main/services/jobs/runner";
import { storedProgressLabel } from "../../src/main/services/jobs/stored-label";
import { PERSONA_GENERATION_KIND } from "../../src/main/services/billing/entitlements";
import { SURVEY_PROMPT_VERSION } from "../../src/main/services/surveys/prompt";
import { SURVEY_RUN_KIND } from "../../src/main/services/surveys/run-job";
import { newId } from "../../src/main/services/ids";

export const TARGET = {
  gender: { female: 0.5, male: 0.5 },
  age_group: { "18-34": 0.5, "35-64": 0.5 },
};

export const PERSONA_SEED = 4242;
export const PERSONA_MODEL = "gemini-2.5-flash";
export const POLISH_NAME = "Łucja Wąsowska-Żak";
export const PANGRAM = "Zażółć gęślą jaźń";

const FIRST = ["Anna", "Piotr", "Zofia", "Tomasz", "Maria", "Jan", "Ewa", "Paweł", "Kasia", "Marek"];
const LAST = ["Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zielińska", "Szymański"];
const CITIES = ["Kraków", "Gdańsk", "Łódź", "Poznań", "Wrocław", "Warszawa"];

export interface SeededPersona {
  id: string;
  name: string;
  age: number;
  gender: string;
  location: string;
  demographics: Record<string, string>;
}

let clock = Date.parse("2026-03-02T09:00:00Z");
/** Strictly increasing timestamps, so ids and createdAt order agree. */
const tick = (ms = 1000) => new Date((clock += ms));

async function job(db: Database, kind: string, projectId: string, fields: Record<string, unknown> = {}) {
  const id = newId(tick().getTime());
  await db.prisma.job.create({
    data: { id, kind, projectId, status: "succeeded", params: "{}", ...fields },
  });
  return id;
}

export async function seedProject(db: Database, name = "Napoje roślinne") {
  const id = newId(tick().getTime());
  await db.prisma.project.create({
    data: {
      id,
      name,
      description: "Oat and plant drinks for breakfast",
      researchGoal: `Understand what would make people switch to an oat drink (${PANGRAM}).`,
      targetAudience: "Adults in Polish cities who buy breakfast drinks",
      targetDemographics: JSON.stringify(TARGET),
    },
  });
  return id;
}

/** `count` personas filling the target exactly, the first one with a Polish name and the pangram in her story. */
export async function seedPersonas(db: Database, projectId: string, count: number): Promise<SeededPersona[]> {
  const runId = await job(db, PERSONA_GENERATION_KIND, projectId, {
    params: JSON.stringify({ projectId, seed: PERSONA_SEED, locale: "pl-PL", slots: [] }),
  });
  const personas: SeededPersona[] = [];
  for (let i = 0; i < count; i++) {
    const gender = i % 2 === 0 ? "female" : "male";
    const ageGroup = Math.floor(i / 2) % 2 === 0 ? "18-34" : "35-64";
    const age = ageGroup === "18-34" ? 22 + (i % 12) : 38 + (i % 25);
    const name = i === 0 ? POLISH_NAME : `${FIRST[i % FIRST.length]} ${LAST[(i * 3) % LAST.length]} ${i}`;
    const location = CITIES[i % CITIES.length]!;
    const bigFive: BigFive = {
      openness: ((i * 37) % 100) / 100,
      conscientiousness: ((i * 53) % 100) / 100,
      extraversion: ((i * 71) % 100) / 100,
      agreeableness: ((i * 29) % 100) / 100,
      neuroticism: ((i * 17) % 100) / 100,
    };
    const id = newId(tick().getTime());
    const demographics = { gender, age_group: ageGroup };
    await db.prisma.persona.create({
      data: {
        id,
        projectId,
        runId,
        slotIndex: i,
        demographics: JSON.stringify(demographics),
        name,
        age,
        gender,
        location,
        education: i % 3 === 0 ? "wyższe" : "średnie",
        income: i % 2 === 0 ? "middle" : "low",
        occupation: i === 0 ? "nauczycielka" : `occupation ${i}`,
        bigFive: JSON.stringify(bigFive),
        values: JSON.stringify(["rodzina", "zdrowie", `value ${i}`]),
        interests: JSON.stringify(["gotowanie", "rower"]),
        backgroundStory:
          i === 0
            ? `${POLISH_NAME} uczy polskiego w Krakowie i zaczyna każdą lekcję od zdania „${PANGRAM}”. Rano pije kawę z mlekiem owsianym.`
            : `Persona ${i} lives in ${location}, commutes by tram and has breakfast at home most days. `.repeat(3),
        communicationStyle: "direct and warm",
        decisionMakingStyle: "compares prices, then asks friends",
        concerns: JSON.stringify(["cena", "cukier"]),
        locale: "pl-PL",
        model: PERSONA_MODEL,
      },
    });
    personas.push({ id, name, age, gender, location, demographics });
  }
  return personas;
}

export const FG_QUESTIONS = [
  { question: "Co pijecie do śniadania i dlaczego?", probes: ["Zapytaj o cenę", "Ask about habits at work"] },
  { question: "What would make you try an oat drink?", probes: [] },
];
export const FG_MODEL = "gemini-2.5-pro";
export const FG_SEED = 1234;
export const FG_RUN_MODEL: RunModel = {
  provider: "gemini",
  model: FG_MODEL,
  modelVersion: `${FG_MODEL}-001`,
  temperature: 0.7,
  seed: FG_SEED,
  promptVersion: DISCUSSION_PROMPT_VERSION,
  calls: 12,
};
export const THEME_TITLE = "Cena decyduje o zmianie";
export const THEME_QUOTE = `Za 9 złotych za litr? ${PANGRAM}, to za drogo na co dzień.`;
export const RECOMMENDATION_TITLE = "Wprowadźcie mniejsze opakowanie próbne";

/** A focus group with a full transcript (answers, a round of reactions, a follow-up) and an analysis. */
export async function seedFocusGroup(
  db: Database,
  projectId: string,
  personas: SeededPersona[],
  options: { name?: string; status?: "completed" | "paused" } = {},
) {
  const id = newId(tick().getTime());
  const runJob = await job(db, DISCUSSION_KIND, projectId, {
    ...(options.status === "paused" ? { status: "interrupted", progressLabel: storedProgressLabel(PAUSED_LABEL) } : {}),
    // What the run recorded (the provider answered as a pinned version of the model asked for).
    models: JSON.stringify([FG_RUN_MODEL]),
  });
  await db.prisma.focusGroup.create({
    data: {
      id,
      projectId,
      name: options.name ?? "Mleko owsiane: przejście",
      status: options.status ?? "completed",
      participantIds: JSON.stringify(personas.map((p) => p.id)),
      guide: JSON.stringify(FG_QUESTIONS),
      settings: JSON.stringify({
        discussionRounds: 1,
        moderatorFollowUps: true,
        model: FG_MODEL,
        language: "pl",
        temperature: 0.7,
        seed: FG_SEED,
      }),
      jobId: runJob,
    },
  });
  let seq = 0;
  const messageIds: string[] = [];
  const say = async (fields: {
    questionIndex: number;
    phase: string;
    persona?: SeededPersona;
    text: string;
    round?: number;
    replyToId?: string;
    sentiment?: number;
  }) => {
    const messageId = newId(tick(60_000).getTime());
    seq++;
    await db.prisma.focusGroupMessage.create({
      data: {
        id: messageId,
        focusGroupId: id,
        seq,
        unitKey: `u${seq}`,
        questionIndex: fields.questionIndex,
        round: fields.round ?? 0,
        phase: fields.phase,
        speakerType: fields.persona ? "persona" : "moderator",
        personaId: fields.persona?.id ?? null,
        speakerName: fields.persona?.name ?? "Moderator",
        replyToId: fields.replyToId ?? null,
        text: fields.text,
        sentiment: fields.sentiment ?? null,
        createdAt: new Date(clock),
      },
    });
    messageIds.push(messageId);
    return messageId;
  };
  const evidence: Record<string, string[]> = { theme: [], recommendation: [] };
  for (let q = 0; q < FG_QUESTIONS.length; q++) {
    const ask = await say({ questionIndex: q, phase: "question", text: FG_QUESTIONS[q]!.question });
    const answers: string[] = [];
    for (const [i, persona] of personas.entries()) {
      const text = q === 0 && i === 0 ? THEME_QUOTE : `Answer of ${persona.name} to question ${q + 1}.`;
      answers.push(
        await say({
          questionIndex: q,
          phase: "answer",
          persona,
          text,
          replyToId: ask,
          sentiment: i % 3 === 0 ? -0.4 : 0.5,
        }),
      );
      if (q === 0 && i < 2) evidence.theme!.push(answers[answers.length - 1]!);
    }
    for (const [i, persona] of personas.entries()) {
      const other = (i + 1) % personas.length;
      await say({
        questionIndex: q,
        phase: "reaction",
        persona,
        round: 1,
        text: `${personas[other]!.name.split(" ")[0]}, I see it differently.`,
        replyToId: answers[other],
        sentiment: 0.1,
      });
    }
    const followUp = await say({ questionIndex: q, phase: "followup", text: `Follow-up on question ${q + 1}: why?` });
    evidence.recommendation!.push(
      await say({
        questionIndex: q,
        phase: "followup_answer",
        persona: personas[0]!,
        text: "Because of the price.",
        replyToId: followUp,
        sentiment: -0.2,
      }),
    );
  }
  const analysisId = await job(db, ANALYSIS_KIND, projectId, { params: JSON.stringify({ focusGroupId: id }) });
  await db.prisma.focusGroup.update({ where: { id }, data: { analysisJobId: analysisId } });
  const insights: [string, string, string, string[]][] = [
    ["executive_summary", "", "Uczestnicy lubią smak, ale cena ich powstrzymuje.", []],
    ["theme", THEME_TITLE, "Most participants would switch only if the price came down.", evidence.theme!],
    ["agreement", "Smak jest dobry", "Everyone liked the taste.", [messageIds[1]!]],
    ["disagreement", "Cukier", "They disagreed about sugar.", [messageIds[2]!]],
    ["segment_difference", "Młodsi vs starsi", "Younger participants care more about sustainability.", []],
    ["recommendation", RECOMMENDATION_TITLE, "A small trial pack lowers the price barrier.", evidence.recommendation!],
  ];
  for (const [i, [kind, title, text, ids]] of insights.entries()) {
    await db.prisma.insight.create({
      data: {
        id: newId(tick().getTime()),
        focusGroupId: id,
        analysisId,
        seq: i,
        kind,
        title,
        text,
        evidence: JSON.stringify(ids),
      },
    });
  }
  return { id, messageCount: seq };
}

/** A focus group that was set up but never run: no job, no transcript, no analysis. */
export async function seedDraftFocusGroup(db: Database, projectId: string, personas: SeededPersona[], name: string) {
  const id = newId(tick().getTime());
  await db.prisma.focusGroup.create({
    data: {
      id,
      projectId,
      name,
      participantIds: JSON.stringify(personas.map((p) => p.id)),
      guide: JSON.stringify(FG_QUESTIONS),
      settings: JSON.stringify({ discussionRounds: 1, moderatorFollowUps: true, language: "en", temperature: 0.8 }),
    },
  });
  return { id };
}

export const SURVEY_MODEL = "gemini-2.5-flash-lite";
export const SURVEY_RUN_MODEL: RunModel = {
  provider: "gemini",
  model: SURVEY_MODEL,
  modelVersion: SURVEY_MODEL,
  temperature: 0.7,
  seed: null,
  promptVersion: SURVEY_PROMPT_VERSION,
  calls: 6,
};
export const OPEN_THEME = "Niższa cena";
export const OPEN_QUOTE = "Gdyby kosztowało tyle co krowie mleko.";

/** The survey's questions: `count` questions cycling through the four types (ids q1…). */
export function surveyQuestions(count: number): Question[] {
  return Array.from({ length: count }, (_, i): Question => {
    const id = `q${i + 1}`;
    switch (i % 4) {
      case 0:
        return {
          id,
          type: "multiple_choice",
          text: `Co pijesz do śniadania? (${i + 1})`,
          required: true,
          options: ["Kawa", "Herbata", "Sok", "Woda"],
          maxSelections: 1,
        };
      case 1:
        return {
          id,
          type: "rating_scale",
          text: `How likely are you to try an oat drink? (${i + 1})`,
          required: true,
          min: 1,
          max: 5,
          minLabel: "Not at all",
          maxLabel: "Very",
        };
      case 2:
        return { id, type: "open_ended", text: `Co skłoniłoby Cię do zmiany? (${i + 1})`, required: true };
      default:
        return {
          id,
          type: "ranking",
          text: `Rank what matters most (${i + 1})`,
          required: true,
          items: ["Cena", "Smak", "Zdrowie", "Ekologia"],
        };
    }
  });
}

/** A survey answered by every persona, with themes for its open questions; answers follow a fixed pattern. */
export async function seedSurvey(
  db: Database,
  projectId: string,
  personas: SeededPersona[],
  options: { name?: string; questions?: number; status?: "completed" | "failed" } = {},
) {
  const id = newId(tick().getTime());
  const questions = surveyQuestions(options.questions ?? 4);
  const runJob = await job(db, SURVEY_RUN_KIND, projectId, {
    status: options.status === "failed" ? "failed" : "succeeded",
    models: JSON.stringify([SURVEY_RUN_MODEL]),
    params: JSON.stringify({
      surveyId: id,
      projectId,
      personaIds: personas.map((p) => p.id),
      questions,
      model: SURVEY_MODEL,
    }),
  });
  const openThemes: Record<string, unknown> = {};
  for (const q of questions.filter((q) => q.type === "open_ended")) {
    openThemes[q.id] = [
      {
        theme: OPEN_THEME,
        count: Math.ceil(personas.length / 2),
        quotes: [{ personaId: personas[0]!.id, text: OPEN_QUOTE }],
      },
      {
        theme: "Lepszy smak",
        count: Math.floor(personas.length / 2),
        quotes: [{ personaId: personas[1 % personas.length]!.id, text: "If it tasted less like cereal." }],
      },
    ];
  }
  await db.prisma.survey.create({
    data: {
      id,
      projectId,
      name: options.name ?? "Nawyki śniadaniowe",
      status: options.status ?? "completed",
      questions: JSON.stringify(questions),
      personaIds: JSON.stringify(personas.map((p) => p.id)),
      jobId: runJob,
      openThemes: JSON.stringify(openThemes),
    },
  });
  for (const [i, persona] of personas.entries()) {
    const answers: Record<string, unknown> = {};
    for (const q of questions) {
      if (q.type === "multiple_choice") answers[q.id] = [q.options![i % 3 === 0 ? 0 : i % 4]!];
      else if (q.type === "rating_scale") answers[q.id] = 1 + (i % 5);
      else if (q.type === "open_ended")
        answers[q.id] = i === 0 ? OPEN_QUOTE : `Open answer ${i}: something about price and taste.`;
      else answers[q.id] = i % 2 === 0 ? [...q.items!] : [...q.items!].reverse();
    }
    await db.prisma.surveyResponse.create({
      data: {
        id: newId(tick().getTime()),
        surveyId: id,
        personaId: persona.id,
        answers: JSON.stringify(answers),
        runId: runJob,
        createdAt: new Date(clock),
      },
    });
  }
  return { id, questions };
}
