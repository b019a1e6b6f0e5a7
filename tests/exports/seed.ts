import type { Services } from "../../src/main/services/create-services";
import type { Question } from "../../src/shared/contract";

/**
 * A small project written straight into the database, full of what breaks naive CSV and JSON
 * writers: commas, double quotes, line breaks (LF and CRLF), emoji, Polish diacritics, leading
 * and trailing spaces, and text that a spreadsheet would run as a formula (=, +, -, @, tab, CR).
 */

export const TARGET = {
  gender: { female: 0.5, male: 0.5 },
  age_group: { "18-34": 0.5, "35+": 0.5 },
};

export interface SeedPersona {
  id: string;
  name: string;
  age: number;
  gender: string;
  location: string;
  education: string;
  income: string;
  occupation: string;
  demographics: Record<string, string>;
  bigFive: Record<string, number>;
  values: string[];
  interests: string[];
  concerns: string[];
  backgroundStory: string;
  communicationStyle: string;
  decisionMakingStyle: string;
  locale: string;
}

const bigFive = (o: number, c: number, e: number, a: number, n: number) => ({
  openness: o,
  conscientiousness: c,
  extraversion: e,
  agreeableness: a,
  neuroticism: n,
});

export const PERSONAS: SeedPersona[] = [
  {
    id: "p1-zazolc",
    name: "Zażółć Gęślą Jaźń",
    age: 29,
    gender: "female",
    location: 'Łódź, "Bałuty"',
    education: "+1 semester abroad",
    income: "-2 brackets",
    occupation: "=SUM(A1)",
    demographics: { gender: "female", age_group: "18-34" },
    bigFive: bigFive(0.81, 0.4, 0.65, 0.7, 0.22),
    values: ["@x", "rodzina 👨‍👩‍👧"],
    interests: ["kawa", "Tea, green"],
    concerns: ["ceny"],
    backgroundStory: "Mieszka w Łodzi.\nDrugi wiersz, z przecinkiem 🎉",
    communicationStyle: "Bezpośredni",
    decisionMakingStyle: 'Careful, "data first"',
    locale: "pl-PL",
  },
  {
    id: "p2-tabbed",
    name: "\tTabbed Name",
    age: 41,
    gender: "male",
    location: "\rCR town",
    education: "Master's",
    income: "high",
    occupation: "Baker 👩‍🍳",
    demographics: { gender: "male", age_group: "35+" },
    bigFive: bigFive(0.3, 0.9, 0.2, 0.5, 0.6),
    values: ["quality"],
    interests: ["bread"],
    concerns: ["-costs", "time"],
    backgroundStory: "Plain story.",
    communicationStyle: "Short",
    decisionMakingStyle: "Quick",
    locale: "en-GB",
  },
  {
    id: "p3-quote",
    name: 'Quote "Q" Person',
    age: 57,
    gender: "female",
    location: "  spaced  ",
    education: "PhD",
    income: "middle",
    occupation: "line1\r\nline2",
    demographics: { gender: "female", age_group: "35+", legacy: "old-slot" },
    bigFive: bigFive(0.5, 0.5, 0.5, 0.5, 0.5),
    values: ["a;b"],
    interests: [],
    concerns: ["x"],
    backgroundStory: 'Story with "quotes", commas, and a tab\there.',
    communicationStyle: "Warm",
    decisionMakingStyle: "Slow",
    locale: "en-US",
  },
  {
    id: "p4-idle",
    name: "Idle Persona",
    age: 22,
    gender: "male",
    location: "Gdańsk",
    education: "High school",
    income: "low",
    occupation: "Student",
    demographics: { gender: "male", age_group: "18-34" },
    bigFive: bigFive(0.6, 0.3, 0.8, 0.4, 0.5),
    values: ["fun"],
    interests: ["games"],
    concerns: ["rent"],
    backgroundStory: "Takes part in nothing.",
    communicationStyle: "Casual",
    decisionMakingStyle: "Impulsive",
    locale: "pl-PL",
  },
];

export const QUESTIONS: Question[] = [
  {
    id: "q1",
    type: "multiple_choice",
    text: "Which drink?",
    required: true,
    options: ["Coffee", "Tea, green", "=cmd|' /C calc'!A0", 'Say "hi"'],
    maxSelections: 1,
  },
  {
    id: "q2",
    type: "multiple_choice",
    text: "Which snacks?",
    required: true,
    options: ["Oats", "-Jam", "Eggs 🥚", "Żurek"],
    maxSelections: 3,
  },
  { id: "q3", type: "rating_scale", text: "How do you feel?", required: false, min: -2, max: 2 },
  { id: "q4", type: "open_ended", text: "=Why?", required: false },
  { id: "q5", type: "ranking", text: "Rank these", required: true, items: ["Price", "-Taste", "Zdrowie ąę"] },
];

export type Answers = Record<string, string[] | number | string | null>;

/** Respondents p1..p3 (p4 takes part in nothing). */
export const ANSWERS: Record<string, Answers> = {
  "p1-zazolc": {
    q1: ["=cmd|' /C calc'!A0"],
    q2: ["Oats", "-Jam"],
    q3: -1,
    q4: '=HYPERLINK("http://x")\nsecond line',
    q5: ["-Taste", "Price", "Zdrowie ąę"],
  },
  "p2-tabbed": {
    q1: ['Say "hi"'],
    q2: ["Eggs 🥚"],
    q3: null,
    q4: "  leading spaces, trailing  ",
    q5: ["Price", "Zdrowie ąę", "-Taste"],
  },
  "p3-quote": {
    q1: ["Tea, green"],
    q2: ["Żurek", "Oats", "-Jam"],
    q3: 0,
    q4: "-2",
    q5: ["Zdrowie ąę", "-Taste", "Price"],
  },
};

export const GUIDE = [
  { question: "=Q1 What do you drink?", probes: ["Price?"] },
  { question: "Second question, ok?", probes: [] },
];

export interface SeedMessage {
  id: string;
  seq: number;
  questionIndex: number;
  round: number;
  phase: string;
  speakerType: "moderator" | "persona";
  personaId: string | null;
  speakerName: string;
  replyToId: string | null;
  text: string;
  sentiment: number | null;
}

const m = (
  seq: number,
  questionIndex: number,
  round: number,
  phase: string,
  personaId: string | null,
  replyToSeq: number | null,
  text: string,
  sentiment: number | null,
): SeedMessage => ({
  id: `msg-${String(seq).padStart(2, "0")}`,
  seq,
  questionIndex,
  round,
  phase,
  speakerType: personaId ? "persona" : "moderator",
  personaId,
  speakerName: personaId ? PERSONAS.find((p) => p.id === personaId)!.name : "Moderator",
  replyToId: replyToSeq === null ? null : `msg-${String(replyToSeq).padStart(2, "0")}`,
  text,
  sentiment,
});

export const MESSAGES: SeedMessage[] = [
  m(1, 0, 0, "question", null, null, "=Q1 What do you drink?", null),
  m(2, 0, 0, "answer", "p1-zazolc", null, "@everyone I drink kawa ☕", 0.5),
  m(3, 0, 0, "answer", "p2-tabbed", null, "\tTabbed answer", -0.5),
  m(4, 0, 1, "reaction", "p3-quote", 2, "\r\nStarts with CRLF", -1),
  m(5, 0, 1, "reaction", "p1-zazolc", 3, 'Plain reply, "quoted"', 0),
  m(6, 0, 1, "followup", null, null, "-Follow up?", null),
  m(7, 1, 0, "question", null, null, "Second question, ok?", null),
  m(8, 1, 0, "answer", "p2-tabbed", null, "+1 for oats", 0.25),
];

export interface Seeded {
  projectId: string;
  surveyId: string;
  focusGroupId: string;
  surveyJobId: string;
  focusGroupJobId: string;
  analysisJobId: string;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute, 0, 0));

/** Writes the fixture; the studies are completed (their jobs succeeded). */
export async function seedProject(services: Services): Promise<Seeded> {
  const { prisma } = services.db;
  const project = await services.projects.create({
    name: "Owsianka ☕ „Śniadanie”",
    description: 'Breakfast, "oats" & more',
    researchGoal: "",
    targetAudience: "",
    targetSampleSize: 4,
    targetDemographics: TARGET,
  });
  for (const [index, p] of PERSONAS.entries()) {
    await prisma.persona.create({
      data: {
        id: p.id,
        projectId: project.id,
        slotIndex: index,
        demographics: JSON.stringify(p.demographics),
        name: p.name,
        age: p.age,
        gender: p.gender,
        location: p.location,
        education: p.education,
        income: p.income,
        occupation: p.occupation,
        bigFive: JSON.stringify(p.bigFive),
        values: JSON.stringify(p.values),
        interests: JSON.stringify(p.interests),
        backgroundStory: p.backgroundStory,
        communicationStyle: p.communicationStyle,
        decisionMakingStyle: p.decisionMakingStyle,
        concerns: JSON.stringify(p.concerns),
        locale: p.locale,
        model: "fake-model",
        createdAt: at(index),
        updatedAt: at(index + 10),
      },
    });
  }
  const job = (id: string, kind: string, params: unknown) =>
    prisma.job.create({
      data: { id, kind, status: "succeeded", projectId: project.id, params: JSON.stringify(params), createdAt: at(20) },
    });

  const surveyId = "survey-breakfast";
  const surveyJobId = "job-survey-run";
  const respondents = Object.keys(ANSWERS);
  await job(surveyJobId, "surveys.run", {
    surveyId,
    projectId: project.id,
    personaIds: respondents,
    questions: QUESTIONS,
  });
  await prisma.survey.create({
    data: {
      id: surveyId,
      projectId: project.id,
      name: 'Śniadanie, "survey"',
      status: "completed",
      questions: JSON.stringify(QUESTIONS),
      personaIds: JSON.stringify(respondents),
      jobId: surveyJobId,
      openThemes: JSON.stringify({
        q4: [{ theme: "Links", count: 1, quotes: [{ personaId: "p1-zazolc", text: ANSWERS["p1-zazolc"]!.q4 }] }],
      }),
      createdAt: at(21),
      updatedAt: at(22),
    },
  });
  for (const [index, personaId] of respondents.entries()) {
    await prisma.surveyResponse.create({
      data: {
        id: `resp-${index + 1}`,
        surveyId,
        personaId,
        answers: JSON.stringify(ANSWERS[personaId]),
        runId: surveyJobId,
        createdAt: at(30 + index),
      },
    });
  }

  const focusGroupId = "fg-drinks";
  const focusGroupJobId = "job-fg-run";
  const analysisJobId = "job-fg-analysis";
  await job(focusGroupJobId, "focusGroups.run", { focusGroupId });
  await job(analysisJobId, "focusGroups.analyze", { focusGroupId });
  await prisma.focusGroup.create({
    data: {
      id: focusGroupId,
      projectId: project.id,
      name: 'Drinks; "morning" talk',
      status: "completed",
      participantIds: JSON.stringify(["p1-zazolc", "p2-tabbed", "p3-quote"]),
      guide: JSON.stringify(GUIDE),
      settings: JSON.stringify({
        discussionRounds: 1,
        moderatorFollowUps: true,
        language: "en",
        temperature: 0.8,
        seed: 5,
      }),
      jobId: focusGroupJobId,
      analysisJobId,
      createdAt: at(23),
      updatedAt: at(24),
    },
  });
  for (const msg of MESSAGES) {
    await prisma.focusGroupMessage.create({
      data: {
        ...msg,
        focusGroupId,
        unitKey: `unit-${msg.seq}`,
        inputTokens: 10 * msg.seq,
        outputTokens: msg.seq,
        createdAt: at(40 + msg.seq),
      },
    });
  }
  await prisma.insight.createMany({
    data: [
      {
        id: "ins-1",
        focusGroupId,
        analysisId: analysisJobId,
        seq: 1,
        kind: "executive_summary",
        title: "Summary",
        text: "Kawa wins; „cudzysłów” stays.",
        evidence: JSON.stringify(["msg-02"]),
        createdAt: at(55),
      },
      {
        id: "ins-2",
        focusGroupId,
        analysisId: analysisJobId,
        seq: 2,
        kind: "theme",
        title: "=Price",
        text: "Price matters\nto most.",
        evidence: JSON.stringify(["msg-03", "msg-08"]),
        createdAt: at(55),
      },
    ],
  });
  return { projectId: project.id, surveyId, focusGroupId, surveyJobId, focusGroupJobId, analysisJobId };
}

/** Who whispered the live probe: a display name a spreadsheet would read as a mention. */
export const PROBE_SUGGESTED_BY = "@Maja (brand)";
export const PROBE_TEXT = "Would a smaller pack change your mind?";

/**
 * A co-moderator's probe from a live session, as the discussion job saves it after question 2's
 * discussion: the moderator's line (phase followup, round discussionRounds + 2, unit
 * `q1/probe/<id>`, suggestedBy set), then every participant's answer to it (followup_answer,
 * replying to that line). Seqs 9..12 follow the fixture's MESSAGES.
 */
export async function seedLiveProbe(services: Services, seeded: Seeded): Promise<{ probeMessageId: string }> {
  const { prisma } = services.db;
  const probeMessageId = "msg-09";
  await prisma.focusGroupMessage.create({
    data: {
      id: probeMessageId,
      focusGroupId: seeded.focusGroupId,
      seq: 9,
      unitKey: "q1/probe/probe-1",
      questionIndex: 1,
      round: 3,
      phase: "followup",
      speakerType: "moderator",
      speakerName: "Moderator",
      text: PROBE_TEXT,
      suggestedBy: PROBE_SUGGESTED_BY,
      createdAt: at(49),
    },
  });
  for (const [index, personaId] of ["p1-zazolc", "p2-tabbed", "p3-quote"].entries()) {
    await prisma.focusGroupMessage.create({
      data: {
        id: `msg-${10 + index}`,
        focusGroupId: seeded.focusGroupId,
        seq: 10 + index,
        unitKey: `q1/probe/probe-1/${personaId}`,
        questionIndex: 1,
        round: 3,
        phase: "followup_answer",
        speakerType: "persona",
        personaId,
        speakerName: PERSONAS.find((p) => p.id === personaId)!.name,
        replyToId: probeMessageId,
        text: `Answer ${index + 1} to the probe`,
        createdAt: at(50 + index),
      },
    });
  }
  return { probeMessageId };
}

/** Marks a study's run as stopped half-way (interrupted; for a focus group with the Paused label: paused). */
export async function stopJob(services: Services, jobId: string, paused = false): Promise<void> {
  await services.db.prisma.job.update({
    where: { id: jobId },
    data: { status: "interrupted", progressLabel: paused ? "Paused" : "Interrupted" },
  });
}
