/**
 * The loopback LLM fakes for bench/live-fanout.bench.ts (persona generation only, before anything
 * is measured), in a process of their own as bench/lib.ts's startFakesProcess has them, but tied
 * to the bench over IPC: they leave when the bench does, even when it dies without cleaning up
 * (a host that runs out of heap, say). Sends `{ env }` once listening.
 */
import { startFakes } from "../../fakes";

const fakes = await startFakes({ port: 0, host: "127.0.0.1" });
const stop = () => {
  const force = setTimeout(() => process.exit(0), 2_000);
  force.unref();
  fakes.close().finally(() => process.exit(0));
};
process.once("disconnect", stop);
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
process.send!({ env: fakes.env });
