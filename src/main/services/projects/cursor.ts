import { AppError } from "../../../shared/contract";

/**
 * Opaque keyset cursor: base64url of [sort key, sort value, id]. The sort key is embedded so
 * a cursor from one ordering is refused by another instead of silently skipping rows.
 */
export function encodeCursor(sort: string, value: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, value, id]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, sort: string): { value: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === sort &&
      typeof parsed[1] === "string" &&
      typeof parsed[2] === "string"
    ) {
      if (sort !== "name" && Number.isNaN(Date.parse(parsed[1]))) throw new Error("bad date");
      return { value: parsed[1], id: parsed[2] };
    }
  } catch {
    // fall through to the typed error below
  }
  throw new AppError("VALIDATION_FAILED", "The cursor is not valid for this list and sort order.", {
    issues: [{ path: ["cursor"], message: "invalid cursor" }],
  });
}

/**
 * A list newest first (createdAt desc, then id desc): the where-clause for the rows after
 * `cursor`, and the cursor of a page whose query took `limit + 1` rows (null on the last page).
 */
export function newestFirst(cursor: string | undefined, sort: string) {
  const after = cursor ? decodeCursor(cursor, sort) : null;
  return {
    where: after
      ? {
          OR: [
            { createdAt: { lt: new Date(after.value) } },
            { createdAt: new Date(after.value), id: { lt: after.id } },
          ],
        }
      : {},
    page<T extends { createdAt: Date; id: string }>(
      rows: T[],
      limit: number,
    ): { page: T[]; nextCursor: string | null } {
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        page,
        nextCursor: rows.length > limit && last ? encodeCursor(sort, last.createdAt.toISOString(), last.id) : null,
      };
    },
  };
}
