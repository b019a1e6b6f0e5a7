import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";
import type { FocusGroup, Message } from "@shared/contract";
import { hrefOf } from "../../router/routes";
import { Avatar } from "../personas/Avatar";
import { groupTranscript, type DraftMessage } from "./transcript-data";
import { SentimentDot } from "./SentimentDot";

/** Within this many pixels of the end, the transcript counts as "at the latest message". */
const BOTTOM_SLACK = 48;
const HIGHLIGHT_MS = 2500;

export interface HighlightRequest {
  messageId: string;
  /** Changes on every request, so asking for the same message twice scrolls twice. */
  nonce: number;
}

interface Props {
  group: FocusGroup;
  messages: readonly Message[];
  drafts: readonly DraftMessage[];
  latest: Message | null;
  running: boolean;
  highlight: HighlightRequest | null;
  onHighlight(messageId: string): void;
}

const prefersReducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

/**
 * The discussion as it happens: grouped by guide question, messages being written shown as
 * they stream, following the latest message until the user scrolls up ("Jump to latest" brings
 * it back). Only saved messages are announced to screen readers, never single tokens.
 */
export function Transcript({ group, messages, drafts, latest, running, highlight, onHighlight }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const speakerLabel = useSpeakerLabel();
  const titleId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const [pinned, setPinned] = useState(running);
  const pinnedRef = useRef(pinned);
  const [unseen, setUnseen] = useState(0);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const groups = useMemo(() => groupTranscript(messages, drafts, group.guide), [messages, drafts, group.guide]);
  const byId = useMemo(() => new Map(messages.map((message) => [message.id, message])), [messages]);
  const draftLength = drafts.reduce((sum, draft) => sum + draft.text.length, 0);

  const setPinnedTo = (value: boolean) => {
    pinnedRef.current = value;
    setPinned(value);
    if (value) setUnseen(0);
  };

  // Follow the newest content while pinned; count what arrives while the user reads further up.
  const seen = useRef(messages.length);
  const autoTop = useRef<number | null>(null);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (pinnedRef.current) {
      // The user may have scrolled up since our last autoscroll, with the scroll event not yet
      // delivered: their position wins over following the stream.
      const movedUp =
        autoTop.current !== null &&
        element.scrollTop < autoTop.current - BOTTOM_SLACK &&
        element.scrollHeight - element.clientHeight - element.scrollTop >= BOTTOM_SLACK;
      if (movedUp) {
        setPinnedTo(false);
      } else {
        element.scrollTop = element.scrollHeight;
        autoTop.current = element.scrollTop;
      }
    }
    const added = messages.length - seen.current;
    seen.current = messages.length;
    // Only what arrives live is "new"; loading a finished transcript is not.
    if (added > 0 && running && !pinnedRef.current) setUnseen((count) => count + added);
  }, [messages.length, draftLength, drafts.length, running]);

  // A run that starts while the page is open is followed from its first message.
  useEffect(() => {
    if (running) setPinnedTo(true);
  }, [running]);

  useEffect(() => {
    if (!highlight) return;
    const element = document.getElementById(`message-${highlight.messageId}`);
    if (!element) return;
    setPinnedTo(false);
    element.scrollIntoView({ block: "center", behavior: prefersReducedMotion() ? "auto" : "smooth" });
    element.focus({ preventScroll: true });
    setHighlighted(highlight.messageId);
    const timer = window.setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
    return () => window.clearTimeout(timer);
  }, [highlight]);

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
    // Instant: a smooth scroll racing content that keeps growing could stop short of the end.
    element.scrollTop = element.scrollHeight;
    autoTop.current = element.scrollTop;
    element.focus({ preventScroll: true });
  };

  const empty = messages.length === 0 && drafts.length === 0;

  return (
    <section className="card transcript" aria-labelledby={titleId} data-testid="transcript">
      <div className="transcript__head">
        <h2 id={titleId} className="section-title">
          {t("discussion.transcript")}
        </h2>
        <p className="muted">
          {t("discussion.messageCount", { count: messages.length, n: format.integer(messages.length) })}
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
          aria-busy={drafts.length > 0 || undefined}
        >
          {empty ? (
            <p className="transcript__empty muted">
              {running ? t("discussion.waitingFirst") : t("discussion.noMessages")}
            </p>
          ) : (
            groups.map((question) => (
              <section
                key={question.questionIndex}
                className="transcript-question"
                aria-labelledby={`${titleId}-q${question.questionIndex}`}
                data-testid="transcript-question"
              >
                <h3 id={`${titleId}-q${question.questionIndex}`} className="transcript-question__title">
                  <span className="transcript-question__number">
                    {t("discussion.questionN", { n: question.questionIndex + 1, total: group.guide.length })}
                  </span>
                  {question.question ? <span className="transcript-question__text">{question.question}</span> : null}
                </h3>
                <ol className="messages">
                  {question.entries.map((entry) =>
                    entry.kind === "message" ? (
                      <MessageItem
                        key={entry.message.id}
                        message={entry.message}
                        replyTo={entry.message.replyToId ? (byId.get(entry.message.replyToId) ?? null) : null}
                        highlighted={highlighted === entry.message.id}
                        onJump={onHighlight}
                      />
                    ) : (
                      <DraftItem key={entry.draft.unitKey} draft={entry.draft} />
                    ),
                  )}
                </ol>
              </section>
            ))
          )}
        </div>
        {!pinned && (running || unseen > 0) ? (
          <button type="button" className="button button--small jump-latest" onClick={jumpToLatest}>
            <span aria-hidden="true">↓</span>{" "}
            {unseen > 0
              ? t("discussion.jumpToLatestNew", { count: unseen, n: format.integer(unseen) })
              : t("discussion.jumpToLatest")}
          </button>
        ) : null}
      </div>
      <p className="visually-hidden" aria-live="polite" data-testid="transcript-announcer">
        {latest ? t("discussion.announce", { name: speakerLabel(latest), text: latest.text }) : ""}
      </p>
    </section>
  );
}

/** The moderator's name in the UI language (the server stores it in English). */
function useSpeakerLabel() {
  const { t } = useTranslation();
  return (message: Pick<Message, "speakerType" | "speakerName">) =>
    message.speakerType === "moderator" ? t("discussion.moderator") : message.speakerName;
}

function MessageItem({
  message,
  replyTo,
  highlighted,
  onJump,
}: {
  message: Message;
  replyTo: Message | null;
  highlighted: boolean;
  onJump(messageId: string): void;
}) {
  const { t } = useTranslation();
  const speakerLabel = useSpeakerLabel();
  const moderator = message.speakerType === "moderator";
  // Answers reply to the question above them; only replies to someone in particular say so.
  const showReply = replyTo !== null && replyTo.phase !== "question";
  return (
    <li
      id={`message-${message.id}`}
      className={`message message--${message.speakerType} message--${message.phase}${highlighted ? " message--highlighted" : ""}`}
      data-testid="message"
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
          {moderator || !message.personaId ? (
            <span className="message__speaker">{moderator ? t("discussion.moderator") : message.speakerName}</span>
          ) : (
            <a className="message__speaker" href={hrefOf({ page: "persona", id: message.personaId })}>
              {message.speakerName}
            </a>
          )}
          <MessageTags
            message={message}
            replyTo={showReply ? replyTo : null}
            replyName={speakerLabel}
            onJump={onJump}
          />
          {message.sentiment !== undefined ? <SentimentDot value={message.sentiment} /> : null}
        </div>
        <p className="message__text">{message.text}</p>
      </div>
    </li>
  );
}

/**
 * The tags after a message's speaker: its phase, who suggested it (a live session's whispered
 * probe) and whom it answers. Shared by the researcher's transcript and the live viewer's.
 */
export function MessageTags({
  message,
  replyTo,
  replyName,
  onJump,
}: {
  message: Pick<Message, "phase" | "round" | "suggestedBy">;
  replyTo: Message | null;
  replyName: (message: Message) => string;
  onJump: (id: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <span className={`badge badge--phase badge--phase-${message.phase}`}>
        {t(`discussion.phase.${message.phase}`, { round: message.round })}
      </span>
      {message.suggestedBy ? (
        <span className="badge badge--info" data-testid="suggested-by">
          {t("live.viewer.suggestedBy", { name: message.suggestedBy })}
        </span>
      ) : null}
      {replyTo ? (
        <button type="button" className="message__reply" onClick={() => onJump(replyTo.id)}>
          <span aria-hidden="true">↳ </span>
          {t("discussion.replyingTo", { name: replyName(replyTo) })}
        </button>
      ) : null}
    </>
  );
}

function DraftItem({ draft }: { draft: DraftMessage }) {
  const { t } = useTranslation();
  return (
    <li className="message message--persona message--draft" data-testid="draft-message">
      <Avatar name={draft.speakerName} />
      <div className="message__body">
        <div className="message__head">
          <span className="message__speaker">{draft.speakerName}</span>
          <span className="message__typing">
            <span className="typing-dots" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
            {t("discussion.writing")}
          </span>
        </div>
        <p className="message__text" data-testid="draft-text">
          {draft.text}
          <span className="message__caret" aria-hidden="true" />
        </p>
      </div>
    </li>
  );
}
