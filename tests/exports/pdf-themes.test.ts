import { describe, expect, it } from "vitest";
import type { Insight, Message } from "../../src/shared/contract";
import { buildFocusGroupReport, type FocusGroupData } from "../../src/main/services/exports/pdf/read-focus-group";

/** The PDF's themes read as the app shows them: one theme found under several questions, with all its quotes. */

const AT = "2026-12-01T10:00:00.000Z";

const message = (id: string, questionIndex: number, text: string): Message =>
  ({
    id,
    focusGroupId: "fg",
    seq: Number(id.slice(1)),
    questionIndex,
    round: 0,
    phase: "answer",
    speakerType: "persona",
    speakerName: `Speaker ${id}`,
    personaId: `p-${id}`,
    text,
    tokens: { input: 0, output: 0 },
    createdAt: AT,
  }) as Message;

const theme = (id: string, title: string, evidence: string[]): Insight => ({
  id,
  kind: "theme",
  title,
  text: `${title}, as found`,
  evidence,
  createdAt: AT,
});

describe("the PDF report's themes", () => {
  it("merge the same theme found under two questions, quoting both", () => {
    const data = {
      row: { id: "fg", guide: JSON.stringify([{ question: "One" }, { question: "Two" }]), settings: "{}" },
      status: "completed",
      messages: [message("m1", 0, "Price first."), message("m2", 1, "Trust matters."), message("m3", 1, "Packaging.")],
      insights: [
        theme("t1", "Price versus trust", ["m1"]),
        theme("t2", "Price vs. trust", ["m2"]),
        theme("t3", "Packaging", ["m3"]),
      ],
      participantIds: [],
    } as unknown as FocusGroupData;
    const study = { id: "fg", name: "Talk", status: "completed", partial: false, dataFrom: AT, dataTo: AT };
    const report = buildFocusGroupReport(data, study as never, false);
    expect(report.themes.map((block) => block.title)).toEqual(["Price versus trust", "Packaging"]);
    expect(report.themes[0]!.quotes.map((quote) => quote.text)).toEqual(["Price first.", "Trust matters."]);
  });
});
