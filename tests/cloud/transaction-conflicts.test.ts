import { describe, expect, it } from "vitest";
import { isTransactionConflict } from "../../src/cloud/billing/webhooks";

describe("which database failures a webhook transaction retries", () => {
  it("retries PostgreSQL's deadlock and serialization failures, however Prisma reports them", () => {
    expect(
      isTransactionConflict({ code: "P2034", message: "Transaction failed due to a write conflict or a deadlock" }),
    ).toBe(true);
    expect(isTransactionConflict({ code: "P2010", meta: { code: "40P01" }, message: "Raw query failed." })).toBe(true);
    expect(isTransactionConflict({ code: "P2010", meta: { code: "40001" }, message: "Raw query failed." })).toBe(true);
    expect(
      isTransactionConflict(
        new Error(
          "Invalid `prisma.$executeRaw()` invocation: Raw query failed. Code: `40P01`. Message: `deadlock detected`",
        ),
      ),
    ).toBe(true);
  });

  it("does not retry anything else", () => {
    expect(
      isTransactionConflict({ code: "P2002", meta: { target: ["id"] }, message: "Unique constraint failed" }),
    ).toBe(false);
    expect(isTransactionConflict(new Error("Stripe is down"))).toBe(false);
    expect(isTransactionConflict(new Error("order 40P012 shipped"))).toBe(false);
    expect(isTransactionConflict(null)).toBe(false);
  });
});
