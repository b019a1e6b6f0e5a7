import { events, type EventName, type EventPayload } from "../../../shared/contract";

export type AnyEventListener = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

/**
 * The one way services push events. In-process today; a Redis-backed implementation can sit
 * behind the same interface when live sessions span processes.
 */
export interface EventBus {
  emit<N extends EventName>(name: N, payload: EventPayload<N>): void;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
  onAny(listener: AnyEventListener): () => void;
}

export function createEventBus(onListenerError?: (error: unknown) => void): EventBus {
  const byName = new Map<EventName, Set<(payload: unknown) => void>>();
  const any = new Set<AnyEventListener>();
  const safely = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      onListenerError?.(error);
    }
  };
  return {
    emit(name, payload) {
      // Payloads are validated here so no subscriber ever sees a malformed event.
      const parsed = events[name].parse(payload) as EventPayload<typeof name>;
      for (const listener of byName.get(name) ?? []) safely(() => listener(parsed));
      for (const listener of any) safely(() => listener(name, parsed));
    },
    on(name, listener) {
      let set = byName.get(name);
      if (!set) byName.set(name, (set = new Set()));
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    onAny(listener) {
      any.add(listener);
      return () => any.delete(listener);
    },
  };
}
