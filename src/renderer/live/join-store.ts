import { create } from "zustand";
import type { ViewerJoin } from "./viewer-link";

interface LiveJoinState {
  /** Invites the desktop app received as deep links, by session; in memory only, never stored. */
  joins: Readonly<Record<string, ViewerJoin>>;
  remember(join: ViewerJoin): void;
  forget(sessionId: string): void;
}

/**
 * A `sight://join-session/…` link's invite, kept until the viewer route uses it. It stays out of
 * the address (the hash route carries only the session id), so it is in no history entry.
 */
export const useLiveJoinStore = create<LiveJoinState>()((set) => ({
  joins: {},
  remember: (join) => set((state) => ({ joins: { ...state.joins, [join.sessionId]: join } })),
  forget: (sessionId) =>
    set((state) => {
      const { [sessionId]: _forgotten, ...rest } = state.joins;
      return { joins: rest };
    }),
}));
