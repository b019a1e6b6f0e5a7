import { describe, expect, it } from "vitest";
import {
  checkRequest,
  guardConfig,
  normalizeAllowedHost,
  readCookie,
  sessionCookieHeader,
  sessionValue,
} from "../../src/main/headless/auth";
import { parseHostOptions, shareBaseUrl } from "../../src/main/headless/options";

const TOKEN = "t0ken-with-enough-entropy";
const config = guardConfig(TOKEN, "127.0.0.1", 5170);
const cookie = `sight_session_5170=${sessionValue(TOKEN)}`;

describe("headless guard", () => {
  it.each([
    ["bearer on 127.0.0.1", { host: "127.0.0.1:5170", authorization: `Bearer ${TOKEN}` }, { ok: true }],
    ["bearer on localhost", { host: "localhost:5170", authorization: `Bearer ${TOKEN}` }, { ok: true }],
    ["bearer on [::1]", { host: "[::1]:5170", authorization: `Bearer ${TOKEN}` }, { ok: true }],
    [
      "session cookie with same origin",
      { host: "127.0.0.1:5170", origin: "http://127.0.0.1:5170", cookie },
      { ok: true },
    ],
    ["socket.io handshake token", { host: "127.0.0.1:5170", handshakeToken: TOKEN }, { ok: true }],
    ["no credentials", { host: "127.0.0.1:5170" }, { ok: false, status: 401 }],
    ["wrong bearer", { host: "127.0.0.1:5170", authorization: "Bearer nope" }, { ok: false, status: 401 }],
    [
      "token as cookie value",
      { host: "127.0.0.1:5170", cookie: `sight_session_5170=${TOKEN}` },
      { ok: false, status: 401 },
    ],
    [
      "another port's session cookie",
      { host: "127.0.0.1:5170", cookie: `sight_session_5171=${sessionValue(TOKEN)}` },
      { ok: false, status: 401 },
    ],
    [
      "unnumbered session cookie",
      { host: "127.0.0.1:5170", cookie: `sight_session=${sessionValue(TOKEN)}` },
      { ok: false, status: 401 },
    ],
    ["basic auth", { host: "127.0.0.1:5170", authorization: `Basic ${TOKEN}` }, { ok: false, status: 401 }],
    ["DNS rebinding host", { host: "evil.example:5170", authorization: `Bearer ${TOKEN}` }, { ok: false, status: 403 }],
    ["wrong port in host", { host: "127.0.0.1:80", authorization: `Bearer ${TOKEN}` }, { ok: false, status: 403 }],
    ["missing host", { authorization: `Bearer ${TOKEN}` }, { ok: false, status: 403 }],
    [
      "foreign origin with cookie",
      { host: "127.0.0.1:5170", origin: "https://evil.example", cookie },
      { ok: false, status: 403 },
    ],
    ["null origin", { host: "127.0.0.1:5170", origin: "null", cookie }, { ok: false, status: 403 }],
    [
      "look-alike origin",
      { host: "127.0.0.1:5170", origin: "http://127.0.0.1:5170.evil.example", cookie },
      { ok: false, status: 403 },
    ],
  ])("%s", (_label, facts, expected) => {
    expect(checkRequest(facts, config)).toMatchObject(expected);
  });

  it("binding to another interface accepts only that host name", () => {
    const lan = guardConfig(TOKEN, "192.168.1.10", 8080);
    expect(checkRequest({ host: "192.168.1.10:8080", authorization: `Bearer ${TOKEN}` }, lan)).toEqual({ ok: true });
    expect(checkRequest({ host: "localhost:8080", authorization: `Bearer ${TOKEN}` }, lan)).toMatchObject({
      ok: false,
    });
  });

  it("accepts --allowed-hosts names in Host and Origin when bound to another interface", () => {
    const lan = guardConfig(TOKEN, "0.0.0.0", 8080, ["mybox.local", "192.168.1.20", "[fe80::1]"]);
    const lanCookie = `sight_session_8080=${sessionValue(TOKEN)}`;
    for (const name of ["mybox.local", "192.168.1.20", "[fe80::1]"]) {
      expect(checkRequest({ host: `${name}:8080`, origin: `http://${name}:8080`, cookie: lanCookie }, lan)).toEqual({
        ok: true,
      });
    }
    expect(checkRequest({ host: "MyBox.Local:8080", cookie: lanCookie }, lan)).toEqual({ ok: true });
    expect(checkRequest({ host: "other.local:8080", cookie: lanCookie }, lan)).toMatchObject({ status: 403 });
    expect(checkRequest({ host: "mybox.local:9090", cookie: lanCookie }, lan)).toMatchObject({ status: 403 });
    expect(
      checkRequest({ host: "mybox.local:8080", origin: "http://other.local:8080", cookie: lanCookie }, lan),
    ).toMatchObject({ status: 403 });
    expect(
      checkRequest({ host: "mybox.local:8080", origin: "https://mybox.local:8080", cookie: lanCookie }, lan),
    ).toMatchObject({ status: 403 });
  });

  it("ignores extra host names when bound to loopback (they would be rebinding names)", () => {
    const local = guardConfig(TOKEN, "127.0.0.1", 5170, ["mybox.local"]);
    expect(checkRequest({ host: "mybox.local:5170", cookie }, local)).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ host: "localhost:5170", cookie }, local)).toEqual({ ok: true });
  });

  it("names the session cookie after the port", () => {
    expect(sessionCookieHeader(guardConfig(TOKEN, "127.0.0.1", 5170))).toBe(
      `sight_session_5170=${sessionValue(TOKEN)}; HttpOnly; SameSite=Strict; Path=/`,
    );
    expect(sessionCookieHeader(guardConfig(TOKEN, "127.0.0.1", 5171))).toMatch(/^sight_session_5171=/);
  });

  it.each([
    ["MyBox.Local", "mybox.local"],
    [" 192.168.1.20 ", "192.168.1.20"],
    ["fe80::1", "[fe80::1]"],
    ["[FE80::1]", "[fe80::1]"],
    ["*.example.com", null],
    ["mybox.local:8080", null],
    ["http://mybox.local", null],
    ["mybox.local/x", null],
    ["-bad.example", null],
    ["", null],
  ])("normalises the allowed host %j to %j", (entry, expected) => {
    expect(normalizeAllowedHost(entry)).toBe(expected);
  });

  it("reads one cookie out of many", () => {
    expect(readCookie("a=1; sight_session=xyz; b=2", "sight_session")).toBe("xyz");
    expect(readCookie("a=1", "sight_session")).toBeNull();
  });
});

describe("host options", () => {
  const root = "/repo";
  it("defaults to loopback, port 5170, a random token", () => {
    const opts = parseHostOptions([], {}, process.cwd());
    expect(opts).toMatchObject({ host: "127.0.0.1", port: 5170, tokenWasGenerated: true });
    expect((opts as { token: string }).token.length).toBeGreaterThanOrEqual(32);
  });
  it("flags win over environment variables", () => {
    const env = { SIGHT_PORT: "6000", SIGHT_DATA_DIR: "/tmp/env-dir", SIGHT_API_TOKEN: "env-token-0123456789" };
    expect(parseHostOptions([], env, process.cwd())).toMatchObject({
      port: 6000,
      dataDir: "/tmp/env-dir",
      token: "env-token-0123456789",
    });
    expect(
      parseHostOptions(
        ["--port", "7000", "--data-dir", "/tmp/flag", "--token", "flag-token-0123456789"],
        env,
        process.cwd(),
      ),
    ).toMatchObject({
      port: 7000,
      dataDir: "/tmp/flag",
      token: "flag-token-0123456789",
      tokenWasGenerated: false,
    });
  });
  it("takes --allowed-hosts (or SIGHT_ALLOWED_HOSTS) for a non-loopback bind, normalised and de-duplicated", () => {
    expect(parseHostOptions([], {}, process.cwd())).toMatchObject({ allowedHosts: [] });
    expect(
      parseHostOptions(
        ["--host", "0.0.0.0", "--allowed-hosts", "MyBox.local, 192.168.1.20,mybox.local,fe80::1"],
        { SIGHT_ALLOWED_HOSTS: "ignored.example" },
        process.cwd(),
      ),
    ).toMatchObject({ host: "0.0.0.0", allowedHosts: ["mybox.local", "192.168.1.20", "[fe80::1]"] });
    expect(
      parseHostOptions(["--host", "192.168.1.20"], { SIGHT_ALLOWED_HOSTS: "mybox.local" }, process.cwd()),
    ).toMatchObject({ allowedHosts: ["mybox.local"] });
  });
  it("refuses allowed hosts with a port, scheme or wildcard, and on a loopback bind", () => {
    const lan = ["--host", "0.0.0.0", "--allowed-hosts"];
    expect(() => parseHostOptions([...lan, "mybox.local:8080"], {}, root)).toThrow(/"mybox.local:8080" is not a host/);
    expect(() => parseHostOptions([...lan, "http://mybox.local"], {}, root)).toThrow(/not a host name/);
    expect(() => parseHostOptions([...lan, "*"], {}, root)).toThrow(/wildcard/);
    expect(() => parseHostOptions(["--allowed-hosts", "mybox.local"], {}, root)).toThrow(/loopback/);
  });
  it("takes --public-url for share links only when this host answers to its name", () => {
    const lan = ["--host", "0.0.0.0", "--allowed-hosts", "mybox.local"];
    expect(parseHostOptions([...lan, "--public-url", "http://mybox.local:5170/"], {}, process.cwd())).toMatchObject({
      publicUrl: "http://mybox.local:5170",
    });
    expect(parseHostOptions([], { SIGHT_PUBLIC_URL: "http://localhost:5170" }, process.cwd())).toMatchObject({
      publicUrl: "http://localhost:5170",
    });
    expect(() => parseHostOptions([...lan, "--public-url", "http://other.local"], {}, root)).toThrow(
      /does not answer to "other.local"/,
    );
    expect(() => parseHostOptions(["--public-url", "http://mybox.local"], {}, root)).toThrow(/bound to 127.0.0.1/);
    expect(() => parseHostOptions([...lan, "--public-url", "ftp://mybox.local"], {}, root)).toThrow(/plain http/);
    expect(() => parseHostOptions([...lan, "--public-url", "http://u:p@mybox.local"], {}, root)).toThrow(/plain http/);
  });
  it("points share links at the public URL, the bound address, or the first allowed name on a wildcard bind", () => {
    expect(shareBaseUrl({ host: "127.0.0.1", publicUrl: "https://sight.example" }, 5170)).toBe("https://sight.example");
    expect(shareBaseUrl({ host: "127.0.0.1" }, 5170)).toBe("http://127.0.0.1:5170");
    expect(shareBaseUrl({ host: "0.0.0.0", allowedHosts: ["mybox.local"] }, 8080)).toBe("http://mybox.local:8080");
    expect(shareBaseUrl({ host: "::", allowedHosts: ["[fe80::1]"] }, 8080)).toBe("http://[fe80::1]:8080");
    expect(shareBaseUrl({ host: "0.0.0.0", allowedHosts: [] }, 8080)).toBeNull();
  });
  it("refuses a bad port, a short token and unknown flags", () => {
    expect(() => parseHostOptions(["--port", "99999"], {}, root)).toThrow(/port/);
    expect(() => parseHostOptions(["--token", "short"], {}, root)).toThrow(/16 characters/);
    expect(() => parseHostOptions(["--bogus"], {}, root)).toThrow();
  });
});
