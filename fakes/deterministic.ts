import crypto from "node:crypto";

/** A 32-bit seed from the request's content, so the same prompt always gets the same answer. */
export function hashSeed(...parts: string[]): number {
  const digest = crypto.createHash("sha256");
  for (const part of parts) digest.update(part).update("\u0000");
  return digest.digest().readUInt32LE(0);
}

/** mulberry32: tiny, fast, and good enough to pick words and numbers reproducibly. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length) % items.length] as T;
}

export function intBetween(rng: () => number, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** Roughly what tokenizers give for English prose: four characters a token. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

const SUBJECTS = [
  "The price",
  "The packaging",
  "This brand",
  "The delivery",
  "The new flavour",
  "The subscription",
  "The app",
  "The design",
  "Customer service",
  "The ingredient list",
];
const VERBS = ["feels", "seems", "looks", "sounds", "comes across as", "is honestly"];
const COMPLEMENTS = [
  "fair for what you get",
  "a bit too expensive for everyday use",
  "more convenient than what I use now",
  "aimed at someone younger than me",
  "trustworthy, mostly because friends recommend it",
  "hard to compare with the alternatives",
  "worth trying once",
  "confusing at first glance",
  "better than I expected",
  "something I would mention to my family",
];
const OPENERS = ["Honestly,", "To be fair,", "For me,", "In my experience,", "I think", ""];

export function sentence(rng: () => number): string {
  const opener = pick(rng, OPENERS);
  const subject = pick(rng, SUBJECTS);
  const body = `${opener ? `${opener} ${subject.toLowerCase()}` : subject} ${pick(rng, VERBS)} ${pick(rng, COMPLEMENTS)}.`;
  return body.charAt(0).toUpperCase() + body.slice(1);
}

export function paragraph(rng: () => number, count = intBetween(rng, 2, 4)): string {
  return Array.from({ length: count }, () => sentence(rng)).join(" ");
}

export const FIRST_NAMES = [
  "Anna",
  "Marek",
  "Julia",
  "Tomasz",
  "Emma",
  "Liam",
  "Sofia",
  "Noah",
  "Olivia",
  "Jakub",
  "Maya",
  "Lucas",
];
export const LAST_NAMES = [
  "Kowalska",
  "Nowak",
  "Smith",
  "Garcia",
  "Müller",
  "Rossi",
  "Dubois",
  "Jensen",
  "Silva",
  "Tanaka",
];
export const CITIES = [
  "Warsaw",
  "Kraków",
  "London",
  "Berlin",
  "Madrid",
  "Lyon",
  "Chicago",
  "Austin",
  "Toronto",
  "Oslo",
];
export const OCCUPATIONS = [
  "teacher",
  "nurse",
  "software developer",
  "shop owner",
  "accountant",
  "student",
  "electrician",
  "designer",
];
