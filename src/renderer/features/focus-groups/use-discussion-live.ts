import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { EventPayload, Message } from "@shared/contract";
import { useBridge } from "../../bridge/BridgeProvider";
import { addMessageToCache, type DraftMessage } from "./transcript-data";

export interface LiveProgress {
  done: number;
  total: number;
  /** Where the discussion is, when the engine said (it is worded in the UI's language). */
  stage?: EventPayload<"discussion_updated">["stage"];
}

/**
 * The live side of a running discussion: the messages being written (token by token, flushed
 * once per frame), the progress the engine reports, and the latest saved message for the
 * screen-reader announcement. Saved messages also go straight into the transcript cache.
 */
export function useDiscussionLive(focusGroupId: string) {
  const bridge = useBridge();
  const client = useQueryClient();
  const buffer = useRef(new Map<string, DraftMessage>());
  const [drafts, setDrafts] = useState<DraftMessage[]>([]);
  const [progress, setProgress] = useState<LiveProgress | null>(null);
  const [latest, setLatest] = useState<Message | null>(null);

  useEffect(() => {
    const pending = buffer.current;
    let frame = 0;
    const flush = () => {
      frame = 0;
      setDrafts([...pending.values()].map((draft) => ({ ...draft })));
    };
    const schedule = () => {
      if (!frame) frame = window.requestAnimationFrame(flush);
    };
    const onToken = (event: EventPayload<"discussion.token">) => {
      if (event.focusGroupId !== focusGroupId) return;
      const draft = pending.get(event.unitKey);
      if (draft) draft.text += event.delta;
      else {
        pending.set(event.unitKey, {
          unitKey: event.unitKey,
          personaId: event.personaId,
          speakerName: event.speakerName,
          questionIndex: event.questionIndex,
          round: event.round,
          text: event.delta,
        });
      }
      schedule();
    };
    const offToken = bridge.on("discussion.token", onToken);
    const offSaved = bridge.on("persona_responded", ({ focusGroupId: id, unitKey, message }) => {
      if (id !== focusGroupId) return;
      addMessageToCache(client, message);
      pending.delete(unitKey);
      schedule();
      setLatest(message);
    });
    const offUpdated = bridge.on("discussion_updated", (event) => {
      if (event.focusGroupId === focusGroupId) setProgress({ ...event.progress, stage: event.stage });
    });
    return () => {
      offToken();
      offSaved();
      offUpdated();
      if (frame) window.cancelAnimationFrame(frame);
    };
  }, [bridge, client, focusGroupId]);

  /** Drops half-written messages: a paused or stopped run abandons them, and a resumed one restarts them. */
  const clearDrafts = useCallback(() => {
    buffer.current.clear();
    setDrafts([]);
  }, []);

  return { drafts, progress, latest, clearDrafts };
}
