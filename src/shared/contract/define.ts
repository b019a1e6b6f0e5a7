import type { z } from "zod";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface RestBinding {
  method: HttpMethod;
  /** Path under /api/v1 with {param} placeholders, each a field of the input. */
  path: string;
  /** HTTP status on success (default 200). */
  status?: number;
}

export interface RouteDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  rest: RestBinding;
  summary: string;
  /** Routes only the desktop shell may serve (e.g. native dialogs); not exposed over REST. */
  desktopOnly?: boolean;
}

export function route<I extends z.ZodType, O extends z.ZodType>(def: RouteDef<I, O>): RouteDef<I, O> {
  return def;
}
