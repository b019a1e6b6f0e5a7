import { describe, expect, it } from "vitest";
import { originOf } from "../../src/main/electron/app-origin";
import { isAllowedExternalUrl } from "../../src/main/electron/url-policy";

describe("isAllowedExternalUrl", () => {
  const table: [string, unknown, boolean][] = [
    ["a plain https link", "https://example.com/docs", true],
    ["a plain http link", "http://example.com", true],
    ["upper-case scheme and host (parsed, not compared as text)", "HTTPS://EXAMPLE.com", true],
    [
      "an https link whose query mentions our origin (it is still just an external link)",
      "https://evil.example/?next=app://sight/index.html",
      true,
    ],
    ["a link with a port and fragment", "https://example.com:8443/a#b", true],
    ["javascript:", "javascript:alert(1)", false],
    ["javascript: with mixed case", "JavaScript:alert(1)", false],
    ["javascript: split by a tab (the parser would strip it)", "java\tscript:alert(1)", false],
    ["file:", "file:///etc/passwd", false],
    ["our own app:// origin", "app://sight/index.html", false],
    ["a look-alike app:// host", "app://sight.evil.example", false],
    ["our deep-link scheme", "sight://open-project/abc", false],
    ["the dev deep-link scheme", "sight-dev://open-project/abc", false],
    ["data:", "data:text/html,<script>alert(1)</script>", false],
    ["blob:", "blob:https://example.com/uuid", false],
    ["about:blank", "about:blank", false],
    ["ftp:", "ftp://example.com/file", false],
    ["mailto:", "mailto:someone@example.com", false],
    ["user and password in the URL", "http://user:pass@host", false],
    ["a user name alone in the URL", "https://user@example.com", false],
    ["credential-looking host trick", "https://example.com@evil.example/", false],
    ["a relative URL", "/index.html", false],
    ["a scheme-relative URL", "//evil.example/", false],
    ["leading whitespace", " https://example.com", false],
    ["a newline inside", "https://exa\nmple.com", false],
    ["backslashes", "https:\\\\evil.example", false],
    ["an empty string", "", false],
    ["not a string", 42, false],
    ["an overlong URL", `https://example.com/${"a".repeat(3000)}`, false],
  ];

  it.each(table)("%s → %s", (_name, url, expected) => {
    expect(isAllowedExternalUrl(url)).toBe(expected);
  });
});

describe("originOf", () => {
  it('gives our scheme a real origin instead of Node\'s opaque "null"', () => {
    expect(new URL("app://sight/index.html").origin).toBe("null");
    expect(originOf("app://sight/index.html")).toBe("app://sight");
  });

  it("never treats an allowed external URL that mentions app://sight as our origin", () => {
    expect(originOf("https://evil.example/?next=app://sight/index.html")).toBe("https://evil.example");
  });

  it.each([
    ["app://sight.evil.example/", "app://sight.evil.example"],
    ["http://localhost:5173/", "http://localhost:5173"],
    ["data:text/html,hi", null],
    ["about:blank", null],
    ["sight://open-project/x", null],
    ["not a url", null],
  ])("%s → %s", (url, expected) => {
    expect(originOf(url)).toBe(expected);
  });
});
