import { resolve } from "node:path";
import { defineConfig } from "electron-vite";
import react from "@vitejs/plugin-react";

const shared = resolve(__dirname, "src/shared");

export default defineConfig({
  main: {
    resolve: { alias: { "@shared": shared } },
    // Sight Cloud's address and the public keys licences are checked against
    // (src/main/services/billing/cloud-config.ts). None live in this repository: the release
    // pipeline sets these variables; a build without them knows no Cloud and stays on Free.
    define: {
      __SIGHT_LICENCE_PUBLIC_KEYS__: JSON.stringify(process.env.SIGHT_BUILD_LICENCE_PUBLIC_KEYS ?? ""),
      __SIGHT_CLOUD_URL__: JSON.stringify(process.env.SIGHT_BUILD_CLOUD_URL ?? ""),
    },
    build: {
      outDir: "out/main",
      rollupOptions: {
        input: {
          index: resolve(__dirname, "src/main/electron/main.ts"),
          // Worker threads, each found beside index.js by services/workers/locate.ts: PDF layout,
          // the database (Prisma + libsql) and the LLM providers' HTTP calls.
          "pdf-worker": resolve(__dirname, "src/main/services/exports/pdf/worker.ts"),
          "db-worker": resolve(__dirname, "src/main/services/db/db-worker.ts"),
          "net-worker": resolve(__dirname, "src/main/services/llm/providers/net-worker.ts"),
        },
      },
    },
  },
  preload: {
    resolve: { alias: { "@shared": shared } },
    build: {
      outDir: "out/preload",
      rollupOptions: {
        input: { index: resolve(__dirname, "src/preload/index.ts") },
        // Sandboxed preloads cannot be ES modules.
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: "src/renderer",
    resolve: { alias: { "@shared": shared } },
    plugins: [react()],
    build: {
      outDir: "out/renderer",
      minify: true,
      chunkSizeWarningLimit: 1200,
      rollupOptions: { input: { index: resolve(__dirname, "src/renderer/index.html") } },
    },
  },
});
