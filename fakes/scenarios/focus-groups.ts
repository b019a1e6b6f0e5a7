import { createRng, hashSeed } from "../deterministic";
import { registerScenario, type ScenarioRequest } from "./registry";

/**
 * The fake's side of a focus group: participants answer and react to each other by name, the
 * moderator picks whom to probe, and the analysis cites real message ids from the prompt. All
 * deterministic from the prompt, so tests can assert on what was said and to whom.
 *
 * The analysis names "Price versus trust" and "Everyday convenience" under every question. A
 * request with a seed (a stability check's rerun) varies that by the seed alone, the same way under
 * every question of one rerun: "Everyday convenience" comes in about 60 % of seeds, and a theme
 * the unseeded analysis never names, "Packaging as a quality signal", in about 40 %.
 */

type Lang = "pl" | "en";

const OPINIONS: Record<Lang, string[]> = {
  en: [
    "the price matters more to me than the brand",
    "I would only switch if a friend recommended it",
    "the packaging looks cheap, which puts me off",
    "it fits how my family shops during the week",
    "I don't trust claims I can't check myself",
    "convenience beats everything on a busy day",
    "I'd try it once, but loyalty has to be earned",
    "the ingredients list is what convinces me",
  ],
  pl: [
    "cena liczy się dla mnie bardziej niż marka",
    "zmieniłbym przyzwyczajenia tylko z polecenia znajomych",
    "opakowanie wygląda tanio i to mnie zniechęca",
    "pasuje do tego, jak moja rodzina robi zakupy w tygodniu",
    "nie ufam obietnicom, których nie mogę sprawdzić",
    "w zabiegany dzień wygoda wygrywa ze wszystkim",
    "spróbowałabym raz, ale na lojalność trzeba zapracować",
    "przekonuje mnie skład, a nie reklama",
  ],
};

const REASONS: Record<Lang, string[]> = {
  en: [
    "because that's what happened to me last month",
    "since my budget is tight this year",
    "because my kids notice these things",
    "as I've been burned before",
  ],
  pl: [
    "bo dokładnie tak było u mnie w zeszłym miesiącu",
    "bo w tym roku budżet jest napięty",
    "bo moje dzieci zwracają na to uwagę",
    "bo już raz się zawiodłam",
  ],
};

function lang(request: ScenarioRequest): Lang {
  return /^\s*language:\s*pl/m.test(request.system) ? "pl" : "en";
}

function pick<T>(request: ScenarioRequest, items: readonly T[]): T {
  return items[Math.floor(request.rng() * items.length) % items.length]!;
}

function lastUser(request: ScenarioRequest): string {
  return [...request.messages].reverse().find((m) => m.role === "user")?.text ?? "";
}

registerScenario("focus_group_answer", (request) => {
  const l = lang(request);
  const me = /You are ([^,]+), a participant/.exec(request.system)?.[1] ?? "I";
  const prompt = lastUser(request);
  const target = /respond to ([^,]+), who said/.exec(prompt)?.[1];
  const opinion = pick(request, OPINIONS[l]);
  const reason = pick(request, REASONS[l]);
  if (target) {
    const agrees = request.rng() < 0.55;
    const first = target.split(" ")[0];
    if (l === "pl") {
      return agrees
        ? `Zgadzam się z ${first} — ${opinion}, ${reason}. Dodałabym jeszcze, że liczy się codzienna wygoda.`
        : `Widzę to inaczej niż ${first}. Moim zdaniem ${opinion}, ${reason}.`;
    }
    return agrees
      ? `I agree with ${first} — ${opinion}, ${reason}. I'd add that everyday convenience counts too.`
      : `I see it differently from ${first}. For me ${opinion}, ${reason}.`;
  }
  if (/asks you directly/.test(prompt)) {
    return l === "pl"
      ? `Szczerze mówiąc, ${opinion}. Tak to wygląda u mnie na co dzień, ${reason}.`
      : `Honestly, ${opinion}. That's how it plays out day to day for me, ${reason}.`;
  }
  return l === "pl"
    ? `Jako ${me.split(" ")[0]} powiem tak: ${opinion}, ${reason}.`
    : `Speaking as ${me.split(" ")[0]}: ${opinion}, ${reason}.`;
});

registerScenario("focus_group_followup", (request) => {
  const prompt = lastUser(request);
  const participants = JSON.parse(/Participants: (\[.*\])/.exec(prompt)?.[1] ?? "[]") as { id: string; name: string }[];
  const count = Number(/Choose exactly (\d+)/.exec(prompt)?.[1] ?? 1);
  const chosen = [...participants].sort(() => request.rng() - 0.5).slice(0, count);
  const names = chosen.map((p) => p.name.split(" ")[0]).join(l2(request) ? " i " : " and ");
  return {
    question:
      lang(request) === "pl"
        ? `${names}, co dokładnie musiałoby się zmienić, żebyście zmienili zdanie?`
        : `${names}, what exactly would have to change for you to change your mind?`,
    personaIds: chosen.map((p) => p.id),
  };
});

function l2(request: ScenarioRequest) {
  return lang(request) === "pl";
}

interface Line {
  id: string;
  who: string;
  text: string;
}

function lines(text: string): Line[] {
  return [...text.matchAll(/^\[m:([^\]]+)\] ([^:(]+)(?:\([^)]*\))?: (.*)$/gm)].map((m) => ({
    id: m[1]!,
    who: m[2]!.trim(),
    text: m[3]!,
  }));
}

function scoreOf(text: string, request: ScenarioRequest): number {
  let score = (request.rng() - 0.5) * 0.4;
  if (/agree|zgadzam|convinces|przekonuje|fits|pasuje/i.test(text)) score += 0.5;
  if (/differently|inaczej|cheap|tanio|don't trust|nie ufam|burned|zawiodł/i.test(text)) score -= 0.5;
  return Math.max(-1, Math.min(1, Math.round(score * 100) / 100));
}

registerScenario("focus_group_analysis_question", (request) => {
  const prompt = lastUser(request);
  const all = lines(prompt);
  const wanted = (/\(ids: ([^)]*)\)/.exec(prompt)?.[1] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const participants = all.filter((line) => wanted.includes(line.id));
  const agreeing = participants.filter((line) => /agree|zgadzam/i.test(line.text));
  const disagreeing = participants.filter((line) => /differently|inaczej/i.test(line.text));
  const evidence = (list: Line[]) => (list.length ? list : participants).slice(0, 3).map((line) => line.id);
  const sentiments = participants.map((line) => ({ messageId: line.id, score: scoreOf(line.text, request) }));
  // Drawn from the seed alone (not the prompt), so one rerun decides alike under every question.
  const byRun = request.seed === null ? null : createRng(hashSeed("analysis-themes", String(request.seed)));
  const convenience = byRun ? byRun() < 0.6 : true;
  const packaging = byRun ? byRun() < 0.4 : false;
  return {
    sentiments,
    themes: [
      {
        title: "Price versus trust",
        text: "Participants weigh price against how much they trust the claims.",
        evidence: evidence(participants.filter((l) => /price|cena|trust|ufam/i.test(l.text))),
      },
      ...(convenience
        ? [
            {
              title: "Everyday convenience",
              text: "Convenience on busy days decides many purchases.",
              evidence: evidence(participants.filter((l) => /convenien|wygod/i.test(l.text))),
            },
          ]
        : []),
      ...(packaging
        ? [
            {
              title: "Packaging as a quality signal",
              text: "Some judge the product by how its packaging looks.",
              evidence: evidence(participants.filter((l) => /packaging|opakowanie/i.test(l.text))),
            },
          ]
        : []),
    ],
    agreements: agreeing.length
      ? [
          {
            title: "Shared view",
            text: `${agreeing[0]!.who} and others converge on the same point.`,
            evidence: agreeing.slice(0, 3).map((l) => l.id),
          },
        ]
      : [],
    disagreements: disagreeing.length
      ? [
          {
            title: "Open disagreement",
            text: `${disagreeing[0]!.who} pushes back on another participant.`,
            evidence: disagreeing.slice(0, 3).map((l) => l.id),
          },
        ]
      : [],
  };
});

registerScenario("focus_group_analysis_summary", (request) => {
  const all = lines(lastUser(request)).filter((line) => line.who !== "Moderator");
  const ids = all.map((line) => line.id);
  const some = (n: number) => ids.slice(0, Math.max(1, Math.min(n, ids.length)));
  return {
    executiveSummary:
      "The synthetic participants are open to the product but will not pay a premium on claims alone: price, trust and everyday convenience decide. Recommendations from people they know weigh more than advertising.",
    segmentDifferences: [
      {
        title: "Budget-conscious segment",
        text: "Lower-income participants mention price first; higher-income ones mention ingredients.",
        evidence: some(2),
      },
    ],
    surprises: [
      {
        title: "Packaging matters",
        text: "Several participants judged quality by the packaging before anything else.",
        evidence: some(1),
      },
    ],
    recommendations: [
      {
        title: "Lead with proof",
        text: "Back the main claim with something shoppers can check on the shelf.",
        evidence: some(2),
      },
      {
        title: "Seed word of mouth",
        text: "Give existing customers a reason to recommend it to friends.",
        evidence: some(1),
      },
    ],
  };
});
