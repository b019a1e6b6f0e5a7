import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LANGUAGES, type Language } from "@shared/contract";
import type { LiveViewState } from "@shared/live/live-view-state";
import { Spinner, useDocumentTitle } from "../../components/ui";
import { applyLanguage, isLanguage, safeStorageGet, safeStorageSet } from "../../i18n";
import { useFormat } from "../../i18n/format";
import type { LiveConnection, LiveConnectionState, LivePhase } from "../../live/live-connection";
import { useLiveConnection } from "../../live/use-live-connection";
import type { ViewerJoin } from "../../live/viewer-link";
import { useThemeSync } from "../../theme/theme";
import { LiveTranscript } from "./LiveTranscript";
import { ProbeBox } from "./ProbeBox";
import { InsightsPanel, ParticipantsPanel, PresenceList, StageCard } from "./ViewerPanels";
import "./live.css";

const NAME_CACHE = "sight.live.name";
const MAX_NAME = 60;

interface Props {
  join: ViewerJoin;
  /** The browser viewer: no app around it, so it follows the OS theme and offers a language switch. */
  standalone?: boolean;
  /** The desktop app: back to the workspace. */
  onLeave?: () => void;
}

/**
 * A teammate watching a focus group live: asks the name others will see, connects with the
 * invite, and shows the session as it happens (transcript, participants, insights, who else is
 * watching) and, for co-moderators, a box to suggest probes. It reaches nothing but the live
 * session's own socket: no bridge, no workspace.
 */
export function ViewerApp({ join, standalone = false, onLeave }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState<string | null>(null);
  useDocumentTitle(t("live.viewer.title"));
  return (
    <ViewerShell standalone={standalone} onLeave={onLeave}>
      {join.token === null ? (
        <Refusal title={t("live.refused.INVITE_MISSING.title")} body={t("live.refused.INVITE_MISSING.body")} />
      ) : name === null ? (
        <NameStep onJoin={setName} />
      ) : (
        <ConnectedViewer origin={join.origin} token={join.token} sessionId={join.sessionId} name={name} />
      )}
    </ViewerShell>
  );
}

function ViewerShell({
  standalone,
  onLeave,
  children,
}: {
  standalone: boolean;
  onLeave: (() => void) | undefined;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="viewer">
      {standalone ? <StandaloneTheme /> : null}
      <header className="app-header viewer__bar">
        <span className="brand">
          <span className="brand__mark" aria-hidden="true" />
          <span className="brand__name">{t("app.name")}</span>
        </span>
        <span className="viewer__bar-title">{t("live.viewer.title")}</span>
        <span className="viewer__bar-end">
          {standalone ? <LanguageSwitch /> : null}
          {onLeave ? (
            <button type="button" className="button button--small" onClick={onLeave}>
              {t("live.viewer.leave")}
            </button>
          ) : null}
        </span>
      </header>
      <main id="main" className="viewer__main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** The browser viewer has no preferences to read: the theme follows the OS (or the last one used here). */
function StandaloneTheme() {
  useThemeSync(undefined);
  return null;
}

const LANGUAGE_NAMES: Record<Language, string> = { en: "English", pl: "Polski" };

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const current = isLanguage(i18n.language) ? i18n.language : "en";
  return (
    <span className="viewer__language">
      <label className="visually-hidden" htmlFor={id}>
        {t("live.viewer.language")}
      </label>
      <select
        id={id}
        className="select select--small"
        value={current}
        onChange={(event) => {
          if (isLanguage(event.target.value)) applyLanguage(event.target.value);
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language}>
            {LANGUAGE_NAMES[language]}
          </option>
        ))}
      </select>
    </span>
  );
}

/** The name others see in presence: asked once, remembered on this device for next time. */
function NameStep({ onJoin }: { onJoin(name: string): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [value, setValue] = useState(() => safeStorageGet(NAME_CACHE) ?? "");
  const [error, setError] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = value.trim();
    if (name.length < 1 || name.length > MAX_NAME) {
      setError(true);
      input.current?.focus();
      return;
    }
    safeStorageSet(NAME_CACHE, name);
    onJoin(name);
  };
  return (
    <form className="card viewer-join" onSubmit={submit} noValidate>
      <h1 className="viewer-join__title">{t("live.viewer.joinTitle")}</h1>
      <div className={`field${error ? " field--invalid" : ""}`}>
        <label className="field__label" htmlFor={id}>
          {t("live.viewer.name")}
        </label>
        <input
          ref={input}
          id={id}
          className="input"
          type="text"
          autoComplete="name"
          maxLength={MAX_NAME + 20}
          value={value}
          placeholder={t("live.viewer.namePlaceholder")}
          aria-invalid={error || undefined}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
          onChange={(event) => {
            setValue(event.target.value);
            if (error) setError(false);
          }}
        />
        <p className="field__hint" id={`${id}-hint`}>
          {t("live.viewer.joinIntro")}
        </p>
        {error ? (
          <p className="field__error" id={`${id}-error`}>
            {t("live.viewer.nameError")}
          </p>
        ) : null}
      </div>
      <div className="button-row">
        <button type="submit" className="button button--primary">
          {t("live.viewer.join")}
        </button>
      </div>
    </form>
  );
}

function ConnectedViewer({
  origin,
  token,
  sessionId,
  name,
}: {
  origin: string;
  token: string;
  sessionId: string;
  name: string;
}) {
  const { connection, state } = useLiveConnection({ origin, token, sessionId, name });
  const { phase, view } = state;
  if (!view) return <BeforeLive phase={phase} origin={origin} />;
  return <LiveView view={view} state={state} connection={connection} name={name} />;
}

function BeforeLive({ phase, origin }: { phase: LivePhase; origin: string }) {
  const { t } = useTranslation();
  if (phase.kind === "refused")
    return <Refusal title={t(`live.refused.${phase.code}.title`)} body={t(`live.refused.${phase.code}.body`)} />;
  if (phase.kind === "closed")
    return <Refusal title={t(`live.closed.${phase.reason}.title`)} body={t(`live.closed.${phase.reason}.body`)} />;
  const attempts = phase.kind === "connecting" ? phase.attempts : 0;
  const lastError = phase.kind === "connecting" || phase.kind === "reconnecting" ? phase.lastError : null;
  return (
    <div className="card viewer-state" data-testid="viewer-connecting">
      <Spinner label={t("live.viewer.connecting")} />
      {attempts >= 3 ? (
        <p className="muted">
          {t("live.viewer.stillTrying", { host: hostOf(origin) })}
          {lastError ? (
            <>
              {" "}
              <span>{t("live.viewer.lastError", { reason: lastError })}</span>
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}

function Refusal({ title, body }: { title: string; body: string }) {
  return (
    <div className="error-state viewer-state" role="alert" data-testid="viewer-refused">
      <h1 className="error-state__title">{title}</h1>
      <p className="error-state__body">{body}</p>
    </div>
  );
}

function LiveView({
  view,
  state,
  connection,
  name,
}: {
  view: LiveViewState;
  state: LiveConnectionState;
  connection: LiveConnection | null;
  name: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { phase } = state;
  const group = view.focusGroup;
  useDocumentTitle(group.name);
  const coModerator = view.role === "co-moderator";
  const ended = phase.kind === "closed" || phase.kind === "refused";
  return (
    <div className="viewer-live" data-testid="viewer-live">
      <PhaseBanner phase={phase} />
      <header className="card viewer-head">
        <div className="viewer-head__text">
          <h1 className="page-header__title viewer-head__title">
            {group.name}
            <span
              className={`badge live-badge${!ended && group.status === "running" ? " live-badge--on" : ""}`}
              data-testid="live-badge"
            >
              <span className="live-badge__dot" aria-hidden="true" />
              {t("live.viewer.live")}
            </span>
            <span className={`badge badge--status badge--status-${group.status}`} data-testid="viewer-status">
              {t(`studies.status.${group.status}`)}
            </span>
          </h1>
          <p className="muted viewer-head__you">
            {t("live.viewer.you", { name, role: t(`live.viewer.roles.${view.role}`) })}
            {" · "}
            {t("live.viewer.expires", { relative: format.relative(view.expiresAt) })}
          </p>
        </div>
        <PresenceList viewers={view.viewers} you={view.you} />
      </header>
      <StageCard view={view} />
      <div className="viewer-grid">
        <LiveTranscript view={view} />
        <div className="viewer-grid__aside">
          {coModerator ? (
            <ProbeBox
              connection={connection}
              probes={view.probes}
              mine={state.myProbeIds}
              disabled={ended || phase.kind !== "live"}
            />
          ) : null}
          <ParticipantsPanel participants={view.participants} />
          <InsightsPanel insights={view.insights} />
        </div>
      </div>
    </div>
  );
}

function PhaseBanner({ phase }: { phase: LivePhase }) {
  const { t } = useTranslation();
  if (phase.kind === "reconnecting")
    return (
      <div className="connection-banner viewer-banner" role="status" data-testid="viewer-reconnecting">
        <span className="spinner" aria-hidden="true" />
        <span>{t("live.viewer.reconnecting")}</span>
      </div>
    );
  if (phase.kind === "closed" || phase.kind === "refused") {
    const title =
      phase.kind === "closed" ? t(`live.closed.${phase.reason}.title`) : t(`live.refused.${phase.code}.title`);
    const body = phase.kind === "closed" ? t(`live.closed.${phase.reason}.body`) : t(`live.refused.${phase.code}.body`);
    return (
      <div className="notice notice--error viewer-banner" role="alert" data-testid="viewer-closed">
        <strong>{title}</strong> <span>{body}</span>
      </div>
    );
  }
  return null;
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}
