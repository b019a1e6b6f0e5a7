import { describe, expect, it } from "vitest";
import { createExclusive } from "../../src/main/services/jobs/exclusive";

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("keyed exclusive runs", () => {
  it("runs work with the same key one after another, in call order", async () => {
    const exclusive = createExclusive();
    const log: string[] = [];
    const step = (name: string) =>
      exclusive.run("survey-1", async () => {
        log.push(`${name} start`);
        await tick();
        log.push(`${name} end`);
        return name;
      });
    expect(await Promise.all([step("a"), step("b"), step("c")])).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["a start", "a end", "b start", "b end", "c start", "c end"]);
  });

  it("lets different keys overlap", async () => {
    const exclusive = createExclusive();
    const log: string[] = [];
    const step = (key: string) =>
      exclusive.run(key, async () => {
        log.push(`${key} start`);
        await tick();
        log.push(`${key} end`);
      });
    await Promise.all([step("x"), step("y")]);
    expect(log.slice(0, 2).sort()).toEqual(["x start", "y start"]);
  });

  it("hands a failure to its caller only; the next run with that key still runs", async () => {
    const exclusive = createExclusive();
    const failing = exclusive.run("k", async () => {
      throw new Error("quota exceeded");
    });
    const next = exclusive.run("k", async () => "ran");
    await expect(failing).rejects.toThrow("quota exceeded");
    expect(await next).toBe("ran");
  });
});
