import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { data, startTestApp, type TestApp } from "../support/services";

let app: TestApp;
const ctx = { transport: "rest" as const };
const invoke = (name: string, input: unknown) => app.router.invoke(name, input, ctx);

beforeEach(async () => {
  let t = Date.parse("2026-01-01T00:00:00Z");
  // A clock that ticks 1 s per call keeps created/updated orderings deterministic.
  app = await startTestApp({ now: () => new Date((t += 1000)) });
});
afterEach(async () => app.close());

async function create(name: string, extra: Record<string, unknown> = {}) {
  return data(await invoke("projects.create", { name, ...extra })) as { id: string; name: string; updatedAt: string };
}

describe("projects", () => {
  it("creates a project with defaults and reads it back", async () => {
    const created = await create("Oat milk launch", {
      description: "Plant-based milk for Polish families",
      targetDemographics: { gender: { female: 0.5, male: 0.5 } },
      targetSampleSize: 40,
    });
    const read = data(await invoke("projects.get", { id: created.id })) as Record<string, unknown>;
    expect(read).toMatchObject({
      name: "Oat milk launch",
      description: "Plant-based milk for Polish families",
      researchGoal: "",
      targetSampleSize: 40,
      status: "active",
      targetDemographics: { gender: { female: 0.5, male: 0.5 } },
    });
  });

  it("refuses weights that do not sum to 1 with INVALID_DEMOGRAPHICS naming the dimension, and saves nothing", async () => {
    const result = await invoke("projects.create", {
      name: "Bad",
      targetDemographics: { gender: { female: 0.5, male: 0.5 }, income: { low: 0.7, high: 0.7 } },
    });
    expect(result).toMatchObject({
      error: {
        code: "INVALID_DEMOGRAPHICS",
        // In percent, as the editor shows weights, with the reason the app words in its own language.
        message: 'Weights of "income" sum to 140%; they must sum to 100%.',
        details: { reason: "weights_sum", dimension: "income", sumPercent: 140, suggestion: { low: 0.5, high: 0.5 } },
      },
    });
    expect(data(await invoke("projects.list", { status: "all" }))).toMatchObject({ total: 0 });
  });

  it("refuses a negative weight naming dimension and category", async () => {
    const result = await invoke("projects.create", {
      name: "Bad",
      targetDemographics: { education: { bachelor: 1.2, master: -0.2 } },
    });
    expect(result).toMatchObject({
      error: { code: "INVALID_DEMOGRAPHICS", details: { dimension: "education", category: "master" } },
    });
  });

  it("edits fields and keeps the rest", async () => {
    const created = await create("Before", { researchGoal: "goal" });
    const updated = data(await invoke("projects.update", { id: created.id, name: "After" })) as Record<string, unknown>;
    expect(updated).toMatchObject({ name: "After", researchGoal: "goal" });
    expect(updated.updatedAt).not.toBe(created.updatedAt);
  });

  it("an invalid edit changes nothing", async () => {
    const created = await create("Stable", { targetDemographics: { gender: { female: 1 } } });
    const result = await invoke("projects.update", {
      id: created.id,
      name: "Changed",
      targetDemographics: { gender: { female: 2 } },
    });
    expect(result).toMatchObject({ error: { code: "INVALID_DEMOGRAPHICS" } });
    expect(data(await invoke("projects.get", { id: created.id }))).toMatchObject({
      name: "Stable",
      targetDemographics: { gender: { female: 1 } },
    });
  });

  it("duplicates a project's definition under a new id", async () => {
    const created = await create("Original", { targetDemographics: { gender: { female: 0.6, male: 0.4 } } });
    const copy = data(await invoke("projects.duplicate", { id: created.id })) as Record<string, unknown>;
    expect(copy.id).not.toBe(created.id);
    expect(copy).toMatchObject({ name: "Original (copy)", targetDemographics: { gender: { female: 0.6, male: 0.4 } } });
  });

  it("archives out of the default list and back", async () => {
    const a = await create("Alpha");
    await create("Beta");
    data(await invoke("projects.archive", { id: a.id }));
    const active = data(await invoke("projects.list", {})) as { items: { name: string }[]; total: number };
    expect(active.items.map((p) => p.name)).toEqual(["Beta"]);
    const archived = data(await invoke("projects.list", { status: "archived" })) as { items: { name: string }[] };
    expect(archived.items.map((p) => p.name)).toEqual(["Alpha"]);
    data(await invoke("projects.unarchive", { id: a.id }));
    expect(data(await invoke("projects.list", {}))).toMatchObject({ total: 2 });
  });

  it("deletes a project and its jobs", async () => {
    const a = await create("Doomed");
    await app.services.db.prisma.job.create({ data: { id: "job1", kind: "x", projectId: a.id, status: "succeeded" } });
    expect(data(await invoke("projects.delete", { id: a.id }))).toEqual({ ok: true });
    expect(await invoke("projects.get", { id: a.id })).toMatchObject({ error: { code: "NOT_FOUND" } });
    expect(await app.services.db.prisma.job.count()).toBe(0);
  });

  it("refuses to delete a project while its work is running, and keeps everything", async () => {
    const a = await create("Busy");
    await app.services.db.prisma.job.create({ data: { id: "job2", kind: "x", projectId: a.id, status: "running" } });
    expect(await invoke("projects.delete", { id: a.id })).toMatchObject({
      error: { code: "CONFLICT", details: { activeJobs: 1 } },
    });
    expect(await invoke("projects.get", { id: a.id })).toMatchObject({ data: { id: a.id } });
    expect(await app.services.db.prisma.job.count()).toBe(1);
  });

  it("answers NOT_FOUND for unknown ids on every id route", async () => {
    for (const name of [
      "projects.get",
      "projects.archive",
      "projects.unarchive",
      "projects.delete",
      "projects.duplicate",
    ]) {
      expect(await invoke(name, { id: "nope" })).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
    expect(await invoke("projects.update", { id: "nope", name: "x" })).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("emits db.changed for the Project table on every mutation", async () => {
    const seen: string[][] = [];
    app.services.bus.on("db.changed", (payload) => seen.push(payload.tables));
    const a = await create("Evented");
    await invoke("projects.update", { id: a.id, name: "Evented 2" });
    await invoke("projects.delete", { id: a.id });
    expect(seen).toEqual([["Project"], ["Project"], ["Project"]]);
  });
});

describe("project list", () => {
  it("pages by keyset cursor through every sort without gaps or repeats", async () => {
    const names = ["delta", "Alpha", "charlie", "Bravo", "echo", "foxtrot", "golf"];
    for (const name of names) await create(name);
    for (const sort of ["updated", "created", "name"] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = data(await invoke("projects.list", { sort, limit: 3, cursor })) as {
          items: { name: string }[];
          nextCursor: string | null;
          total: number;
        };
        expect(page.total).toBe(7);
        seen.push(...page.items.map((p) => p.name));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(7);
      if (sort === "updated" || sort === "created") expect(seen).toEqual([...names].reverse());
    }
  });

  it("sorts by name ascending by default and descending on request", async () => {
    for (const name of ["b", "c", "a"]) await create(name);
    const asc = data(await invoke("projects.list", { sort: "name" })) as { items: { name: string }[] };
    expect(asc.items.map((p) => p.name)).toEqual(["a", "b", "c"]);
    const desc = data(await invoke("projects.list", { sort: "name", order: "desc" })) as { items: { name: string }[] };
    expect(desc.items.map((p) => p.name)).toEqual(["c", "b", "a"]);
  });

  it("searches name and description, ignoring case and Polish diacritics", async () => {
    await create("Żółta kampania", { description: "jesień" });
    await create("Other", { description: "Badanie w Łodzi" });
    await create("Unrelated");
    const byName = data(await invoke("projects.list", { q: "ZOLTA" })) as { items: { name: string }[]; total: number };
    expect(byName.items.map((p) => p.name)).toEqual(["Żółta kampania"]);
    const byDescription = data(await invoke("projects.list", { q: "łodzi" })) as { items: { name: string }[] };
    expect(byDescription.items.map((p) => p.name)).toEqual(["Other"]);
    expect(data(await invoke("projects.list", { q: "%" }))).toMatchObject({ total: 0 });
  });

  it("refuses a cursor from another sort order", async () => {
    for (const name of ["a", "b", "c"]) await create(name);
    const page = data(await invoke("projects.list", { sort: "name", limit: 1 })) as { nextCursor: string };
    expect(await invoke("projects.list", { sort: "updated", cursor: page.nextCursor })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
    expect(await invoke("projects.list", { cursor: "garbage!!" })).toMatchObject({
      error: { code: "VALIDATION_FAILED" },
    });
  });
});
