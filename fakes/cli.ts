// Runs the loopback fakes until SIGINT/SIGTERM. stdout carries only the `export KEY='value'`
// lines that point Sight at them (so `eval "$(npm run -s fakes -- --detach)" && npm run web`
// works); logs go to stderr.
import { parseArgs } from "node:util";
import { exportLines } from "./env-lines";
import { startFakes } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.SIGHT_FAKES_PORT ?? "0" },
    host: { type: "string", default: "127.0.0.1" },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`fakes: --port must be 0-65535, got ${values.port}\n`);
  process.exit(2);
}

const fakes = await startFakes({ port, host: values.host, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(exportLines(fakes.env));
process.stderr.write(`fakes: control with POST ${fakes.baseUrl}/__control, inspect GET ${fakes.baseUrl}/__requests\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    fakes.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
