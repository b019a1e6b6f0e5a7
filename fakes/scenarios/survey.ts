import { sentence } from "../deterministic";
import { registerScenario, type FakeMessage, type ScenarioRequest } from "./registry";

/**
 * The fake's answers to Sight's survey prompts.
 *
 * `survey_answer`: reads the `<questions>` JSON from the user message and answers every question
 * validly and deterministically (request.rng), leaning by the respondent's `Gender:` and `Age:`
 * lines so cross-tabs by gender or age are not flat. Flags (POST /__control { scenarioFlags }):
 * `invalidSurvey: n` makes the next n answers invalid in every way Sight must refuse (an option not
 * in the list, a rating out of range or written as "4/5", a ranking with an item missing or
 * repeated); `invalidSurveyPersona: "<name>"` does so for every answer of that persona, forever.
 *
 * `survey_open_themes`: reads the `<answers>` JSON and groups them into 2–6 themes by what they
 * talk about, quoting real personaIds. `badThemeQuotes: n` makes the next n answers quote an
 * unknown personaId.
 */

interface QuestionIn {
  id: string;
  type: "multiple_choice" | "rating_scale" | "open_ended" | "ranking";
  required: boolean;
  options?: string[];
  maxSelections?: number;
  min?: number;
  max?: number;
  items?: string[];
}

function tagged<T>(messages: FakeMessage[], tag: string): T | null {
  const pattern = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`);
  for (const message of messages) {
    if (message.role !== "user") continue;
    const match = pattern.exec(message.text);
    if (!match) continue;
    try {
      return JSON.parse(match[1]!) as T;
    } catch {
      return null;
    }
  }
  return null;
}

const line = (system: string, label: string) => new RegExp(`^${label}:\\s*(.+)$`, "m").exec(system)?.[1]?.trim();

interface Respondent {
  /** 0 leans to the first options, items and the top of scales; 1 to the last and the bottom. */
  lean: number;
  older: boolean;
}

function respondentOf(system: string): Respondent {
  const gender = (line(system, "Gender") ?? "").toLowerCase();
  const age = Number(line(system, "Age") ?? "40");
  const base = /^(f|woman|kobieta)/.test(gender) ? 0.15 : /^(m|man|mężczyzna)/.test(gender) ? 0.85 : 0.5;
  const older = age >= 50;
  return { lean: Math.min(1, Math.max(0, base + (older ? 0.1 : 0))), older };
}

function shuffled<T>(items: readonly T[], rng: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function validAnswer(q: QuestionIn, who: Respondent, rng: () => number): unknown {
  switch (q.type) {
    case "multiple_choice": {
      const options = q.options ?? [];
      const preferred = Math.round(who.lean * (options.length - 1));
      const first = rng() < 0.7 ? preferred : Math.floor(rng() * options.length);
      const chosen = [options[first]!];
      const count = 1 + Math.floor(rng() * (q.maxSelections ?? 1));
      for (const option of shuffled(options, rng)) {
        if (chosen.length >= count) break;
        if (!chosen.includes(option)) chosen.push(option);
      }
      return chosen;
    }
    case "rating_scale": {
      const min = q.min ?? 1;
      const max = q.max ?? 5;
      const range = max - min;
      const center = max - range * who.lean;
      return Math.min(max, Math.max(min, Math.round(center + (rng() - 0.5) * range * 0.5)));
    }
    case "ranking": {
      const items = q.items ?? [];
      const score = (index: number) => Math.abs(index / Math.max(1, items.length - 1) - who.lean) + rng() * 0.6;
      return items
        .map((item, index) => ({ item, score: score(index) }))
        .sort((a, b) => a.score - b.score)
        .map((x) => x.item);
    }
    case "open_ended":
      return `${sentence(rng)} ${sentence(rng)}`;
  }
}

function invalidAnswer(q: QuestionIn, who: Respondent, rng: () => number): unknown {
  switch (q.type) {
    case "multiple_choice":
      return [`${q.options?.[0] ?? "Yes"} (or something else)`];
    case "rating_scale": {
      const max = q.max ?? 5;
      return rng() < 0.5 ? max + 3 : `${max - 1}/${max}`;
    }
    case "ranking": {
      const items = q.items ?? [];
      return rng() < 0.5 ? items.slice(0, -1) : [...items.slice(0, -1), items[0]];
    }
    default:
      return validAnswer(q, who, rng);
  }
}

registerScenario("survey_answer", (request: ScenarioRequest) => {
  const questions = tagged<QuestionIn[]>(request.messages, "questions");
  if (!Array.isArray(questions)) return undefined;
  const who = respondentOf(request.system);
  const cursed = request.flags.invalidSurveyPersona;
  const invalid =
    (typeof cursed === "string" && line(request.system, "Name") === cursed) || request.takeFlag("invalidSurvey");
  const answers: Record<string, unknown> = {};
  for (const question of questions) {
    if (!invalid && !question.required && request.rng() < 0.2) continue;
    answers[question.id] = invalid
      ? invalidAnswer(question, who, request.rng)
      : validAnswer(question, who, request.rng);
  }
  return { answers };
});

const TOPICS = [
  "price",
  "packaging",
  "brand",
  "delivery",
  "flavour",
  "subscription",
  "app",
  "design",
  "service",
  "ingredient",
];

registerScenario("survey_open_themes", (request: ScenarioRequest) => {
  const answers = tagged<{ personaId: string; answer: string }[]>(request.messages, "answers");
  if (!Array.isArray(answers) || answers.length === 0) return undefined;
  const groups = new Map<string, typeof answers>();
  for (const entry of answers) {
    const topic = TOPICS.find((t) => entry.answer.toLowerCase().includes(t));
    const name = topic ? `Views on the ${topic}` : "Other remarks";
    groups.set(name, [...(groups.get(name) ?? []), entry]);
  }
  let themes = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  if (themes.length > 6) {
    const keep = themes.filter(([name]) => name !== "Other remarks").slice(0, 5);
    const kept = new Set(keep.map(([name]) => name));
    themes = [...keep, ["Other remarks", themes.filter(([name]) => !kept.has(name)).flatMap(([, members]) => members)]];
  }
  if (themes.length < 2 && answers.length >= 2) {
    const [name, members] = themes[0]!;
    const half = Math.ceil(members.length / 2);
    themes = [
      [name, members.slice(0, half)],
      ["Mixed impressions", members.slice(half)],
    ];
  }
  const badQuote = request.takeFlag("badThemeQuotes");
  return {
    themes: themes.map(([theme, members], index) => ({
      theme,
      count: members.length,
      quotes: members.slice(0, 2).map((m, q) => ({
        personaId: badQuote && index === 0 && q === 0 ? "not-a-respondent" : m.personaId,
        text: m.answer.slice(0, 300),
      })),
    })),
  };
});
