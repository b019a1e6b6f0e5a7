import { registerScenario, type ScenarioRequest } from "./registry";

/**
 * The fake's answer to Sight's persona-generation prompt: reads the `<slots>` JSON from the last
 * user message and writes one persona per slot that fills it (age inside the bracket, the slot's
 * categories echoed), with names, places and stories that follow the `locale:` line.
 * A slot's `livesIn` place becomes the persona's location (sometimes with a district), and every
 * dimension in its `evidenceFor` is stated in slotEvidence with a sentence the story holds.
 * Flags (POST /__control { scenarioFlags }): `mismatch: n` makes the next n personas miss their
 * slot; `duplicate: n` makes the next n personas reuse one fixed story; `contradictShare: 0.3`
 * makes that share of personas contradict their slot in their own profile (a location in another
 * country, or a stated attribute other than the slot's), decided by the request's seeded random
 * numbers, of the kinds in `contradictKinds` (default ["location", "custom"]) the slot allows.
 * Each answer's notes (GET /__requests) count `drafts` and `contradicted:<dimension>`.
 */

interface SlotIn {
  slotIndex: number;
  demographics: Record<string, string>;
  ageRange?: { min: number; max: number };
  livesIn?: string;
  evidenceFor?: string[];
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
      "Monika",
      "Paulina",
      "Justyna",
      "Marta",
      "Beata",
      "Renata",
      "Agata",
      "Alicja",
      "Helena",
      "Maria",
      "Wiktoria",
      "Oliwia",
      "Emilia",
      "Hanna",
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
      "Adam",
      "Rafał",
      "Sebastian",
      "Damian",
      "Dariusz",
      "Zbigniew",
      "Marek",
      "Robert",
      "Artur",
      "Dawid",
      "Filip",
      "Adrian",
      "Patryk",
      "Stanisław",
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
      "Wróbel",
      "Stępień",
      "Dudek",
      "Adamczyk",
      "Zając",
      "Sikora",
      "Baran",
      "Ostrowsk",
      "Sadowsk",
      "Jasińsk",
      "Kaczmarek",
      "Walczak",
      "Górsk",
      "Rutkowsk",
      "Witkowsk",
      "Michalak",
      "Majewsk",
      "Olszewsk",
      "Jaworsk",
      "Malinowsk",
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
      "Samantha",
      "Ashley",
      "Brittany",
      "Danielle",
      "Heather",
      "Kayla",
      "Madison",
      "Morgan",
      "Nicole",
      "Stephanie",
      "Taylor",
      "Vanessa",
      "Whitney",
      "Zoe",
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
      "Benjamin",
      "Christopher",
      "Dylan",
      "Ethan",
      "Gregory",
      "Isaac",
      "Jacob",
      "Jonathan",
      "Kyle",
      "Logan",
      "Patrick",
      "Sean",
      "Travis",
      "Zachary",
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
      "Hall",
      "King",
      "Wright",
      "Scott",
      "Green",
      "Baker",
      "Adams",
      "Nelson",
      "Hill",
      "Campbell",
      "Mitchell",
      "Roberts",
      "Carter",
      "Phillips",
      "Evans",
      "Turner",
      "Parker",
      "Collins",
      "Edwards",
      "Stewart",
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

const DISTRICTS: Record<Lang, string[]> = {
  pl: ["Śródmieście", "Stare Miasto", "Nowe Miasto", "Osiedle Słoneczne", "Zatorze", "Podgórze"],
  en: ["Downtown", "Old Town", "Riverside", "Northside", "Midtown", "Eastgate"],
};

/** The sentence a story gets for a dimension the slot asks to be stated (and stated wrongly). */
const EVIDENCE: Record<Lang, { holds: string; contradicts: string }> = {
  pl: {
    holds: "Zapytana lub zapytany o {dimension}, odpowiada bez wahania: {category}.",
    contradicts: "Zapytana lub zapytany o {dimension}, odpowiada bez wahania: na pewno nie {category}.",
  },
  en: {
    holds: "Asked about {dimension}, the answer comes without hesitation: {category}.",
    contradicts: "Asked about {dimension}, the answer comes without hesitation: definitely not {category}.",
  },
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

/** A paragraph of everyday life from independent pools, so that 200 stories from the same templates still differ. */
const EVERYDAY: Record<Lang, { home: string[]; commute: string[]; morning: string[]; plan: string[] }> = {
  pl: {
    home: [
      "Mieszka sama lub sam z kotem",
      "Mieszka z partnerem i dwójką dzieci",
      "Wciąż mieszka z rodzicami",
      "Wynajmuje pokój ze współlokatorem",
      "Mieszka z małżonkiem i psem",
      "Samotnie wychowuje syna",
      "Dzieli dom z teściami",
      "Mieszka z dorosłą córką",
    ],
    commute: [
      "do pracy dojeżdża tramwajem",
      "do pracy jeździ rowerem",
      "codziennie stoi w korkach samochodem",
      "trzy dni w tygodniu pracuje zdalnie",
      "do pracy chodzi pieszo",
      "dojeżdża pociągiem podmiejskim",
      "jeździ autobusem nocnym po drugiej zmianie",
      "podwozi sąsiadkę w drodze do biura",
    ],
    morning: [
      "rano pije czarną kawę bez cukru",
      "zaczyna dzień od owsianki z owocami",
      "śniadanie je dopiero w pracy",
      "rano słucha porannej audycji w radiu",
      "wstaje przed szóstą, żeby pobiegać",
      "rano przegląda wiadomości w telefonie",
      "przed wyjściem podlewa kwiaty na balkonie",
      "rano odprowadza dzieci do szkoły",
    ],
    plan: [
      "w tym roku chce zmienić pracę",
      "odkłada na wakacje nad morzem",
      "planuje remont kuchni",
      "zapisała się lub zapisał się na kurs angielskiego",
      "myśli o kupnie używanego auta",
      "chce częściej widywać przyjaciół",
      "zbiera na wkład własny do mieszkania",
      "obiecała lub obiecał sobie rzucić palenie",
    ],
  },
  en: {
    home: [
      "Lives alone with a cat",
      "Lives with a partner and two kids",
      "Still lives with their parents",
      "Rents a room with a flatmate",
      "Shares a house with a spouse and a dog",
      "Is raising a son alone",
      "Shares a duplex with the in-laws",
      "Lives with a grown-up daughter",
    ],
    commute: [
      "takes the bus to work",
      "cycles to work",
      "sits in traffic every morning",
      "works from home three days a week",
      "walks to work",
      "rides the commuter train",
      "takes the night bus after the late shift",
      "gives a neighbour a lift on the way in",
    ],
    morning: [
      "drinks black coffee first thing",
      "starts the day with oatmeal and fruit",
      "only eats breakfast at work",
      "listens to the morning show on the radio",
      "gets up before six to run",
      "scrolls the news on the phone in bed",
      "waters the balcony plants before leaving",
      "walks the kids to school",
    ],
    plan: [
      "wants to change jobs this year",
      "is saving for a beach vacation",
      "plans to redo the kitchen",
      "signed up for an evening Spanish class",
      "is thinking about a used car",
      "wants to see friends more often",
      "is saving for a down payment",
      "has promised to quit smoking",
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
  // The last user message that has slots: a request asked again after an invalid answer ends with the feedback.
  const last = [...request.messages]
    .reverse()
    .find((message) => message.role === "user" && message.text.includes("<slots>"));
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

type Contradiction = { kind: "location"; dimension: "location" } | { kind: "custom"; dimension: string };

/** Whether this persona contradicts its slot (flag `contradictShare`), and how: drawn first, from the request's seed. */
function contradictionFor(slot: SlotIn, request: ScenarioRequest): Contradiction | null {
  const share = request.flags.contradictShare;
  if (typeof share !== "number" || share <= 0) return null;
  const kinds = Array.isArray(request.flags.contradictKinds) ? request.flags.contradictKinds : ["location", "custom"];
  const options: Contradiction[] = [];
  if (kinds.includes("location") && slot.livesIn !== undefined)
    options.push({ kind: "location", dimension: "location" });
  if (kinds.includes("custom"))
    for (const dimension of slot.evidenceFor ?? []) options.push({ kind: "custom", dimension });
  const roll = request.rng();
  const which = request.rng();
  if (options.length === 0 || roll >= share) return null;
  return options[Math.floor(which * options.length) % options.length]!;
}

function personaFor(slot: SlotIn, lang: Lang, request: ScenarioRequest) {
  const rng = request.rng;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length) % items.length]!;
  const contradiction = contradictionFor(slot, request);
  request.note?.("drafts");
  if (contradiction) request.note?.(`contradicted:${contradiction.dimension}`);
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
  // A contradicting persona lives in the other language's country: "Sacramento, California" for "Warszawa".
  const place =
    contradiction?.kind === "location"
      ? pick(PLACES[lang === "pl" ? "en" : "pl"])
      : (slot.livesIn ??
        (PLACES[lang].includes(slot.demographics.location ?? "") ? slot.demographics.location! : pick(PLACES[lang])));
  const location =
    slot.livesIn !== undefined && contradiction?.kind !== "location" && rng() < 0.5
      ? `${pick(DISTRICTS[lang])}, ${place}`
      : place;
  const hobby = pick(HOBBIES[lang]);
  let hobby2 = pick(HOBBIES[lang]);
  if (hobby2 === hobby) hobby2 = HOBBIES[lang][(HOBBIES[lang].indexOf(hobby) + 1) % HOBBIES[lang].length]!;
  const concern = pick(CONCERNS[lang]);
  const values = { name, age: String(age), place, job, hobby, hobby2, concern };
  const s = STORY[lang];
  let backgroundStory = [pick(s.p1), pick(s.p2), pick(s.p3), pick(s.p4)].map((t) => fill(t, values)).join("\n\n");
  const slotEvidence = (slot.evidenceFor ?? []).map((dimension) => {
    const category = slot.demographics[dimension] ?? "";
    const against = contradiction?.kind === "custom" && contradiction.dimension === dimension;
    const words = { dimension: dimension.replace(/_/g, " "), category };
    const evidence = fill(against ? EVIDENCE[lang].contradicts : EVIDENCE[lang].holds, words);
    return { dimension, value: against ? `not ${category}` : category, evidence };
  });
  const day = EVERYDAY[lang];
  backgroundStory +=
    lang === "pl"
      ? `\n\n${pick(day.home)}; ${pick(day.commute)}, a ${pick(day.morning)}. Ostatnio ${pick(day.plan)}.`
      : `\n\n${pick(day.home)}, ${pick(day.commute)} and ${pick(day.morning)}. Lately, ${name.split(" ")[0]} ${pick(day.plan)}.`;
  // A per-persona detail keeps stories apart even when the same templates come up.
  backgroundStory += `\n\n${lang === "pl" ? "Szczegół, o którym mało kto wie" : "A detail few people know"}: ${Math.floor(rng() * 9000 + 1000)} ${pick(HOBBIES[lang])} ${pick(CONCERNS[lang])} ${pick(PLACES[lang])}.`;
  const demographics = { ...slot.demographics };
  if (request.takeFlag("mismatch")) {
    request.note?.("mismatch");
    // Miss the slot in the most telling way available: wrong age bracket, else a wrong category.
    if (slot.ageRange) age = slot.ageRange.max + 7;
    else {
      const key = Object.keys(demographics)[0];
      if (key) demographics[key] = `${demographics[key]}_not`;
    }
  }
  if (request.takeFlag("duplicate")) {
    request.note?.("duplicate");
    backgroundStory = FIXED_DUPLICATE_STORY;
  }
  if (slotEvidence.length) backgroundStory += `\n\n${slotEvidence.map((entry) => entry.evidence).join(" ")}`;
  const trait = () => Math.round(rng() * 100) / 100;
  return {
    slotIndex: slot.slotIndex,
    demographics,
    name,
    age,
    gender,
    location,
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
    slotEvidence,
  };
}

registerScenario("persona_generation", (request) => {
  const slots = parseSlots(request);
  if (!slots) return undefined;
  const lang: Lang = /^\s*locale:\s*pl/m.test(request.system) ? "pl" : "en";
  return { personas: slots.map((slot) => personaFor(slot, lang, request)) };
});
