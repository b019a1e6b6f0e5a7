import path from "node:path";
import { describe, expect, it } from "vitest";
import { mimeTypeOf, resolveAssetPath } from "../../src/main/electron/protocol-path";

const ROOT = path.resolve("/srv/sight/out/renderer");
const inRoot = (...parts: string[]) => path.join(ROOT, ...parts);

describe("resolveAssetPath", () => {
  const served: [string, string][] = [
    ["app://sight/", inRoot("index.html")],
    ["app://sight", inRoot("index.html")],
    ["app://sight/index.html", inRoot("index.html")],
    ["app://sight/assets/index-D8f_a1Bc.js", inRoot("assets", "index-D8f_a1Bc.js")],
    ["app://sight/assets/index-x.css?v=1#top", inRoot("assets", "index-x.css")],
    ["app://sight/fonts/inter%2Dlatin.woff2", inRoot("fonts", "inter-latin.woff2")],
  ];
  it.each(served)("serves %s", (url, expected) => {
    expect(resolveAssetPath(ROOT, url)).toBe(expected);
  });

  const refused: [string, string][] = [
    ["dot-dot segments", "app://sight/../../etc/passwd"],
    ["dot-dot in the middle", "app://sight/assets/../../../etc/passwd"],
    ["a single dot segment", "app://sight/./index.html"],
    ["encoded dot-dot", "app://sight/%2e%2e/%2e%2e/etc/passwd"],
    ["upper-case encoded dot-dot", "app://sight/%2E%2E/secret"],
    ["mixed encoded dot-dot", "app://sight/.%2e/secret"],
    ["an encoded slash", "app://sight/assets%2f..%2fsecret"],
    ["backslashes", "app://sight/assets\\..\\..\\secret"],
    ["an encoded backslash", "app://sight/assets%5c..%5csecret"],
    ["a null byte", "app://sight/index.html\u0000.png"],
    ["an encoded null byte", "app://sight/index.html%00.png"],
    ["an absolute path (empty first segment)", "app://sight//etc/passwd"],
    ["a Windows drive path", "app://sight/C:/Windows/win.ini"],
    ["another host", "app://evil/index.html"],
    ["a look-alike host", "app://sight.evil.example/index.html"],
    ["an upper-case host spelled differently", "app://sight2/index.html"],
    ["credentials", "app://user@sight/index.html"],
    ["a port", "app://sight:8080/index.html"],
    ["another scheme", "file:///etc/passwd"],
    ["https", "https://sight/index.html"],
    ["a trailing slash on a folder", "app://sight/assets/"],
    ["whitespace", "app://sight/index .html"],
    ["a malformed escape", "app://sight/%E0%A4%A"],
    ["garbage", "not a url"],
  ];
  it.each(refused)("refuses %s", (_name, url) => {
    expect(resolveAssetPath(ROOT, url)).toBeNull();
  });

  it("never returns a path outside the root for any refused or served input", () => {
    const inputs = [...served.map(([url]) => url), ...refused.map(([, url]) => url)];
    for (const url of inputs) {
      const file = resolveAssetPath(ROOT, url);
      if (file !== null) expect(path.relative(ROOT, file).startsWith("..")).toBe(false);
    }
  });
});

describe("mimeTypeOf", () => {
  it.each([
    ["index.html", "text/html; charset=utf-8"],
    ["a.js", "text/javascript; charset=utf-8"],
    ["a.CSS", "text/css; charset=utf-8"],
    ["f.woff2", "font/woff2"],
    ["blob.bin", "application/octet-stream"],
  ])("%s → %s", (file, type) => {
    expect(mimeTypeOf(file)).toBe(type);
  });
});
