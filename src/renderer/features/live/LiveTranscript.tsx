import { useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "@shared/contract";
import type { LiveViewState, StreamingText } from "@shared/live/live-view-state";
import { useFormat } from "../../i18n/format";
import { Avatar } from "../personas/Avatar";
import { MessageTags } from "../focus-groups/Transcript";

/** Within this many pixels of the end, the transcript counts as "at the latest message". */
const BOTTOM_SLACK = 48;

type Entry = { kind: "message"; message: Message } | { kind: "streaming"; draft: StreamingText };

interface QuestionGroup {
  questionIndex: number;
  question: string | null;
  entries: Entry[];
}

/** Saved messages by guide question in speaking order, then what is being written under its question. */
function groupLive(view: LiveViewState): QuestionGroup[] {
  const groups = new Map<number, QuestionGroup>();
  const groupOf = (questionIndex: number) => {
    let group = groups.get(questionIndex);
    if (!group) {
      group = { questionIndex, question: view.focusGroup.guide[questionIndex]?.question ?? null, entries: [] };
      groups.set(questionIndex, group);
    }
    return group;
  };
  for (const message of view.messages) groupOf(message.questionIndex).entries.push({ kind: "message", message });
  const fallback = view.focusGroup.stage?.questionIndex ?? view.messages.at(-1)?.questionIndex ?? 0;
  for (const draft of view.streaming)
    groupOf(draft.questionIndex ?? fallback).entries.push({ kind: "streaming", draft });
  return [...groups.values()].sort((a, b) => a.questionIndex - b.questionIndex);
}

/**
 * The discussion as the viewer receives it, in the focus group page's look: grouped by question,
 * text being written shown as it streams, following the end until the viewer scrolls up. Only
 * saved messages are announced to screen readers, never single tokens.
 */
export function LiveTranscript({ view }: { view: LiveViewState }) {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const [pinned, setPinned] = useState(true);
  const pinnedRef = useRef(true);
  const groups = useMemo(() => groupLive(view), [view]);
  const byId = useMemo(() => new Map(view.messages.map((message) => [message.id, message])), [view.messages]);
  const streamedLength = view.streaming.reduce((sum, draft) => sum + draft.text.length, 0);
  const running = view.focusGroup.status === "running";
  const latest = view.messages.at(-1) ?? null;

  const setPinnedTo = (value: boolean) => {
    pinnedRef.current = value;
    setPinned(value);
  };

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && pinnedRef.current) element.scrollTop = element.scrollHeight;
  }, [view.messages.length, view.streaming.length, streamedLength]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < BOTTOM_SLACK;
    if (atBottom !== pinnedRef.current) setPinnedTo(atBottom);
  };

  const jumpToLatest = () => {
    const element = scroller.current;
    if (!element) return;
    setPinnedTo(true);
    element.scrollTop = element.scrollHeight;
    element.focus({ preventScroll: true });
  };

  const jumpTo = (messageId: string) => {
    const element = document.getElementById(`live-message-${messageId}`);
    if (!element) return;
    setPinnedTo(false);
    element.scrollIntoView({ block: "center" });
    element.focus({ preventScroll: true });
  };

  const speaker = (message: Pick<Message, "speakerType" | "speakerName">) =>
    message.speakerType === "moderator" ? t("discussion.moderator") : message.speakerName;
  const empty = view.messages.length === 0 && view.streaming.length === 0;

  return (
    <section className="card transcript" aria-labelledby={titleId} data-testid="live-transcript">
      <div className="transcript__head">
        <h2 id={titleId} className="section-title">
          {t("discussion.transcript")}
        </h2>
        <p className="muted">
          {t("discussion.messageCount", { count: view.messages.length, n: format.integer(view.messages.length) })}
        </p>
      </div>
      <div className="transcript__frame">
        <div
          ref={scroller}
          className="transcript__scroller"
          onScroll={onScroll}
          tabIndex={0}
          role="region"
          aria-label={t("discussion.transcriptRegion")}
          aria-busy={view.streaming.length > 0 || undefined}
        >
          {empty ? (
            <p className="transcript__empty muted">
              {running ? t("live.viewer.waitingFirst") : t("live.viewer.noMessages")}
            </p>
          ) : (
            groups.map((group) => (
              <section
                key={group.questionIndex}
                className="transcript-question"
                aria-labelledby={`${titleId}-q${group.questionIndex}`}
              >
                <h3 id={`${titleId}-q${group.questionIndex}`} className="transcript-question__title">
                  <span className="transcript-question__number">
                    {t("discussion.questionN", {
                      n: group.questionIndex + 1,
                      total: view.focusGroup.guide.length,
                    })}
                  </span>
                  {group.question ? <span className="transcript-question__text">{group.question}</span> : null}
                </h3>
                <ol className="messages">
                  {group.entries.map((entry) =>
                    entry.kind === "message" ? (
                      <LiveMessage
                        key={entry.message.id}
                        message={entry.message}
                        replyTo={entry.message.replyToId ? (byId.get(entry.message.replyToId) ?? null) : null}
                        speaker={speaker}
                        onJump={jumpTo}
                      />
                    ) : (
                      <StreamingMessage key={entry.draft.unitKey} draft={entry.draft} />
                    ),
                  )}
                </ol>
              </section>
            ))
          )}
        </div>
        {!pinned ? (
          <button type="button" className="button button--small jump-latest" onClick={jumpToLatest}>
            <span aria-hidden="true">↓</span> {t("discussion.jumpToLatest")}
          </button>
        ) : null}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {latest ? t("discussion.announce", { name: speaker(latest), text: latest.text }) : ""}
      </p>
    </section>
  );
}

function LiveMessage({
  message,
  replyTo,
  speaker,
  onJump,
}: {
  message: Message;
  replyTo: Message | null;
  speaker(message: Pick<Message, "speakerType" | "speakerName">): string;
  onJump(messageId: string): void;
}) {
  const moderator = message.speakerType === "moderator";
  const showReply = replyTo !== null && replyTo.phase !== "question";
  return (
    <li
      id={`live-message-${message.id}`}
      className={`message message--${message.speakerType} message--${message.phase}`}
      data-testid="live-message"
      data-phase={message.phase}
      tabIndex={-1}
    >
      {moderator ? (
        <span className="message__avatar message__avatar--moderator" aria-hidden="true">
          M
        </span>
      ) : (
        <Avatar name={message.speakerName} />
      )}
      <div className="message__body">
        <div className="message__head">
          <span className="message__speaker">{speaker(message)}</span>
          <MessageTags message={message} replyTo={showReply ? replyTo : null} replyName={speaker} onJump={onJump} />
        </div>
        <p className="message__text">{message.text}</p>
      </div>
    </li>
  );
}

function StreamingMessage({ draft }: { draft: StreamingText }) {
  const { t } = useTranslation();
  // Only personas speak with an id; a line without one is the moderator's.
  const moderator = draft.personaId === undefined;
  return (
    <li
      className={`message message--${moderator ? "moderator" : "persona"} message--draft`}
      data-testid="live-streaming"
    >
      {moderator ? (
        <span className="message__avatar message__avatar--moderator" aria-hidden="true">
          M
        </span>
      ) : (
        <Avatar name={draft.speakerName} />
      )}
      <div className="message__body">
        <div className="message__head">
          <span className="message__speaker">{moderator ? t("discussion.moderator") : draft.speakerName}</span>
          <span className="message__typing">
            <span className="typing-dots" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
            {t("discussion.writing")}
          </span>
        </div>
        <p className="message__text">
          {draft.text}
          <span className="message__caret" aria-hidden="true" />
        </p>
      </div>
    </li>
  );
}
