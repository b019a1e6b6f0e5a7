import { EventEmitter } from "node:events";
import { beforeEach, describe, expect, it, vi } from "vitest";

const shell = vi.hoisted(() => ({ openExternal: vi.fn(async () => undefined) }));
vi.mock("electron", () => ({ shell }));

import { isPermissionAllowed, PERMISSION_TABLE } from "../../src/main/electron/permissions";
import { applySessionPolicy, hardenWebContents, openExternalSafely } from "../../src/main/electron/security";

const ORIGIN = "app://sight";

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
}

function fakeEvent() {
  return { preventDefault: vi.fn() };
}

beforeEach(() => shell.openExternal.mockClear());

describe("webContents hardening", () => {
  it("denies every navigation and opens allowed http(s) targets in the browser instead", async () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never);
    const event = fakeEvent();
    contents.emit("will-navigate", event, "https://example.com/help");
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(shell.openExternal).toHaveBeenCalledExactlyOnceWith("https://example.com/help"));
  });

  it("denies navigation to our own scheme or file: without opening anything", async () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never);
    for (const url of ["app://sight/other.html", "file:///etc/passwd", "javascript:alert(1)"]) {
      const event = fakeEvent();
      contents.emit("will-navigate", event, url);
      expect(event.preventDefault).toHaveBeenCalled();
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it("denies redirects and <webview> attachment", () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never);
    const redirect = fakeEvent();
    contents.emit("will-redirect", redirect, "https://example.com/");
    const webview = fakeEvent();
    contents.emit("will-attach-webview", webview, {}, {});
    expect(redirect.preventDefault).toHaveBeenCalled();
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it("window.open always returns deny, opening only policy-approved URLs externally", async () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never);
    expect(contents.openHandler!({ url: "https://example.com/" })).toEqual({ action: "deny" });
    expect(contents.openHandler!({ url: "app://sight/index.html" })).toEqual({ action: "deny" });
    expect(contents.openHandler!({ url: "http://user:pass@host/" })).toEqual({ action: "deny" });
    await vi.waitFor(() => expect(shell.openExternal).toHaveBeenCalledTimes(1));
    expect(shell.openExternal).toHaveBeenCalledWith("https://example.com/");
  });

  it("openExternalSafely reports whether it opened the URL", async () => {
    expect(await openExternalSafely("https://example.com")).toBe(true);
    expect(await openExternalSafely("file:///etc/passwd")).toBe(false);
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });
});

describe("permissions", () => {
  it.each([
    "media",
    "geolocation",
    "notifications",
    "midi",
    "midiSysex",
    "pointerLock",
    "fullscreen",
    "openExternal",
    "hid",
    "serial",
    "usb",
    "clipboard-read",
    "display-capture",
    "unknown-future-permission",
  ])("denies %s by default", (permission) => {
    expect(isPermissionAllowed(permission, "app://sight/index.html", ORIGIN)).toBe(false);
  });

  it("grants the listed clipboard write only to our own origin", () => {
    expect(Object.keys(PERMISSION_TABLE)).toEqual(["clipboard-sanitized-write"]);
    expect(isPermissionAllowed("clipboard-sanitized-write", "app://sight/index.html", ORIGIN)).toBe(true);
    expect(isPermissionAllowed("clipboard-sanitized-write", "https://evil.example/", ORIGIN)).toBe(false);
    expect(isPermissionAllowed("clipboard-sanitized-write", "data:text/html,x", ORIGIN)).toBe(false);
    expect(isPermissionAllowed("clipboard-sanitized-write", undefined, ORIGIN)).toBe(false);
  });

  it("installs request, check and device handlers that consult the table", () => {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    };
    applySessionPolicy(session as never, ORIGIN);
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (...args: unknown[]) => void;
    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (...args: unknown[]) => boolean;
    const device = session.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean;

    const callback = vi.fn();
    request({}, "media", callback, { requestingUrl: "app://sight/index.html" });
    request({}, "clipboard-sanitized-write", callback, { requestingUrl: "app://sight/index.html" });
    expect(callback.mock.calls).toEqual([[false], [true]]);
    expect(check({}, "geolocation", "app://sight")).toBe(false);
    expect(check({}, "clipboard-sanitized-write", "app://sight")).toBe(true);
    expect(device()).toBe(false);
  });
});
