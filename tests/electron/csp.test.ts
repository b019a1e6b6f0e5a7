import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, parseCsp, securityHeaders } from "../../src/main/electron/csp";

describe("Content-Security-Policy", () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);

  it.each([
    ["default-src", ["'self'"]],
    ["script-src", ["'self'"]],
    ["style-src", ["'self'"]],
    ["img-src", ["'self'", "data:"]],
    // A live session's viewer socket (WebSocket only) to the address in a teammate's invite.
    ["connect-src", ["'self'", "ws:", "wss:"]],
    ["object-src", ["'none'"]],
    ["base-uri", ["'none'"]],
    ["frame-ancestors", ["'none'"]],
    ["form-action", ["'none'"]],
  ])("sets %s to %j", (directive, sources) => {
    expect(csp[directive]).toEqual(sources);
  });

  it("allows no inline or evaluated code and no remote hosts", () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|\*|https?:/);
  });

  it("is sent with every response, with nosniff and the declared content type", () => {
    const headers = securityHeaders("text/css; charset=utf-8");
    expect(headers["Content-Security-Policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Content-Type"]).toBe("text/css; charset=utf-8");
  });
});
