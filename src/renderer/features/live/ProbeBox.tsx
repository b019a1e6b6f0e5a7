import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { probeInputSchema, type LiveProbe } from "@shared/contract";
import type { LiveConnection, ProbeResult } from "../../live/live-connection";
import { useFormat } from "../../i18n/format";

const MIN_PROBE = probeInputSchema.shape.text.minLength ?? 3;
const MAX_PROBE = probeInputSchema.shape.text.maxLength ?? 500;

type Feedback = { kind: "sent" } | { kind: "error"; text: string } | null;

/**
 * A co-moderator's whisper to the host: a probe for the moderator's next turn. Enter (or
 * Ctrl+Enter) sends, Shift+Enter breaks the line; the host approves or rejects it, and the list
 * below follows each of this viewer's probes from queued to asked.
 */
export function ProbeBox({
  connection,
  probes,
  mine,
  disabled,
}: {
  connection: LiveConnection | null;
  probes: readonly LiveProbe[];
  mine: readonly string[];
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const titleId = useId();
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const ownIds = new Set(mine);
  const own = probes.filter((probe) => ownIds.has(probe.id));

  const failureText = (result: Extract<ProbeResult, { ok: false }>) => {
    if (result.code === "OFFLINE") return t("live.probe.offline");
    if (result.code === "TIMEOUT") return t("live.probe.timeout");
    // The server's words are English; in another language its code says it instead.
    const english = format.language.startsWith("en");
    return english && result.message ? result.message : t(`live.refused.${result.code}.body`);
  };

  const send = async () => {
    if (sending || disabled || !connection) return;
    const trimmed = text.trim();
    if (trimmed.length < MIN_PROBE) {
      setInvalid(t("live.probe.tooShort", { count: MIN_PROBE, min: format.integer(MIN_PROBE) }));
      return;
    }
    if (trimmed.length > MAX_PROBE) {
      setInvalid(t("live.probe.tooLong", { count: MAX_PROBE, max: format.integer(MAX_PROBE) }));
      return;
    }
    setInvalid(null);
    setSending(true);
    setFeedback(null);
    const result = await connection.sendProbe(trimmed);
    setSending(false);
    if (result.ok) {
      setText("");
      setFeedback({ kind: "sent" });
    } else {
      setFeedback({ kind: "error", text: failureText(result) });
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void send();
  };

  const describedBy = [`${id}-hint`, invalid ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <section className="card viewer-side probe-box" aria-labelledby={titleId} data-testid="probe-box">
      <h2 id={titleId} className="section-title">
        {t("live.probe.title")}
      </h2>
      <p className="muted probe-box__intro">{t("live.probe.intro")}</p>
      <form onSubmit={onSubmit} noValidate>
        <div className={`field${invalid ? " field--invalid" : ""}`}>
          <label className="field__label" htmlFor={id}>
            {t("live.probe.label")}
          </label>
          <textarea
            id={id}
            className="textarea"
            rows={3}
            value={text}
            placeholder={t("live.probe.placeholder")}
            disabled={disabled}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={describedBy}
            onChange={(event) => {
              setText(event.target.value);
              if (invalid) setInvalid(null);
              if (feedback) setFeedback(null);
            }}
            onKeyDown={onKeyDown}
            data-testid="probe-input"
          />
          <p className="field__hint" id={`${id}-hint`}>
            {t("live.probe.hint")}
          </p>
          {invalid ? (
            <p className="field__error" id={`${id}-error`}>
              {invalid}
            </p>
          ) : null}
        </div>
        <div className="button-row probe-box__actions">
          <button type="submit" className="button button--primary" disabled={disabled || sending}>
            {sending ? t("live.probe.sending") : t("live.probe.send")}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {feedback?.kind === "sent" ? (
          <p className="notice notice--success" data-testid="probe-sent">
            {t("live.probe.sent")}
          </p>
        ) : null}
        {feedback?.kind === "error" ? (
          <p className="notice notice--error" role="alert" data-testid="probe-error">
            {feedback.text}
          </p>
        ) : null}
      </div>
      <h3 className="probe-box__subtitle">{t("live.probe.yours")}</h3>
      {own.length === 0 ? (
        <p className="muted">{t("live.probe.none")}</p>
      ) : (
        <ul className="probe-list" data-testid="my-probes">
          {own.map((probe) => (
            <li key={probe.id} className="probe-list__item" data-status={probe.status}>
              <p className="probe-list__text">{probe.text}</p>
              <span className={`badge probe-status probe-status--${probe.status}`}>
                {t(`live.probe.status.${probe.status}`)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
