import { LIVE_EVENTS_PER_PACKET, LIVE_MSG, type LiveEvent } from "../contract/live";

/** Anything socket.io can emit on: a socket, or a room of a namespace (`io.to(room)`). */
interface Emitter {
  emit(event: string, ...args: unknown[]): unknown;
}

/**
 * Sends events as `live:events` packets of at most LIVE_EVENTS_PER_PACKET, in seq order: events
 * published together are one packet, encoded once however many sockets it goes to.
 */
export function emitEvents(target: Emitter, events: readonly LiveEvent[]): void {
  for (let i = 0; i < events.length; i += LIVE_EVENTS_PER_PACKET)
    target.emit(LIVE_MSG.events, events.slice(i, i + LIVE_EVENTS_PER_PACKET));
}
