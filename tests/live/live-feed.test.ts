import { describe, expect, it } from "vitest";
import { LiveFeed } from "../../src/main/services/live/live-feed";
import type { LiveEvent, Message } from "../../src/shared/contract";

const token = (unitKey: string, delta: string) => ({
  focusGroupId: "fg",
  unitKey,
  speakerName: unitKey.toUpperCase(),
  questionIndex: 0,
  round: 0,
  delta,
});
const message = (
  unitKey: string,
  text: string,
  seq: number,
): { focusGroupId: string; unitKey: string; message: Message } => ({
  focusGroupId: "fg",
  unitKey,
  message: {
    id: `m${seq}`,
    focusGroupId: "fg",
    seq,
    questionIndex: 0,
    round: 0,
    phase: "answer",
    speakerType: "persona",
    personaId: "p1",
    speakerName: unitKey.toUpperCase(),
    text,
    tokens: { input: 1, output: 1 },
    createdAt: new Date(0).toISOString(),
  },
});

describe("LiveFeed", () => {
  it("joins a message's tokens into one delta per interval and sends the rest before the finished message", async () => {
    const feed = new LiveFeed("s", "fg", 20);
    const seen: LiveEvent[] = [];
    feed.subscribe((event) => seen.push(event));
    for (const part of ["Oat ", "milk ", "is "]) feed.token(token("a", part));
    feed.token(token("b", "I "));
    expect(seen).toEqual([]); // nothing until the interval ends
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(seen.map((e) => (e.name === "persona_responded" ? [e.seq, e.unitKey, e.delta] : null))).toEqual([
      [1, "a", "Oat milk is "],
      [2, "b", "I "],
    ]);
    feed.token(token("a", "fine."));
    // The finished message flushes a's pending delta first: no token is lost or overtaken.
    feed.message(message("a", "Oat milk is fine.", 1));
    expect(
      seen.slice(2).map((e) => (e.name === "persona_responded" ? [e.seq, e.delta ?? e.message?.text] : null)),
    ).toEqual([
      [3, "fine."],
      [4, "Oat milk is fine."],
    ]);
    // a is no longer streaming; b is, with its text so far.
    expect(feed.streaming()).toEqual([{ unitKey: "b", speakerName: "B", text: "I " }]);
    feed.close();
  });

  it("gives the events after a seq, or null when some are no longer held", () => {
    const feed = new LiveFeed("s", "fg", 0, 5);
    for (let i = 0; i < 8; i++) feed.message(message(`u${i}`, `t${i}`, i + 1));
    expect(feed.seq).toBe(8);
    expect(feed.since(8)).toEqual([]);
    expect(feed.since(5)!.map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(feed.since(3)!.map((e) => e.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(feed.since(2)).toBeNull(); // seq 3 was dropped (capacity 5)
    expect(feed.since(9)).toBeNull(); // a seq from another run of the app: start over from a snapshot
  });
});
