import type { ModelPrice } from "../../../shared/contract";
import type { LlmUsage } from "./types";

export const ZERO_USAGE: LlmUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0, priced: true };

/**
 * The price of a model: an exact entry, else the longest entry that prefixes it at a `-`, `:`
 * or `@` boundary, so versioned names ("gemini-2.5-flash-001") find their family's price.
 */
export function findPrice(model: string, prices: Record<string, ModelPrice>): ModelPrice | undefined {
  const name = model.replace(/^models\//, "");
  if (Object.hasOwn(prices, name)) return prices[name];
  let best: string | undefined;
  for (const candidate of Object.keys(prices)) {
    if (
      name.startsWith(candidate) &&
      /[-:@]/.test(name.charAt(candidate.length)) &&
      candidate.length > (best?.length ?? 0)
    ) {
      best = candidate;
    }
  }
  return best === undefined ? undefined : prices[best];
}

/** One provider call's usage, priced from the editable table (US dollars per million tokens). */
export function priceCall(
  model: string,
  inputTokens: number,
  outputTokens: number,
  prices: Record<string, ModelPrice>,
): LlmUsage {
  const price = findPrice(model, prices);
  const costUsd = price ? (inputTokens / 1e6) * price.inputPerMTok + (outputTokens / 1e6) * price.outputPerMTok : 0;
  return { inputTokens, outputTokens, costUsd, calls: 1, priced: price !== undefined };
}

export function addUsage(total: LlmUsage, call: LlmUsage): LlmUsage {
  return {
    inputTokens: total.inputTokens + call.inputTokens,
    outputTokens: total.outputTokens + call.outputTokens,
    costUsd: total.costUsd + call.costUsd,
    calls: total.calls + call.calls,
    priced: total.priced && call.priced,
  };
}
