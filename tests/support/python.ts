import { execFileSync } from "node:child_process";

/**
 * Runs a Python snippet with scipy (the independent oracle for our statistics), feeding JSON on
 * stdin and parsing JSON from stdout. Debian's python3-scipy is installed by .ci/run; we prefer
 * /usr/bin/python3, where apt puts it, over any other python3 on the PATH.
 */
export function pythonWithScipy(): string {
  for (const candidate of ["/usr/bin/python3", "python3"]) {
    try {
      execFileSync(candidate, ["-c", "import scipy"], { stdio: "ignore" });
      return candidate;
    } catch {
      // try the next interpreter
    }
  }
  throw new Error("No python3 with scipy found: install Debian's python3-scipy (apt-get install -y python3-scipy).");
}

export function runPython<T>(script: string, input: unknown): T {
  const output = execFileSync(pythonWithScipy(), ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  return JSON.parse(output) as T;
}
