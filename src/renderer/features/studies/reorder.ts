import { useEffect, useState } from "react";

/** The list with the item at `index` moved by `delta` places (a no-op at either end). */
export function moveItem<T>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return [...items];
  const next = [...items];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

let counter = 0;
/** Keys for editable rows that survive reordering (React keys must not be indexes there). */
export function newUid(): string {
  counter += 1;
  return `row-${counter}`;
}

type Direction = "up" | "down";

/**
 * After "Move up"/"Move down" the row re-renders elsewhere: keep keyboard focus on the same
 * button of the moved row, or on its other move button when it reached an end.
 */
export function useMoveFocus(): (uid: string, direction: Direction) => void {
  const [pending, setPending] = useState<{ uid: string; direction: Direction } | null>(null);
  useEffect(() => {
    if (!pending) return;
    const find = (direction: Direction) =>
      document.querySelector<HTMLButtonElement>(`[data-move-for="${pending.uid}"][data-move="${direction}"]`);
    const own = find(pending.direction);
    const other = find(pending.direction === "up" ? "down" : "up");
    (own && !own.disabled ? own : other)?.focus();
    setPending(null);
  }, [pending]);
  return (uid, direction) => setPending({ uid, direction });
}
