import type { AreaHandlers } from "../types";

export const stabilityHandlers: AreaHandlers<"stability.estimate" | "stability.start" | "stability.latest"> = ({
  stability,
}) => ({
  "stability.estimate": (input) => stability.estimate(input),
  "stability.start": (input) => stability.start(input),
  "stability.latest": (input) => stability.latest(input),
});
