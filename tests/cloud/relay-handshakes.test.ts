import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddressOf } from "../../src/cloud/live/relay";
import { LIVE_VIEWER_NAMESPACE } from "../../src/shared/contract/live";
import { startTestCloud, type TestCloud } from "../support/cloud";
import { refusal } from "../support/relay";

const request = (remoteAddress: string | undefined, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
  }) as unknown as http.IncomingMessage;

describe("a viewer's client address", () => {
  it("believes X-Forwarded-For only as far as the Cloud's trustProxy", () => {
    const behindTwo = request("10.0.0.2", "198.51.100.7, 203.0.113.9");
    expect(clientAddressOf(false)(behindTwo)).toBe("10.0.0.2");
    // A hop count cannot be checked against the peer: trusted as nothing, as Fastify does for sockets.
    expect(clientAddressOf(2)(behindTwo)).toBe("10.0.0.2");
    expect(clientAddressOf(true)(behindTwo)).toBe("198.51.100.7");
    // Only the listed proxy is believed: the address it saw is the client, whatever came before.
    expect(clientAddressOf("10.0.0.0/8")(behindTwo)).toBe("203.0.113.9");
    expect(clientAddressOf("10.0.0.0/8, 203.0.113.9")(behindTwo)).toBe("198.51.100.7");
    // A peer outside the list is the client, and its header is ignored.
    expect(clientAddressOf("10.0.0.0/8")(request("192.0.2.1", "198.51.100.7"))).toBe("192.0.2.1");
    expect(clientAddressOf(true)(request(undefined, "198.51.100.7"))).toBe("unknown");
  });
});

describe("the relay's handshake limit", () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({
      database: "pglite",
      trustProxy: "127.0.0.1",
      relay: { handshakeRate: { limit: 3, windowMs: 60_000 } },
    });
  });
  afterAll(async () => {
    await cloud?.dispose();
  });

  it("refuses a flood from one address before any invite is read, and counts each address apart", async () => {
    const from = (address: string) => refusal(cloud.url, LIVE_VIEWER_NAMESPACE, {}, { "x-forwarded-for": address });
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await from("203.0.113.5")).code);
    expect(first).toEqual(["INVITE_MISSING", "INVITE_MISSING", "INVITE_MISSING"]);
    const over = await from("203.0.113.5");
    expect(over.code).toBe("RATE_LIMITED");
    expect(over.message).toMatch(/^Too many connection attempts from this address: try again in (59|60) s\.$/);
    // The proxy's own address and another client are counted apart from the flood.
    expect((await from("203.0.113.6")).code).toBe("INVITE_MISSING");
    expect((await refusal(cloud.url, LIVE_VIEWER_NAMESPACE, {})).code).toBe("INVITE_MISSING");
  });
});
