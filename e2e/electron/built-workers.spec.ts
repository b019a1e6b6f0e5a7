import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { expect, test } from "@playwright/test";
import { E2E_FAKES_ENV, E2E_FAKES_URL } from "../support/host";

/**
 * The worker entries of the main bundle (out/main, built by electron-vite before the e2e step),
 * loaded under Node as Electron's main process loads them: no tsx, no sources. The Electron shell
 * itself cannot run here (no binary), but these files are what its database and provider calls run in.
 */
const OUT = path.resolve(import.meta.dirname, "..", "..", "out", "main");

function start(file: string, workerData?: unknown) {
  const worker = new Worker(path.join(OUT, file), { workerData });
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  worker.on("message", (message: Record<string, unknown>) => {
    messages.push(message);
    for (const wake of waiters.splice(0)) wake();
  });
  const next = async (match: (message: Record<string, unknown>) => boolean) => {
    for (;;) {
      const found = messages.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { worker, next, messages };
}

test.describe("the built worker entries", () => {
  test("db-worker.js opens a database, answers a query and closes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-built-db-"));
    try {
      const { worker, next } = start("db-worker.js", { file: path.join(dir, "sight.db") });
      await next((m) => m.type === "ready");
      worker.postMessage({ id: 1, op: "raw", method: "execute", args: ["SELECT 41 + 1 AS answer"] });
      const reply = await next((m) => m.id === 1);
      expect(reply).toMatchObject({ ok: true, value: { columns: ["answer"], rows: [[42]] } });
      worker.postMessage({ id: 2, op: "close" });
      expect(await next((m) => m.id === 2)).toMatchObject({ ok: true });
      await worker.terminate();
      expect(fs.existsSync(path.join(dir, "sight.db"))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("net-worker.js streams an answer from the Gemini fake through the SDK", async () => {
    const { worker, next, messages } = start("net-worker.js");
    try {
      await next((m) => m.type === "ready");
      worker.postMessage({
        id: 1,
        op: "stream",
        provider: "gemini",
        config: {
          provider: "gemini",
          baseUrl: E2E_FAKES_URL,
          baseUrlSource: "environment",
          apiKey: E2E_FAKES_ENV.GEMINI_API_KEY,
          keySource: "environment",
          missing: null,
          isFake: true,
        },
        request: {
          model: "gemini-2.5-flash",
          system: "You are Anna, 34, a nurse, in a focus group about oat milk.",
          messages: [{ role: "user", text: "Moderator: Would you pay more for it?" }],
        },
      });
      const done = await next((m) => m.id === 1 && m.type !== "text");
      expect(done.type).toBe("done");
      const text = (done.response as { text: string }).text;
      expect(text.length).toBeGreaterThan(20);
      const streamed = messages.filter((m) => m.id === 1 && m.type === "text").map((m) => m.text as string);
      expect(streamed.length).toBeGreaterThanOrEqual(1);
      expect(streamed.join("")).toBe(text);
    } finally {
      await worker.terminate();
    }
  });
});
