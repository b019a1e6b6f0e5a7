import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback proxy in front of the real Sight Cloud that can hold an answer back: the request
 * reaches the Cloud at once (so the Cloud decides exactly as it would), but its answer is
 * delivered only when the test says so. "The answer arrives after the user did X" becomes
 * deterministic without faking anything the Cloud decides.
 */
export interface HoldingProxy {
  url: string;
  /** Holds the answer to the next `method path` request until `release()`. */
  holdNext(method: string, path: string): HeldAnswer;
  close(): Promise<void>;
}

export interface HeldAnswer {
  /** Resolves once the Cloud has answered and the answer is being held. */
  readonly held: Promise<void>;
  release(): void;
}

interface Hold {
  method: string;
  path: string;
  onHeld(): void;
  released: Promise<void>;
  release(): void;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const holds: Hold[] = [];
  const forward = async (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => {
    const method = req.method ?? "GET";
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && name !== "host" && name !== "content-length") headers[name] = value;
    }
    const answer = await fetch(`${target}${req.url ?? "/"}`, {
      method,
      headers,
      body: body.length > 0 ? body : undefined,
    });
    const text = await answer.text();
    const path = new URL(req.url ?? "/", target).pathname;
    const index = holds.findIndex((hold) => hold.method === method && hold.path === path);
    if (index !== -1) {
      const [hold] = holds.splice(index, 1);
      hold!.onHeld();
      await hold!.released;
    }
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
    res.end(text);
  };

  const pending = new Set<Hold>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      forward(req, Buffer.concat(chunks), res).catch((error: unknown) => {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    holdNext(method, path) {
      let onHeld!: () => void;
      const held = new Promise<void>((resolve) => (onHeld = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const hold: Hold = { method, path, onHeld, released, release };
      holds.push(hold);
      pending.add(hold);
      return {
        held,
        release() {
          pending.delete(hold);
          release();
        },
      };
    },
    async close() {
      // An answer still held is let go, so no request of the app under test hangs past the test.
      for (const hold of pending) hold.release();
      pending.clear();
      holds.splice(0);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
