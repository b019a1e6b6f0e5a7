import { describe, expect, it } from "vitest";
import { viewerJoinFromLocation, viewerOrigin } from "../../src/renderer/live/viewer-link";
import { inviteLinksFor, schemeOfLinks } from "../../src/shared/live/invite-links";

const TOKEN = `${"a".repeat(20)}.${"b".repeat(30)}.${"c".repeat(20)}`;
const at = (pathname: string, hash = "") => ({ pathname, hash, origin: "http://192.168.1.20:51234" });

describe("viewerJoinFromLocation", () => {
  it("reads the session from the path and the invite from the fragment", () => {
    expect(viewerJoinFromLocation(at("/live/session_1", `#token=${TOKEN}`))).toEqual({
      sessionId: "session_1",
      token: TOKEN,
      origin: "http://192.168.1.20:51234",
    });
  });

  it("is a viewer page without a usable invite when the fragment has none, or a malformed one", () => {
    for (const hash of ["", "#", "#token=", "#token=not-a-token", "#/projects"]) {
      expect(viewerJoinFromLocation(at("/live/session_1", hash)), hash).toMatchObject({ token: null });
    }
  });

  it("is not a viewer page anywhere else, nor for a session id outside the id alphabet", () => {
    for (const pathname of [
      "/",
      "/index.html",
      "/live",
      "/live/",
      "/live/a/b",
      "/projects/live/x",
      "/live/a%2Fb",
      "/live/%E0%A4%A",
    ]) {
      expect(viewerJoinFromLocation(at(pathname, `#token=${TOKEN}`)), pathname).toBeNull();
    }
  });
});

describe("viewerOrigin", () => {
  it("accepts an http(s) origin and nothing with a path, query, credentials or another scheme", () => {
    expect(viewerOrigin("http://192.168.1.20:51234")).toBe("http://192.168.1.20:51234");
    expect(viewerOrigin("https://cloud.sight.example")).toBe("https://cloud.sight.example");
    expect(viewerOrigin("http://[fe80::1]:8080")).toBe("http://[fe80::1]:8080");
    for (const via of [
      "javascript:alert(1)",
      "file:///etc/passwd",
      "http://a/b",
      "http://u:p@host",
      "http://host?x=1",
      "nope",
    ]) {
      expect(viewerOrigin(via), via).toBeNull();
    }
  });
});

describe("invite links", () => {
  it("names the relay first, then the direct server, each as a browser link and an app link", () => {
    const links = inviteLinksFor(
      "session_1",
      TOKEN,
      { relay: "https://cloud.sight.example", direct: "http://192.168.1.20:51234" },
      "sight",
    );
    expect(links.browser).toEqual([
      `https://cloud.sight.example/live/session_1#token=${TOKEN}`,
      `http://192.168.1.20:51234/live/session_1#token=${TOKEN}`,
    ]);
    expect(links.app).toEqual([
      `sight://join-session/session_1?code=${TOKEN}&via=${encodeURIComponent("https://cloud.sight.example")}`,
      `sight://join-session/session_1?code=${TOKEN}&via=${encodeURIComponent("http://192.168.1.20:51234")}`,
    ]);
    // The browser link opens a viewer page that finds its session and invite again.
    const opened = new URL(links.browser[1]!);
    expect(viewerJoinFromLocation({ pathname: opened.pathname, hash: opened.hash, origin: opened.origin })).toEqual({
      sessionId: "session_1",
      token: TOKEN,
      origin: "http://192.168.1.20:51234",
    });
  });

  it("has no links while nothing serves the session", () => {
    expect(inviteLinksFor("session_1", TOKEN, { relay: null, direct: null }, "sight")).toEqual({
      browser: [],
      app: [],
    });
  });

  it("learns the app's scheme from the links the host made", () => {
    expect(schemeOfLinks({ browser: [], app: ["sight-dev://join-session/s?code=x&via=y"] })).toBe("sight-dev");
    expect(schemeOfLinks({ browser: [], app: [] })).toBeNull();
  });
});
