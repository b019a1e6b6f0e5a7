import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

const electronImport = {
  paths: [
    {
      name: "electron",
      message:
        "Only src/main/electron and src/preload may import electron; services stay plain Node (ARCHITECTURE §1).",
    },
  ],
  patterns: [{ group: ["electron/*"], message: "Only src/main/electron and src/preload may import electron." }],
};

// no-restricted-imports sees only static imports; these catch import("electron") and require("electron").
// The regex (x2F is "/") also matches subpaths such as electron/main.
const ELECTRON_MODULE = String.raw`/^electron($|\x2F)/`;
const electronLoads = [
  {
    selector: `ImportExpression[source.value=${ELECTRON_MODULE}]`,
    message: "Only src/main/electron and src/preload may import electron, dynamically or not (ARCHITECTURE §1).",
  },
  {
    selector: `CallExpression[callee.name='require'][arguments.0.value=${ELECTRON_MODULE}]`,
    message: "Only src/main/electron and src/preload may require electron (ARCHITECTURE §1).",
  },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "out/**",
      "dist/**",
      "release/**",
      "src/main/services/db/generated/**",
      "src/cloud/db/generated/**",
      "test-results/**",
      "playwright-report/**",
      "bench/results/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: false }],
      // The electron-import boundary: everything but the shell and the preload.
      "no-restricted-imports": ["error", electronImport],
      "no-restricted-syntax": ["error", ...electronLoads],
    },
  },
  {
    files: ["src/main/electron/**", "src/preload/**", "tests/electron/**", "e2e/electron/**"],
    rules: { "no-restricted-imports": "off", "no-restricted-syntax": "off" },
  },
  {
    // The shared layer is isomorphic: no Node built-ins, no electron.
    files: ["src/shared/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: electronImport.paths,
          patterns: [
            ...electronImport.patterns,
            { group: ["node:*"], message: "src/shared runs in the renderer too: no Node built-ins." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/renderer/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "react-hooks/set-state-in-effect": "off",
      "no-restricted-imports": [
        "error",
        {
          paths: electronImport.paths,
          patterns: [
            ...electronImport.patterns,
            { group: ["node:*"], message: "The renderer has no Node: talk to main through the bridge." },
            { group: ["**/main/**"], message: "The renderer reaches main only through the bridge." },
          ],
        },
      ],
    },
  },
  {
    files: ["scripts/**/*.{js,mjs}", "*.config.{js,ts}"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        __dirname: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
      },
    },
  },
);
