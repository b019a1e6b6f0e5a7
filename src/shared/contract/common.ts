import { z } from "zod";

export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "ids are letters, digits, _ and -");
export const isoDateSchema = z.string().datetime({ offset: true });

/** Query-string friendly integer (REST sends strings; IPC sends numbers). */
export const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
    total: z.number().int().nonnegative(),
  });
}

export const okSchema = z.object({ ok: z.literal(true) });
