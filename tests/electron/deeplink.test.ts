import { describe, expect, it } from "vitest";
import { deepLinkScheme, findDeepLinkInArgv, parseDeepLink } from "../../src/main/electron/deeplink";
import { createDeepLinkInbox } from "../../src/main/electron/deeplink-inbox";
import { events } from "../../src/shared/contract";

const STATE = "s7XkPq2LmN9vB4wR1tY6";
/** The shape of an invite token (JWS compact: header.payload.signature, base64url). */
const INVITE = `eyJhbGciOiJFZERTQSJ9.${"eyJzaWQiOiJzZXNzXzEyMyJ9"}.${"c2lnbmF0dXJlLW9mLWVkMjU1MTk".repeat(3)}`;
const VIA = "http://192.168.1.20:40123";

describe("parseDeepLink", () => {
  const accepted: [string, string, unknown][] = [
    ["open-project", "sight://open-project/01jd8x2k7m", { kind: "open-project", params: { projectId: "01jd8x2k7m" } }],
    [
      "oauth-callback with Salesforce's error and description",
      `sight://oauth-callback/salesforce?error=access_denied&error_description=end-user+denied+authorization&state=${STATE}`,
      {
        kind: "oauth-callback",
        params: {
          provider: "salesforce",
          error: "access_denied",
          error_description: "end-user denied authorization",
          state: STATE,
        },
      },
    ],
    [
      "open-project at a focus group (a CRM note's link back)",
      "sight://open-project/p1?focusGroup=fg_2",
      { kind: "open-project", params: { projectId: "p1", focusGroup: "fg_2" } },
    ],
    [
      "open-project at a survey",
      "sight://open-project/p1?survey=s-3",
      { kind: "open-project", params: { projectId: "p1", survey: "s-3" } },
    ],
    [
      "join-session with its invite and where it is served",
      `sight://join-session/sess_123?code=${INVITE}&via=${encodeURIComponent(VIA)}`,
      { kind: "join-session", params: { sessionId: "sess_123", code: INVITE, via: VIA } },
    ],
    [
      "join-session served on IPv6",
      `sight://join-session/sess_123?code=${INVITE}&via=${encodeURIComponent("http://[fe80::1]:5000")}`,
      { kind: "join-session", params: { sessionId: "sess_123", code: INVITE, via: "http://[fe80::1]:5000" } },
    ],
    [
      "oauth-callback with code and state",
      `sight://oauth-callback/hubspot?code=abc%2F123%3D&state=${STATE}`,
      { kind: "oauth-callback", params: { provider: "hubspot", code: "abc/123=", state: STATE } },
    ],
    [
      "oauth-callback with an error",
      `sight://oauth-callback/salesforce?error=access_denied&state=${STATE}`,
      { kind: "oauth-callback", params: { provider: "salesforce", error: "access_denied", state: STATE } },
    ],
    [
      "billing return (after Checkout or the billing portal)",
      "sight://billing/return",
      { kind: "billing-return", params: {} },
    ],
    [
      "an upper-case scheme (schemes are case-insensitive)",
      "SIGHT://open-project/abc",
      { kind: "open-project", params: { projectId: "abc" } },
    ],
  ];

  it.each(accepted)("accepts %s", (_name, url, expected) => {
    const link = parseDeepLink(url, "sight");
    expect(link).toEqual(expected);
    // Whatever it accepts is a valid app.deepLink event payload.
    expect(events["app.deepLink"].safeParse(link).success).toBe(true);
  });

  const refused: [string, unknown, string?][] = [
    ["another scheme", "https://open-project/abc"],
    ["the dev scheme in a packaged build", "sight-dev://open-project/abc"],
    ["the packaged scheme in a dev build", "sight://open-project/abc", "sight-dev"],
    ["an unknown action", "sight://delete-everything/abc"],
    ["an upper-case action", "sight://OPEN-PROJECT/abc"],
    ["no host (opaque form)", "sight:open-project/abc"],
    ["a missing id", "sight://open-project/"],
    ["a missing id without slash", "sight://open-project"],
    ["an extra path segment", "sight://open-project/abc/def"],
    ["dot segments", "sight://open-project/../join-session/abc"],
    ["encoded dot segments", "sight://open-project/%2e%2e/abc"],
    ["percent-encoded id characters", "sight://open-project/%41bc"],
    ["an id with forbidden characters", "sight://open-project/abc$"],
    ["an overlong id", `sight://open-project/${"a".repeat(65)}`],
    ["an unexpected query parameter", "sight://open-project/abc?x=1"],
    ["both a focus group and a survey", "sight://open-project/abc?focusGroup=a&survey=b"],
    ["a study id outside the id grammar", "sight://open-project/abc?focusGroup=a%2Fb"],
    ["a study named twice", "sight://open-project/abc?survey=a&survey=b"],
    ["a duplicated parameter", `sight://join-session/s1?code=${INVITE}&code=${INVITE}&via=${VIA}`],
    ["an invite code that is not a token", `sight://join-session/s1?code=Ab12-xy&via=${VIA}`],
    ["a join link without its invite", `sight://join-session/s1?via=${VIA}`],
    ["a join link without where it is served", `sight://join-session/s1?code=${INVITE}`],
    ["a join link served from a path", `sight://join-session/s1?code=${INVITE}&via=${encodeURIComponent(`${VIA}/x`)}`],
    [
      "a join link served over another scheme",
      `sight://join-session/s1?code=${INVITE}&via=${encodeURIComponent("file:///etc")}`,
    ],
    [
      "a join link with credentials in via",
      `sight://join-session/s1?code=${INVITE}&via=${encodeURIComponent("http://a:b@host")}`,
    ],
    ["a fragment", "sight://open-project/abc#x"],
    ["credentials", "sight://user:pw@open-project/abc"],
    ["a port", "sight://open-project:80/abc"],
    ["an unknown OAuth provider", `sight://oauth-callback/evil?code=x&state=${STATE}`],
    ["an OAuth callback without state", "sight://oauth-callback/hubspot?code=abc"],
    ["an OAuth callback with a short state", "sight://oauth-callback/hubspot?code=abc&state=short"],
    ["an OAuth callback without code or error", `sight://oauth-callback/hubspot?state=${STATE}`],
    [
      "an OAuth callback with both code and error",
      `sight://oauth-callback/hubspot?error=access_denied&code=x&state=${STATE}`,
    ],
    ["a billing link other than return", "sight://billing/checkout"],
    ["billing without an action", "sight://billing"],
    ["billing return with an extra segment", "sight://billing/return/x"],
    ["billing return with a query (it carries nothing)", "sight://billing/return?session_id=cs_test_123"],
    ["billing return with a trailing slash", "sight://billing/return/"],
    ["whitespace", "sight://open-project/abc def"],
    ["a newline", "sight://open-project/abc\n"],
    ["backslashes", "sight:\\\\open-project\\abc"],
    ["javascript:", "javascript:alert(1)"],
    ["garbage", "not a url"],
    ["an empty string", ""],
    ["a non-string", { href: "sight://open-project/abc" }],
    ["an overlong URL", `sight://join-session/abc?code=${"a".repeat(3000)}`],
    ["an invalid expected scheme", "sight://open-project/abc", "Sight!"],
  ];

  it.each(refused)("refuses %s", (_name, url, scheme = "sight") => {
    expect(parseDeepLink(url, scheme)).toBeNull();
  });
});

describe("findDeepLinkInArgv", () => {
  it("finds the link among Chromium's switches (second-instance argv on Windows)", () => {
    const argv = [
      "C:\\Sight\\Sight.exe",
      "--allow-file-access-from-files",
      "--original-process-start-time=1",
      "sight://open-project/abc",
    ];
    expect(findDeepLinkInArgv(argv, "sight")).toEqual({ kind: "open-project", params: { projectId: "abc" } });
  });

  it("ignores switches that carry a link-looking value and arguments that do not parse", () => {
    const argv = ["/usr/bin/sight", "--url=sight://open-project/abc", "sight://nope/x", "sight://open-project/good"];
    expect(findDeepLinkInArgv(argv, "sight")).toEqual({ kind: "open-project", params: { projectId: "good" } });
  });

  it("returns null when no argument is a valid link", () => {
    expect(findDeepLinkInArgv(["/usr/bin/electron", "."], "sight-dev")).toBeNull();
  });
});

describe("deepLinkScheme", () => {
  it("uses sight:// for packaged builds and sight-dev:// for unpackaged ones", () => {
    expect(deepLinkScheme(true)).toBe("sight");
    expect(deepLinkScheme(false)).toBe("sight-dev");
  });
});

describe("deep-link inbox", () => {
  const a = { kind: "open-project", params: { projectId: "a" } } as const;
  const b = { kind: "open-project", params: { projectId: "b" } } as const;

  it("buffers links until the window is there, then delivers them in order", () => {
    const inbox = createDeepLinkInbox();
    inbox.push(a);
    inbox.push(b);
    expect(inbox.pending).toBe(2);
    const delivered: unknown[] = [];
    inbox.attach((link) => delivered.push(link));
    expect(delivered).toEqual([a, b]);
    expect(inbox.pending).toBe(0);
  });

  it("delivers immediately while attached and buffers again after detach", () => {
    const inbox = createDeepLinkInbox();
    const delivered: unknown[] = [];
    inbox.attach((link) => delivered.push(link));
    inbox.push(a);
    expect(delivered).toEqual([a]);
    inbox.detach();
    inbox.push(b);
    expect(delivered).toEqual([a]);
    expect(inbox.pending).toBe(1);
  });

  it("keeps only the newest 16 links when flooded before the window exists", () => {
    const inbox = createDeepLinkInbox();
    for (let i = 0; i < 20; i++) inbox.push({ kind: "open-project", params: { projectId: `p${i}` } });
    const delivered: { params: Record<string, string> }[] = [];
    inbox.attach((link) => delivered.push(link));
    expect(delivered).toHaveLength(16);
    expect(delivered[0]!.params.projectId).toBe("p4");
  });
});
