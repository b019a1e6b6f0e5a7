import { describe, expect, it } from "vitest";
import { APP_ENTRY_URL, APP_ORIGIN, rendererEntry } from "../../src/main/electron/app-origin";

describe("renderer entry", () => {
  it("loads app://sight/index.html in packaged builds even when a dev URL is set", () => {
    expect(rendererEntry(true, "http://localhost:5173/")).toEqual({ url: APP_ENTRY_URL, origin: APP_ORIGIN });
  });

  it("uses electron-vite's dev server in unpackaged builds when it is loopback http", () => {
    expect(rendererEntry(false, "http://localhost:5173/")).toEqual({
      url: "http://localhost:5173/",
      origin: "http://localhost:5173",
    });
  });

  it.each([
    "https://localhost:5173/",
    "http://192.168.1.10:5173/",
    "http://localhost.evil.example:5173/",
    "http://a:b@localhost:5173/",
    "file:///tmp/index.html",
    "nonsense",
  ])("ignores a dev URL that is not loopback http: %s", (url) => {
    expect(rendererEntry(false, url)).toEqual({ url: APP_ENTRY_URL, origin: APP_ORIGIN });
  });
});
