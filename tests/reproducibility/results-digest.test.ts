import { describe, expect, it } from "vitest";
import { inPlanOrder } from "../../src/main/services/focus-groups/plan-order";
import {
  canonicalResponses,
  canonicalTranscript,
  resultsDigest,
  type DigestMessage,
} from "../../src/main/services/reproducibility/results-digest";

/** A small discussion: the ask, two answers, two reactions, written in the order they finished. */
function transcript(ids: { ann: string; bob: string }, prefix: string, finishOrder: "ann-first" | "bob-first") {
  const line = (
    n: number,
    phase: string,
    round: number,
    personaId: string | null,
    text: string,
    replyToId: string | null,
  ): DigestMessage => ({
    id: `${prefix}${n}`,
    seq: 0,
    questionIndex: 0,
    round,
    phase,
    speakerType: personaId ? "persona" : "moderator",
    personaId,
    replyToId,
    text,
  });
  const ask = line(1, "question", 0, null, "Coffee or tea?", null);
  const annAnswer = line(2, "answer", 0, ids.ann, "Tea, always.", ask.id);
  const bobAnswer = line(3, "answer", 0, ids.bob, "Coffee.", ask.id);
  const annReacts = line(4, "reaction", 1, ids.ann, "Bob, coffee is bitter.", bobAnswer.id);
  const bobReacts = line(5, "reaction", 1, ids.bob, "Ann, tea is weak.", annAnswer.id);
  const finished =
    finishOrder === "ann-first"
      ? [ask, annAnswer, bobAnswer, annReacts, bobReacts]
      : [ask, bobAnswer, annAnswer, bobReacts, annReacts];
  return finished.map((message, index) => ({ ...message, seq: index + 1 }));
}

describe("the results digest", () => {
  it("puts lines in plan order (question, round, phase, participant's place), whatever order they finished in", () => {
    const lines = transcript({ ann: "a", bob: "b" }, "m", "bob-first");
    expect(inPlanOrder(lines, ["a", "b"]).map((m) => m.text)).toEqual([
      "Coffee or tea?",
      "Tea, always.",
      "Coffee.",
      "Bob, coffee is bitter.",
      "Ann, tea is weak.",
    ]);
    expect(inPlanOrder(lines, ["b", "a"]).map((m) => m.text)).toEqual([
      "Coffee or tea?",
      "Coffee.",
      "Tea, always.",
      "Ann, tea is weak.",
      "Bob, coffee is bitter.",
    ]);
  });

  it("is the same for the same discussion in another workspace (other ids, another finishing order)", () => {
    const here = canonicalTranscript(transcript({ ann: "a1", bob: "b1" }, "x", "ann-first"), ["a1", "b1"]);
    const there = canonicalTranscript(transcript({ ann: "z9", bob: "y8" }, "q", "bob-first"), ["z9", "y8"]);
    expect(there).toEqual(here);
    expect(here[3]).toEqual([0, 1, "reaction", "persona", 0, 2, "Bob, coffee is bitter."]);
    expect(resultsDigest("focusGroup", there)).toEqual(resultsDigest("focusGroup", here));
    expect(resultsDigest("focusGroup", here)).toMatchObject({ algorithm: "sha-256", units: 5 });
  });

  it("changes when one line's text, its speaker or its target changes, or the kind of study", () => {
    const base = transcript({ ann: "a", bob: "b" }, "m", "ann-first");
    const digest = resultsDigest("focusGroup", canonicalTranscript(base, ["a", "b"])).value;
    const edited = base.map((m) => (m.id === "m3" ? { ...m, text: "Coffee!" } : m));
    const swapped = base.map((m) => (m.id === "m4" ? { ...m, replyToId: "m1" } : m));
    expect(resultsDigest("focusGroup", canonicalTranscript(edited, ["a", "b"])).value).not.toBe(digest);
    expect(resultsDigest("focusGroup", canonicalTranscript(swapped, ["a", "b"])).value).not.toBe(digest);
    expect(resultsDigest("focusGroup", canonicalTranscript(base, ["b", "a"])).value).not.toBe(digest);
    expect(resultsDigest("survey", canonicalTranscript(base, ["a", "b"])).value).not.toBe(digest);
  });

  it("reads survey answers by the respondent's place, with sorted keys, skipping who did not answer", () => {
    const canonical = canonicalResponses(
      [
        { personaId: "p2", answers: { q2: 4, q1: ["Tea"] } },
        { personaId: "p1", answers: { q1: ["Coffee"], q2: null } },
      ],
      ["p1", "p3", "p2"],
    );
    expect(JSON.stringify(canonical)).toBe('[[0,{"q1":["Coffee"],"q2":null}],[2,{"q1":["Tea"],"q2":4}]]');
  });
});
