import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Fastify from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { registerViewerPage } from "../../src/main/services/live/viewer-page";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sight-viewer-"));
fs.mkdirSync(path.join(dir, "assets"));
fs.writeFileSync(
  path.join(dir, "index.html"),
  '<!doctype html><link rel="icon" href="./favicon.svg"><script type="module" src="./assets/index-abc.js"></script><link rel="stylesheet" href="./assets/index-abc.css">',
);
fs.writeFileSync(path.join(dir, "assets", "index-abc.js"), "console.log('viewer')");
fs.writeFileSync(path.join(dir, "favicon.svg"), "<svg/>");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the viewer page", () => {
  it("serves the renderer at /live/<session> with absolute asset URLs, and nothing for other sessions", async () => {
    const app = Fastify();
    registerViewerPage(app, { rendererDir: dir, accepts: (id) => id === "sess1" });
    const page = await app.inject({ method: "GET", url: "/live/sess1" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.headers["content-security-policy"]).toContain("connect-src 'self' ws: wss:");
    // From /live/sess1, ./assets/x would resolve to /live/assets/x: the page names /assets/x.
    expect(page.body).toContain('src="/assets/index-abc.js"');
    expect(page.body).toContain('href="/assets/index-abc.css"');
    expect(page.body).toContain('href="/favicon.svg"');
    expect(page.body).not.toContain('"./');
    expect((await app.inject({ method: "GET", url: "/assets/index-abc.js" })).body).toBe("console.log('viewer')");
    expect((await app.inject({ method: "GET", url: "/live/other" })).statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: "/index.html" })).statusCode).toBe(404);
    await app.close();
  });

  it("says the viewer is not built rather than serving nothing", async () => {
    const app = Fastify();
    registerViewerPage(app, { rendererDir: path.join(dir, "missing"), accepts: () => true });
    const page = await app.inject({ method: "GET", url: "/live/sess1" });
    expect(page.statusCode).toBe(503);
    expect(page.body).toBe("The viewer is not built.");
    await app.close();
  });
});
