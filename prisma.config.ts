import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";

// Prisma 6.19 with the JS engine: `generate`, `migrate diff` and `migrate deploy` run offline
// (the schema engine runs as WASM). See ENVIRONMENT.md.
export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  async adapter() {
    const url = process.env.SIGHT_PRISMA_CLI_DB ?? "file:./prisma/dev.db";
    return new PrismaLibSQL({ url });
  },
});
