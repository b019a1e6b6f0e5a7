/** Types of electron-binary.mjs (a plain script, so `npm start` runs without a build or tsx). */
export function findElectronBinary(options: {
  electronDir: string;
  env?: Record<string, string | undefined>;
}): string | null;
