import fs from "node:fs/promises";
import path from "node:path";
import { protocol, type Session } from "electron";
import { APP_SCHEME } from "./app-origin";
import { securityHeaders } from "./csp";
import { mimeTypeOf, resolveAssetPath } from "./protocol-path";

/**
 * app:// must be privileged before the app is ready: standard (real origin, relative URLs),
 * secure (a secure context, like https), fetch-capable for the renderer's own assets.
 * No bypassCSP, no corsEnabled, no stream flags: nothing beyond what the renderer needs.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

function textResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: securityHeaders("text/plain; charset=utf-8") });
}

async function readFileIfInside(root: string, file: string): Promise<Buffer | null> {
  try {
    // Containment again after following links: a symlink in the build output must not lead out.
    const real = await fs.realpath(file);
    const relative = path.relative(root, real);
    if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return null;
    return await fs.readFile(real);
  } catch {
    return null;
  }
}

/**
 * Serves out/renderer over app://sight/ with the CSP and other security headers. Only GET and
 * HEAD; only files under the root (see resolveAssetPath); client-side routes without a file
 * extension fall back to index.html.
 */
export async function serveRenderer(session: Session, rendererRoot: string): Promise<void> {
  const root = await fs.realpath(rendererRoot).catch(() => path.resolve(rendererRoot));
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") return textResponse(405, "Method not allowed");
    const file = resolveAssetPath(root, request.url);
    if (!file) return textResponse(404, "Not found");
    let body = await readFileIfInside(root, file);
    let served = file;
    if (!body && path.extname(file) === "") {
      served = path.join(root, "index.html");
      body = await readFileIfInside(root, served);
    }
    if (!body) return textResponse(404, "Not found");
    return new Response(request.method === "HEAD" ? null : new Uint8Array(body), {
      status: 200,
      headers: securityHeaders(mimeTypeOf(served)),
    });
  });
}
