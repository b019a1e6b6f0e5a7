import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";
import type { Insight, Message, Persona } from "@shared/contract";
import { usePersonaSummary } from "../personas/labels";

/** Quotes shown before "Show all". */
const QUOTES_SHOWN = 3;
const QUOTE_LENGTH = 320;
/** Kinds the analysis finds question by question (the others span the whole discussion). */
const PER_QUESTION_KINDS: ReadonlySet<Insight["kind"]> = new Set(["theme", "agreement", "disagreement"]);

export interface EvidenceContext {
  messagesById: ReadonlyMap<string, Message>;
  personasById: ReadonlyMap<string, Persona>;
  dimensionOrder: readonly string[];
  onShowMessage(messageId: string): void;
}

/** A list of insights of one kind: title, text, and the quotes that support each. */
export function InsightList({
  items,
  evidence,
  quotesOpen,
}: {
  items: readonly Insight[];
  evidence: EvidenceContext;
  /** Themes show their quotes; other kinds keep them behind "Evidence". */
  quotesOpen: boolean;
}) {
  return (
    <ul className="insights">
      {items.map((insight) => (
        <li key={insight.id} className={`insight insight--${insight.kind}`} data-testid={`insight-${insight.kind}`}>
          <h4 className="insight__title">
            {insight.title}
            {PER_QUESTION_KINDS.has(insight.kind) ? (
              <QuestionTag ids={insight.evidence} messagesById={evidence.messagesById} />
            ) : null}
          </h4>
          <p className="insight__text">{insight.text}</p>
          {insight.evidence.length > 0 ? (
            <Evidence ids={insight.evidence} context={evidence} open={quotesOpen} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * "Q2", or "Q1 Q3" for a theme that came up under several questions: the guide questions its
 * quotes come from, in order.
 */
function QuestionTag({ ids, messagesById }: { ids: readonly string[]; messagesById: ReadonlyMap<string, Message> }) {
  const { t } = useTranslation();
  const questions = [...new Set(ids.flatMap((id) => messagesById.get(id)?.questionIndex ?? []))].sort((a, b) => a - b);
  if (questions.length === 0) return null;
  return (
    <span className="insight__questions" data-testid="insight-questions">
      {questions.map((index) => (
        <span key={index} className="badge insight__question">
          {t("analysis.questionShort", { n: index + 1 })}
        </span>
      ))}
    </span>
  );
}

function Evidence({ ids, context, open }: { ids: readonly string[]; context: EvidenceContext; open: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [all, setAll] = useState(false);
  const messages = ids.flatMap((id) => {
    const message = context.messagesById.get(id);
    return message ? [message] : [];
  });
  if (messages.length === 0) return null;
  const shown = all ? messages : messages.slice(0, QUOTES_SHOWN);
  const quotes = (
    <>
      <ul className="quotes">
        {shown.map((message) => (
          <li key={message.id}>
            <Quote message={message} context={context} />
          </li>
        ))}
      </ul>
      {messages.length > QUOTES_SHOWN ? (
        <button type="button" className="button button--quiet button--small" onClick={() => setAll(!all)}>
          {all
            ? t("analysis.fewerQuotes")
            : t("analysis.allQuotes", { count: messages.length, n: format.integer(messages.length) })}
        </button>
      ) : null}
    </>
  );
  if (open) return quotes;
  return (
    <details className="insight__evidence">
      <summary>{t("analysis.evidence", { count: messages.length })}</summary>
      {quotes}
    </details>
  );
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > QUOTE_LENGTH ? `${flat.slice(0, QUOTE_LENGTH - 1).trimEnd()}…` : flat;
}

/** A participant's words with who said them; the whole quote leads to the message in the transcript. */
function Quote({ message, context }: { message: Message; context: EvidenceContext }) {
  const { t } = useTranslation();
  const summary = usePersonaSummary();
  const persona = message.personaId ? context.personasById.get(message.personaId) : undefined;
  const speaker = message.speakerType === "moderator" ? t("discussion.moderator") : message.speakerName;
  return (
    <figure className="quote" data-testid="evidence-quote">
      <blockquote className="quote__text">{excerpt(message.text)}</blockquote>
      <figcaption className="quote__who">
        <span className="quote__name" data-testid="quote-speaker">
          {speaker}
        </span>
        {persona ? <span className="quote__facts">{summary(persona, context.dimensionOrder)}</span> : null}
        <button type="button" className="quote__jump" onClick={() => context.onShowMessage(message.id)}>
          {t("analysis.showInTranscript")}
        </button>
      </figcaption>
    </figure>
  );
}
