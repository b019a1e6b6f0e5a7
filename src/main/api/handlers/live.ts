import type { AreaHandlers } from "../types";

export const liveHandlers: AreaHandlers<
  | "live.status"
  | "live.interfaces"
  | "live.createInvite"
  | "live.revokeInvite"
  | "live.end"
  | "live.serveDirect"
  | "live.stopDirect"
  | "live.publishRelay"
  | "live.stopRelay"
  | "live.decideProbe"
  | "live.setAutoApprove"
> = ({ live }) => ({
  "live.status": (input) => live.status(input),
  "live.interfaces": async () => live.interfaces(),
  "live.createInvite": (input) => live.createInvite(input),
  "live.revokeInvite": (input) => live.revokeInvite(input),
  "live.end": (input) => live.end(input),
  "live.serveDirect": (input) => live.serveDirect(input),
  "live.stopDirect": (input) => live.stopDirect(input),
  "live.publishRelay": (input) => live.publishRelay(input),
  "live.stopRelay": (input) => live.stopRelay(input),
  "live.decideProbe": (input) => live.decideProbe(input),
  "live.setAutoApprove": (input) => live.setAutoApprove(input),
});
