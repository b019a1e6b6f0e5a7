/**
 * The fakes' environment as POSIX shell `export` lines, so that the README's
 * `eval "$(npm run -s fakes -- --detach)" && npm run web` hands every variable to the command
 * after `&&` (plain `KEY=value` lines only set shell variables, which child processes never see).
 * Values are single-quoted, so nothing in them is expanded by the shell.
 */
export function exportLines(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([key, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`Not a shell variable name: ${key}`);
      return `export ${key}=${shellQuote(value)}\n`;
    })
    .join("");
}

/** 'value', with any ' written as '\'' (end quote, escaped quote, reopen). */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
