import { useEffect, useState, useSyncExternalStore } from "react";
import { browserActivity, nextAnimationFrame } from "./browser-activity";
import { createLiveConnection, type LiveConnection, type LiveConnectionState } from "./live-connection";

const IDLE: LiveConnectionState = {
  phase: { kind: "connecting", attempts: 0, lastError: null },
  view: null,
  myProbeIds: [],
  idle: false,
};
const noSubscription = () => () => undefined;
const idleState = () => IDLE;

/** One live connection while the component is mounted (a new one when the invite or name changes). */
export function useLiveConnection(join: { origin: string; token: string; sessionId: string; name: string } | null) {
  const [connection, setConnection] = useState<LiveConnection | null>(null);
  const origin = join?.origin;
  const token = join?.token;
  const sessionId = join?.sessionId;
  const name = join?.name;
  useEffect(() => {
    if (origin === undefined || token === undefined || sessionId === undefined || name === undefined) return;
    const created = createLiveConnection({
      origin,
      token,
      sessionId,
      name,
      activity: browserActivity(),
      schedule: nextAnimationFrame,
    });
    setConnection(created);
    return () => {
      created.close();
      setConnection(null);
    };
  }, [origin, token, sessionId, name]);
  const state = useSyncExternalStore(connection?.subscribe ?? noSubscription, connection?.get ?? idleState);
  return { connection, state };
}
