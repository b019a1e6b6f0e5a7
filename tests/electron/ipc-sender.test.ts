import { beforeEach, describe, expect, it, vi } from "vitest";

const electron = vi.hoisted(() => ({
  handlers: new Map<string, (...args: unknown[]) => unknown>(),
}));

vi.mock("electron", () => ({
  ipcMain: {
    handle: vi.fn((channel: string, fn: (...args: unknown[]) => unknown) => electron.handlers.set(channel, fn)),
    removeHandler: vi.fn((channel: string) => electron.handlers.delete(channel)),
  },
}));

import { createInvokeHandler, registerIpc } from "../../src/main/electron/ipc";
import { isTrustedSender } from "../../src/main/electron/sender-check";
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from "../../src/shared/contract";

const ORIGIN = "app://sight";

function frame(url: string, extra: Record<string, unknown> = {}) {
  return { url, detached: false, ...extra };
}

function fakeWindow(mainFrame: { url: string }) {
  const send = vi.fn();
  return {
    window: {
      isDestroyed: () => false,
      webContents: { mainFrame, isDestroyed: () => false, getURL: () => mainFrame.url, send },
    },
    send,
  };
}

function setup(mainFrame = frame("app://sight/index.html")) {
  const router = { invoke: vi.fn(async () => ({ data: { ok: true } })) };
  const logger = { warn: vi.fn(), error: vi.fn() };
  const { window, send } = fakeWindow(mainFrame);
  const handler = createInvokeHandler({
    router,
    logger,
    getWindow: () => window as never,
    expectedOrigin: ORIGIN,
  });
  return { router, logger, handler, mainFrame, window, send };
}

describe("isTrustedSender", () => {
  const main = frame("app://sight/index.html");
  const table: [string, Parameters<typeof isTrustedSender>[0], boolean][] = [
    ["our main frame at our origin", { senderFrame: main, mainFrame: main, expectedOrigin: ORIGIN }, true],
    [
      "an iframe (senderFrame !== mainFrame) even at our origin",
      { senderFrame: frame("app://sight/index.html"), mainFrame: main, expectedOrigin: ORIGIN },
      false,
    ],
    [
      "our main frame after it navigated to a foreign origin",
      { senderFrame: frame("https://evil.example/"), mainFrame: null, expectedOrigin: ORIGIN },
      false,
    ],
    ["a look-alike host", { senderFrame: main, mainFrame: main, expectedOrigin: "app://sight.evil.example" }, false],
    [
      "a detached frame (left over from a navigation)",
      { senderFrame: frame("app://sight/", { detached: true }), mainFrame: null, expectedOrigin: ORIGIN },
      false,
    ],
    ["a null senderFrame (frame gone)", { senderFrame: null, mainFrame: main, expectedOrigin: ORIGIN }, false],
    ["no window", { senderFrame: main, mainFrame: null, expectedOrigin: ORIGIN }, false],
    ["an empty expected origin", { senderFrame: main, mainFrame: main, expectedOrigin: "" }, false],
    ['the opaque origin string "null"', { senderFrame: main, mainFrame: main, expectedOrigin: "null" }, false],
  ];
  it.each(table)("%s → %s", (_name, input, expected) => {
    expect(isTrustedSender(input)).toBe(expected);
  });

  it('refuses our own main frame showing a data: URL (Node reports origin "null" for both)', () => {
    const dataFrame = frame("data:text/html,<script>sight.invoke()</script>");
    expect(isTrustedSender({ senderFrame: dataFrame, mainFrame: dataFrame, expectedOrigin: ORIGIN })).toBe(false);
  });

  it("refuses a frame whose url getter throws (render frame disposed)", () => {
    const disposed = {
      get url(): string {
        throw new Error("Render frame was disposed before WebFrameMain could be accessed");
      },
    };
    expect(isTrustedSender({ senderFrame: disposed, mainFrame: disposed, expectedOrigin: ORIGIN })).toBe(false);
  });
});

describe("IPC invoke handler", () => {
  it("runs the router for our main frame, with the ipc transport", async () => {
    const { router, handler, mainFrame } = setup();
    const result = await handler({ senderFrame: mainFrame } as never, "app.info", {});
    expect(result).toEqual({ data: { ok: true } });
    expect(router.invoke).toHaveBeenCalledExactlyOnceWith("app.info", {}, { transport: "ipc" });
  });

  it("refuses an iframe with UNAUTHORIZED before the router runs", async () => {
    const { router, handler } = setup();
    const iframe = frame("app://sight/index.html");
    const result = await handler({ senderFrame: iframe } as never, "secrets.set", {
      key: "llm.gemini.apiKey",
      value: "x",
    });
    expect(result).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    expect(router.invoke).not.toHaveBeenCalled();
  });

  it("refuses our main frame once it shows a foreign origin, before the router runs", async () => {
    const foreignMain = frame("https://evil.example/");
    const { router, handler } = setup(foreignMain);
    const result = await handler({ senderFrame: foreignMain } as never, "projects.list", {});
    expect(result).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    expect(router.invoke).not.toHaveBeenCalled();
  });

  it("refuses a call without a sender frame, before the router runs", async () => {
    const { router, handler, logger } = setup();
    const result = await handler({ senderFrame: null } as never, "projects.list", {});
    expect(result).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    expect(router.invoke).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith("ipc.refused", { route: "projects.list" });
  });

  it("refuses every call while there is no window", async () => {
    const router = { invoke: vi.fn() };
    const handler = createInvokeHandler({
      router,
      logger: { warn: vi.fn(), error: vi.fn() },
      getWindow: () => null,
      expectedOrigin: ORIGIN,
    });
    const result = await handler({ senderFrame: frame("app://sight/") } as never, "app.info", {});
    expect(result).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    expect(router.invoke).not.toHaveBeenCalled();
  });

  it("refuses when reading senderFrame throws", async () => {
    const { router, handler } = setup();
    const event = {
      get senderFrame(): never {
        throw new Error("disposed");
      },
    };
    expect(await handler(event as never, "app.info", {})).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    expect(router.invoke).not.toHaveBeenCalled();
  });

  it("turns a router throw into an INTERNAL result instead of a rejected invoke", async () => {
    const { router, handler, mainFrame } = setup();
    router.invoke.mockRejectedValueOnce(new Error("boom"));
    expect(await handler({ senderFrame: mainFrame } as never, "app.info", {})).toMatchObject({
      error: { code: "INTERNAL" },
    });
  });
});

describe("registerIpc", () => {
  beforeEach(() => electron.handlers.clear());

  it("registers exactly the invoke channel and forwards bus events to our page on the event channel", async () => {
    const { router, logger, window, send, mainFrame } = setup();
    let forward: ((name: string, payload: unknown) => void) | undefined;
    const stop = registerIpc({
      router,
      logger,
      bus: { onAny: (fn) => ((forward = fn as never), () => undefined) },
      getWindow: () => window as never,
      expectedOrigin: ORIGIN,
    });
    expect([...electron.handlers.keys()]).toEqual([IPC_INVOKE_CHANNEL]);
    const invoke = electron.handlers.get(IPC_INVOKE_CHANNEL)!;
    expect(await invoke({ senderFrame: frame("app://sight/") }, "app.info", {})).toMatchObject({
      error: { code: "UNAUTHORIZED" },
    });
    expect(await invoke({ senderFrame: mainFrame }, "app.info", {})).toEqual({ data: { ok: true } });

    forward!("db.changed", { tables: ["Project"] });
    expect(send).toHaveBeenCalledExactlyOnceWith(IPC_EVENT_CHANNEL, "db.changed", { tables: ["Project"] });
    stop();
    expect(electron.handlers.size).toBe(0);
  });

  it("does not send events to a page at another origin", () => {
    const foreign = frame("https://evil.example/");
    const { router, logger, window, send } = setup(foreign);
    let forward: ((name: string, payload: unknown) => void) | undefined;
    registerIpc({
      router,
      logger,
      bus: { onAny: (fn) => ((forward = fn as never), () => undefined) },
      getWindow: () => window as never,
      expectedOrigin: ORIGIN,
    });
    forward!("db.changed", { tables: ["Project"] });
    expect(send).not.toHaveBeenCalled();
  });
});
