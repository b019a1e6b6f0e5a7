/**
 * A keyed async lock: `run(key, fn)` starts `fn` only after every earlier `run` with the same
 * key has settled, so "check, then write" sequences (quota check + enqueue, conflict check +
 * enqueue) cannot interleave. In-process is the right scope: one process owns the SQLite file
 * (the desktop app holds a single-instance lock per data folder, the headless host is one
 * process), so every writer that could race goes through the same lock.
 */
export interface Exclusive {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export function createExclusive(): Exclusive {
  const tails = new Map<string, Promise<void>>();
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(fn);
      // The caller gets `result` (and its error); the chain only needs to know it has settled.
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
