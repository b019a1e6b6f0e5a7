import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";

/** The viewer page's policy: its own scripts, and sockets to where it came from. */
export const VIEWER_PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * Serves the live-session viewer at /live/<sessionId>: the built renderer, which opens in viewer
 * mode on that path (src/renderer/main.tsx) and reads its invite from the URL's fragment. Used by
 * the app's direct server and by Sight Cloud's relay. The page holds nothing secret: the socket's
 * handshake checks the invite.
 */
export function registerViewerPage(
  app: FastifyInstance,
  options: { rendererDir?: string; accepts: (sessionId: string) => boolean },
): void {
  const index = options.rendererDir ? path.join(options.rendererDir, "index.html") : null;
  const built = index !== null && fs.existsSync(index);
  if (built) {
    void app.register(fastifyStatic, {
      root: path.resolve(options.rendererDir!, "assets"),
      prefix: "/assets/",
      index: false,
      decorateReply: false,
    });
    const favicon = path.join(options.rendererDir!, "favicon.svg");
    if (fs.existsSync(favicon)) {
      app.get("/favicon.svg", async (_request, reply) => reply.type("image/svg+xml").send(fs.readFileSync(favicon)));
    }
  }
  app.get<{ Params: { id: string } }>("/live/:id", async (request, reply) => {
    if (!options.accepts(request.params.id))
      return reply.code(404).send({ error: { code: "NOT_FOUND", message: "No such live session here." } });
    if (!built) return reply.code(503).type("text/plain; charset=utf-8").send("The viewer is not built.");
    // The page's URLs are relative (./assets/…), which from /live/<id> would resolve under /live/.
    const html = fs.readFileSync(index!, "utf8").replace(/(src|href)="\.\//g, '$1="/');
    return reply
      .header("Cache-Control", "no-store")
      .header("Content-Security-Policy", VIEWER_PAGE_CSP)
      .header("Referrer-Policy", "no-referrer")
      .type("text/html; charset=utf-8")
      .send(html);
  });
}
