import { registerScenario, type ScenarioRequest } from "./registry";

/**
 * The fake's answer to Sight's persona-generation prompt: reads the `<slots>` JSON from the last
 * user message and writes one persona per slot that fills it (age inside the bracket, the slot's
 * categories echoed), with names, places and stories that follow the `locale:` line.
 * Flags (POST /__control { scenarioFlags }): `mismatch: n` makes the next n personas miss their
 * slot; `duplicate: n` makes the next n personas reuse one fixed story.
 */

interface SlotIn {
  slotIndex: number;
  demographics: Record<string, string>;
  ageRange?: { min: number; max: number };
}

type Lang = "pl" | "en";

const NAMES: Record<Lang, { female: string[]; male: string[]; surnames: string[] }> = {
  pl: {
    female: [
      "Anna",
      "Katarzyna",
      "Małgorzata",
      "Agnieszka",
      "Joanna",
      "Zofia",
      "Magdalena",
      "Ewa",
      "Natalia",
      "Aleksandra",
      "Weronika",
      "Julia",
      "Barbara",
      "Karolina",
      "Dorota",
      "Iwona",
    ],
    male: [
      "Piotr",
      "Krzysztof",
      "Tomasz",
      "Paweł",
      "Michał",
      "Łukasz",
      "Jakub",
      "Marcin",
      "Grzegorz",
      "Wojciech",
      "Bartłomiej",
      "Szymon",
      "Mateusz",
      "Andrzej",
      "Jerzy",
      "Kamil",
    ],
    surnames: [
      "Nowak",
      "Kowalsk",
      "Wiśniewsk",
      "Wójcik",
      "Kamińsk",
      "Lewandowsk",
      "Zieliński",
      "Szymańsk",
      "Woźniak",
      "Dąbrowsk",
      "Kozłowsk",
      "Jankowsk",
      "Mazur",
      "Krawczyk",
      "Piotrowsk",
      "Grabowsk",
      "Pawlak",
      "Michalsk",
      "Król",
      "Wieczorek",
    ],
  },
  en: {
    female: [
      "Emily",
      "Sarah",
      "Jessica",
      "Olivia",
      "Hannah",
      "Megan",
      "Laura",
      "Rachel",
      "Chloe",
      "Grace",
      "Abigail",
      "Natalie",
      "Victoria",
      "Lauren",
      "Amber",
      "Holly",
    ],
    male: [
      "James",
      "Michael",
      "Daniel",
      "Ryan",
      "Matthew",
      "Andrew",
      "Joshua",
      "Tyler",
      "Nathan",
      "Brandon",
      "Kevin",
      "Jason",
      "Aaron",
      "Eric",
      "Justin",
      "Adam",
    ],
    surnames: [
      "Smith",
      "Johnson",
      "Williams",
      "Brown",
      "Miller",
      "Davis",
      "Wilson",
      "Anderson",
      "Taylor",
      "Thomas",
      "Moore",
      "Martin",
      "Thompson",
      "White",
      "Harris",
      "Clark",
      "Lewis",
      "Walker",
      "Young",
      "Allen",
    ],
  },
};

const PLACES: Record<Lang, string[]> = {
  pl: [
    "Warszawa",
    "Kraków",
    "Gdańsk",
    "Wrocław",
    "Poznań",
    "Łódź",
    "Lublin",
    "Szczecin",
    "Białystok",
    "Rzeszów",
    "Toruń",
    "Katowice",
    "Olsztyn",
    "Bydgoszcz",
  ],
  en: [
    "Columbus, Ohio",
    "Austin, Texas",
    "Portland, Oregon",
    "Denver, Colorado",
    "Raleigh, North Carolina",
    "Tampa, Florida",
    "Madison, Wisconsin",
    "Sacramento, California",
    "Pittsburgh, Pennsylvania",
    "Boise, Idaho",
  ],
};

const JOBS: Record<Lang, Record<string, string[]>> = {
  pl: {
    low: ["kasjerka w dyskoncie", "magazynier", "opiekunka osób starszych", "kurier", "pracownik produkcji"],
    mid: ["księgowa", "technik serwisu", "nauczycielka w szkole podstawowej", "kierownik zmiany", "pielęgniarka"],
    high: ["programista", "lekarka", "architekt", "dyrektorka sprzedaży", "radca prawny"],
  },
  en: {
    low: ["retail associate", "warehouse picker", "home care aide", "delivery driver", "line cook"],
    mid: ["accountant", "HVAC technician", "elementary school teacher", "shift supervisor", "registered nurse"],
    high: ["software engineer", "physician", "architect", "sales director", "corporate lawyer"],
  },
};

const HOBBIES: Record<Lang, string[]> = {
  pl: [
    "bieganie",
    "gotowanie",
    "działka",
    "seriale kryminalne",
    "rower",
    "wędkarstwo",
    "planszówki",
    "joga",
    "fotografia",
    "podróże",
    "grzybobranie",
    "majsterkowanie",
  ],
  en: [
    "running",
    "cooking",
    "gardening",
    "true-crime podcasts",
    "cycling",
    "fishing",
    "board games",
    "yoga",
    "photography",
    "road trips",
    "baking",
    "woodworking",
  ],
};

const STORY: Record<Lang, { p1: string[]; p2: string[]; p3: string[]; p4: string[] }> = {
  pl: {
    p1: [
      "{name} ma {age} lat i mieszka w mieście {place}, gdzie pracuje jako {job}.",
      "{name} ({age}) od kilku lat mieszka w mieście {place}; na co dzień pracuje jako {job}.",
      "Urodzona lub urodzony daleko stąd, {name} ({age} lat) osiadł(a) w mieście {place} i pracuje jako {job}.",
    ],
    p2: [
      "Wolny czas to dla tej osoby przede wszystkim {hobby} i {hobby2}, choć w tygodniu rzadko starcza na to sił.",
      "Weekendy wypełniają {hobby} oraz {hobby2}; to sposób na odreagowanie pracy.",
      "Po pracy najchętniej wybiera {hobby}, a gdy pogoda pozwala, także {hobby2}.",
    ],
    p3: [
      "Zakupy robi z listą i porównuje ceny w aplikacjach, bo domowy budżet jest napięty.",
      "Przy zakupach liczy się jakość i opinie znajomych bardziej niż reklamy.",
      "Nowości testuje chętnie, ale szybko rezygnuje, jeśli coś nie spełnia obietnic.",
      "Ceni lokalne marki i chętnie płaci więcej za produkty z Polski.",
    ],
    p4: [
      "Najbardziej martwi się o {concern} i o to, czy za kilka lat będzie stać ją lub jego na spokojne życie.",
      "W rozmowach często wraca temat: {concern}. To wpływa na większość decyzji.",
      "Największym zmartwieniem jest {concern}, o czym mówi otwarcie, gdy ktoś zapyta.",
    ],
  },
  en: {
    p1: [
      "{name} is {age} and lives in {place}, working as a {job}.",
      "At {age}, {name} has spent the last few years in {place}, where the day job is {job}.",
      "{name} ({age}) moved to {place} for work and has been a {job} ever since.",
    ],
    p2: [
      "Free time goes to {hobby} and {hobby2}, although weekday evenings rarely leave the energy for either.",
      "Weekends are for {hobby} and, when the weather cooperates, {hobby2}.",
      "After work {name} unwinds with {hobby}; {hobby2} is the occasional splurge.",
    ],
    p3: [
      "Shopping happens with a list and a price-comparison app, because the household budget is tight.",
      "Quality and friends' recommendations matter more than advertising when deciding what to buy.",
      "New products get a fair try, but are dropped quickly when they fail to live up to the promise.",
      "Local brands earn loyalty, even at a slightly higher price.",
    ],
    p4: [
      "The biggest worry is {concern}, and whether the next few years will allow a calmer life.",
      "Conversations keep returning to {concern}; it colours most decisions.",
      "{concern} is the concern that comes up first whenever money or plans are discussed.",
    ],
  },
};

const CONCERNS: Record<Lang, string[]> = {
  pl: [
    "rosnące ceny żywności",
    "koszt kredytu",
    "zdrowie rodziców",
    "stabilność pracy",
    "czas dla rodziny",
    "jakość powietrza",
  ],
  en: [
    "rising grocery prices",
    "the cost of rent",
    "aging parents' health",
    "job security",
    "time with family",
    "healthcare costs",
  ],
};

const FIXED_DUPLICATE_STORY =
  "This story is intentionally identical for every persona that receives it, so that Sight's near-duplicate check has something to catch. " +
  "It repeats the same life, the same job, the same hobbies and the same worries, word for word, without any individual detail at all. " +
  "A real model should never write this twice.";

function parseSlots(request: ScenarioRequest): SlotIn[] | null {
  const last = [...request.messages].reverse().find((message) => message.role === "user");
  const match = last ? /<slots>([\s\S]*?)<\/slots>/.exec(last.text) : null;
  if (!match) return null;
  try {
    const slots = JSON.parse(match[1]!) as SlotIn[];
    return Array.isArray(slots) ? slots : null;
  } catch {
    return null;
  }
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? "");
}

function personaFor(slot: SlotIn, lang: Lang, request: ScenarioRequest) {
  const rng = request.rng;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length) % items.length]!;
  const gender = slot.demographics.gender ?? pick(["female", "male"]);
  const female = /^(f|female|kobieta|woman)/i.test(gender);
  const names = NAMES[lang];
  let surname = pick(names.surnames);
  if (lang === "pl" && /sk$|ck$/.test(surname)) surname += female ? "a" : "i";
  const name = `${pick(female ? names.female : names.male)} ${surname}`;
  const range = slot.ageRange ?? { min: 22, max: 70 };
  let age = range.min + Math.floor(rng() * (range.max - range.min + 1));
  const income = slot.demographics.income ?? pick(["low", "middle", "high"]);
  const tier = /high|upper/.test(income) ? "high" : /low/.test(income) && !/lower_middle/.test(income) ? "low" : "mid";
  const job = pick(JOBS[lang][tier]!);
  const place = PLACES[lang].includes(slot.demographics.location ?? "")
    ? slot.demographics.location!
    : pick(PLACES[lang]);
  const hobby = pick(HOBBIES[lang]);
  let hobby2 = pick(HOBBIES[lang]);
  if (hobby2 === hobby) hobby2 = HOBBIES[lang][(HOBBIES[lang].indexOf(hobby) + 1) % HOBBIES[lang].length]!;
  const concern = pick(CONCERNS[lang]);
  const values = { name, age: String(age), place, job, hobby, hobby2, concern };
  const s = STORY[lang];
  let backgroundStory = [pick(s.p1), pick(s.p2), pick(s.p3), pick(s.p4)].map((t) => fill(t, values)).join("\n\n");
  // A per-persona detail keeps stories apart even when the same templates come up.
  backgroundStory += `\n\n${lang === "pl" ? "Szczegół, o którym mało kto wie" : "A detail few people know"}: ${Math.floor(rng() * 9000 + 1000)} ${pick(HOBBIES[lang])} ${pick(CONCERNS[lang])} ${pick(PLACES[lang])}.`;
  const demographics = { ...slot.demographics };
  if (request.takeFlag("mismatch")) {
    // Miss the slot in the most telling way available: wrong age bracket, else a wrong category.
    if (slot.ageRange) age = slot.ageRange.max + 7;
    else {
      const key = Object.keys(demographics)[0];
      if (key) demographics[key] = `${demographics[key]}_not`;
    }
  }
  if (request.takeFlag("duplicate")) backgroundStory = FIXED_DUPLICATE_STORY;
  const trait = () => Math.round(rng() * 100) / 100;
  return {
    slotIndex: slot.slotIndex,
    demographics,
    name,
    age,
    gender,
    location: place,
    education: slot.demographics.education ?? pick(["secondary", "bachelor", "master"]),
    income,
    occupation: job,
    bigFive: {
      openness: trait(),
      conscientiousness: trait(),
      extraversion: trait(),
      agreeableness: trait(),
      neuroticism: trait(),
    },
    values:
      lang === "pl"
        ? [pick(["rodzina", "uczciwość", "niezależność"]), pick(["bezpieczeństwo", "rozwój", "tradycja"])]
        : [pick(["family", "honesty", "independence"]), pick(["security", "growth", "tradition"])],
    interests: [hobby, hobby2],
    backgroundStory,
    communicationStyle:
      lang === "pl" ? "Mówi konkretnie i z przykładami z życia." : "Speaks plainly and reaches for everyday examples.",
    decisionMakingStyle:
      lang === "pl"
        ? "Porównuje opcje i pyta znajomych o zdanie."
        : "Compares options and asks friends before committing.",
    concerns: [concern],
  };
}

registerScenario("persona_generation", (request) => {
  const slots = parseSlots(request);
  if (!slots) return undefined;
  const lang: Lang = /^\s*locale:\s*pl/m.test(request.system) ? "pl" : "en";
  return { personas: slots.map((slot) => personaFor(slot, lang, request)) };
});
