import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

type Listener = (event: unknown, ...args: unknown[]) => void;

const fake = vi.hoisted(() => {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  return {
    listeners,
    exposeInMainWorld: vi.fn(),
    ipcRenderer: {
      invoke: vi.fn(async (..._args: unknown[]) => ({ data: "pong" })),
      on: vi.fn((channel: string, fn: (event: unknown, ...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(fn);
      }),
      removeListener: vi.fn((channel: string, fn: (event: unknown, ...args: unknown[]) => void) => {
        listeners.get(channel)?.delete(fn);
      }),
      send: vi.fn(),
      sendSync: vi.fn(),
    },
  };
});

vi.mock("electron", () => ({
  contextBridge: { exposeInMainWorld: fake.exposeInMainWorld },
  ipcRenderer: fake.ipcRenderer,
}));

import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from "../../src/shared/contract";

interface Bridge {
  invoke(name: string, input?: unknown): Promise<unknown>;
  on(event: string, callback: (payload: unknown) => void): () => void;
}

let bridge: Bridge;

function emit(name: string, payload: unknown) {
  const fakeEvent = { sender: fake.ipcRenderer, senderId: 0, ports: [] };
  for (const fn of [...(fake.listeners.get(IPC_EVENT_CHANNEL) ?? [])]) (fn as Listener)(fakeEvent, name, payload);
}

beforeAll(async () => {
  await import("../../src/preload/index");
  bridge = fake.exposeInMainWorld.mock.calls[0]?.[1] as Bridge;
});

beforeEach(() => {
  fake.ipcRenderer.on.mockClear();
  fake.ipcRenderer.removeListener.mockClear();
  fake.ipcRenderer.invoke.mockClear();
});

describe("preload bridge", () => {
  it("exposes exactly one object, window.sight, with exactly invoke and on", () => {
    expect(fake.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, api] = fake.exposeInMainWorld.mock.calls[0]!;
    expect(key).toBe("sight");
    expect(Object.keys(api as object).sort()).toEqual(["invoke", "on"]);
    expect(typeof bridge.invoke).toBe("function");
    expect(typeof bridge.on).toBe("function");
  });

  it("never exposes raw ipcRenderer or any of its methods", () => {
    const values = Object.values(bridge as unknown as Record<string, unknown>);
    expect(values).not.toContain(fake.ipcRenderer);
    for (const method of Object.values(fake.ipcRenderer)) expect(values).not.toContain(method);
  });

  it("invoke(name, input) goes to the one invoke channel and returns its result", async () => {
    await expect(bridge.invoke("projects.list", { limit: 5 })).resolves.toEqual({ data: "pong" });
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(IPC_INVOKE_CHANNEL, "projects.list", { limit: 5 });
  });

  it("invoke refuses a non-string name without sending anything", async () => {
    await expect(bridge.invoke(42 as never)).rejects.toThrow(TypeError);
    expect(fake.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it("on(event, cb) delivers only that event's payload, never the IpcRendererEvent", () => {
    const seen: unknown[][] = [];
    const off = bridge.on("db.changed", (...args) => seen.push(args));
    emit("db.changed", { tables: ["Project"] });
    emit("job.updated", { id: "j1" });
    expect(seen).toEqual([[{ tables: ["Project"] }]]);
    off();
  });

  it("on returns an unsubscribe that removes the ipcRenderer listener", () => {
    const callback = vi.fn();
    const off = bridge.on("db.changed", callback);
    expect(fake.ipcRenderer.on).toHaveBeenCalledTimes(1);
    const [channel, listener] = fake.ipcRenderer.on.mock.calls[0]!;
    expect(channel).toBe(IPC_EVENT_CHANNEL);
    expect(fake.listeners.get(IPC_EVENT_CHANNEL)?.has(listener)).toBe(true);

    off();
    expect(fake.ipcRenderer.removeListener).toHaveBeenCalledExactlyOnceWith(IPC_EVENT_CHANNEL, listener);
    expect(fake.listeners.get(IPC_EVENT_CHANNEL)?.size ?? 0).toBe(0);
    emit("db.changed", { tables: ["Project"] });
    expect(callback).not.toHaveBeenCalled();
  });

  it("keeps the ipcRenderer listener while other subscriptions remain, and unsubscribing twice is harmless", () => {
    const a = vi.fn();
    const b = vi.fn();
    const offA = bridge.on("db.changed", a);
    const offB = bridge.on("job.updated", b);
    offA();
    offA();
    expect(fake.ipcRenderer.removeListener).not.toHaveBeenCalled();
    emit("job.updated", { id: "j1" });
    expect(b).toHaveBeenCalledExactlyOnceWith({ id: "j1" });
    offB();
    expect(fake.ipcRenderer.removeListener).toHaveBeenCalledTimes(1);
  });

  it("on refuses a callback that is not a function", () => {
    expect(() => bridge.on("db.changed", "alert(1)" as never)).toThrow(TypeError);
  });
});
