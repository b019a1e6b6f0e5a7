import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { LiveInvite, LiveRole, LiveSession, RouteOutput } from "@shared/contract";
import { useInvokeQuery } from "../../api/hooks";
import { ChoiceCards } from "../../components/ChoiceCards";
import { useNotify } from "../../components/notify";
import { ErrorState, Spinner, useErrorText } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { toast } from "../../stores/toasts";
import { Avatar } from "../personas/Avatar";
import { ConfirmDialog } from "../studies/ConfirmDialog";
import { isBridgeError } from "../../bridge/bridge";
import { inviteLinksFor, schemeOfLinks, type AppLinkScheme, type InviteLinks } from "@shared/live/invite-links";
import { useLiveSession } from "./use-live-session";
import "./live.css";

/** The lifetimes offered, in hours (a day is the default; a week is the longest an invite lives). */
const EXPIRIES = [
  { hours: 1, key: "h1" },
  { hours: 8, key: "h8" },
  { hours: 24, key: "h24" },
  { hours: 72, key: "h72" },
  { hours: 168, key: "d7" },
] as const;
const DEFAULT_EXPIRY = 24;
/**
 * The deep-link scheme of this build before an answer of live.createInvite says: unpackaged builds
 * register sight-dev:// (so they never steal the installed app's links); a dev server is the only
 * unpackaged build the renderer can tell.
 */
const DEFAULT_APP_LINK_SCHEME: AppLinkScheme = import.meta.env.DEV ? "sight-dev" : "sight";

type NetworkInterface = RouteOutput<"live.interfaces">[number];

interface CreatedInvite {
  invite: LiveInvite;
  sessionId: string;
  token: string;
  links: InviteLinks;
}

/** A re-render every `periodMs`, for "expired" states that change with time alone. */
function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), periodMs);
    return () => window.clearInterval(timer);
  }, [periodMs]);
  return now;
}

/** What teammates reach first: a LAN IPv4 address, else any IPv4, else whatever there is. */
function defaultInterface(interfaces: readonly NetworkInterface[]): NetworkInterface | undefined {
  return (
    interfaces.find((entry) => !entry.internal && entry.family === "IPv4") ??
    interfaces.find((entry) => entry.family === "IPv4") ??
    interfaces[0]
  );
}

/** "" is "any free port" (0); otherwise a port from 1 to 65535, or null when it is not one. */
function parsePort(value: string): number | null {
  const trimmed = value.trim();
  if (trimmed === "") return 0;
  if (!/^\d{1,5}$/.test(trimmed)) return null;
  const port = Number(trimmed);
  return port >= 1 && port <= 65535 ? port : null;
}

/** The header button: opens the panel, and says when the session is live and probes wait. */
export function LiveSessionButton({
  focusGroupId,
  open,
  controls,
  onToggle,
}: {
  focusGroupId: string;
  open: boolean;
  controls: string;
  onToggle(): void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const status = useInvokeQuery("live.status", { focusGroupId });
  const session = status.data?.session;
  const active = session?.status === "active";
  const waiting = active ? session.probes.filter((probe) => probe.status === "queued").length : 0;
  return (
    <button
      type="button"
      className="button"
      aria-expanded={open}
      aria-controls={controls}
      onClick={onToggle}
      data-testid="live-open"
    >
      {active ? <span className="live-badge__dot live-badge__dot--on" aria-hidden="true" /> : null}
      {t("live.host.open")}
      {active && session.viewers.length > 0 ? (
        <span className="badge badge--info live-button__count">
          {t("live.viewer.watchers", { count: session.viewers.length, n: format.integer(session.viewers.length) })}
        </span>
      ) : null}
      {waiting > 0 ? (
        <span className="badge badge--warn live-button__count">
          {t("live.host.waitingProbes", { count: waiting, n: format.integer(waiting) })}
        </span>
      ) : null}
    </button>
  );
}

/**
 * The researcher's side of a live session: where it is served, the invites (created, copied once,
 * revoked), who is watching, the co-moderators' probes to approve, and ending it for everyone.
 */
export function LiveSessionPanel({ focusGroupId, id, onClose }: { focusGroupId: string; id: string; onClose(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  const live = useLiveSession(focusGroupId);
  const session = live.status.data?.session ?? null;
  const active = session?.status === "active" ? session : null;
  const interfaces = useInvokeQuery("live.interfaces", {}, { staleTime: 5 * 60_000 });
  const [address, setAddress] = useState<string | null>(null);
  const [portText, setPortText] = useState("");
  const [method, setMethod] = useState<ShareMethod>("direct");
  const fallback = useMemo(() => defaultInterface(interfaces.data ?? [])?.address ?? null, [interfaces.data]);
  const chosenAddress = address ?? fallback;
  const port = parsePort(portText);
  const [confirmEnd, setConfirmEnd] = useState(false);

  const stateKey = active ? "active" : session ? "ended" : "none";
  return (
    <section id={id} className="card live-panel" aria-labelledby={titleId} data-testid="live-panel">
      <div className="live-panel__head">
        <h2 id={titleId} className="section-title live-panel__title">
          {t("live.host.title")}
          <span
            className={`badge live-badge${active ? " live-badge--on" : ""}`}
            data-testid="live-state"
            data-state={stateKey}
          >
            <span className="live-badge__dot" aria-hidden="true" />
            {t(`live.host.state.${stateKey}`)}
          </span>
        </h2>
        <button type="button" className="button button--quiet button--small" onClick={onClose}>
          {t("live.host.close")}
        </button>
      </div>
      <p className="muted">{t("live.host.intro")}</p>

      {live.status.isPending ? <Spinner label={t("app.loading")} /> : null}
      {live.status.isError ? <ErrorState error={live.status.error} onRetry={() => void live.status.refetch()} /> : null}
      {session?.status === "ended" && session.endedAt ? (
        <p className="notice notice--info" data-testid="live-ended-note">
          {t("live.host.endedNote", { relative: format.relative(session.endedAt) })}
        </p>
      ) : null}

      {live.status.isSuccess ? (
        <>
          <ShareSection
            active={active}
            method={method}
            onMethod={setMethod}
            interfaces={interfaces.data ?? null}
            interfacesError={interfaces.error}
            address={chosenAddress}
            onAddress={setAddress}
            portText={portText}
            onPortText={setPortText}
            portValid={port !== null}
            live={live}
          />
          <InviteSection
            focusGroupId={focusGroupId}
            session={session}
            active={active}
            method={method}
            address={chosenAddress}
            port={port}
            live={live}
          />
          {active ? (
            <>
              <InvitesTable session={active} live={live} />
              <WatchingNow session={active} />
              <ProbeQueue session={active} live={live} />
              <div className="live-panel__end">
                <button
                  type="button"
                  className="button button--danger-outline"
                  onClick={() => setConfirmEnd(true)}
                  data-testid="live-end"
                >
                  {t("live.host.end")}
                </button>
              </div>
            </>
          ) : null}
        </>
      ) : null}

      {confirmEnd && active ? (
        <ConfirmDialog
          title={t("live.host.endTitle")}
          body={t("live.host.endBody")}
          confirmLabel={t("live.host.endConfirm")}
          busyLabel={t("live.host.ending")}
          cancelLabel={t("app.cancel")}
          busy={live.end.isPending}
          onCancel={() => setConfirmEnd(false)}
          onConfirm={() => live.end.mutate({ sessionId: active.id }, { onSettled: () => setConfirmEnd(false) })}
        />
      ) : null}
    </section>
  );
}

type Live = ReturnType<typeof useLiveSession>;

type ShareMethod = "direct" | "relay";

/** Sight Cloud refusing to relay (not signed in, not configured) says what to do, not "AI provider". */
function useShareErrorText() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return (error: unknown, method: ShareMethod) => {
    const details = isBridgeError(error) ? (error.details as { service?: unknown } | undefined) : undefined;
    const cloud =
      method === "relay" &&
      isBridgeError(error) &&
      (error.code === "UNAUTHORIZED" || (error.code === "PROVIDER_UNAVAILABLE" && details?.service === "cloud"));
    return cloud
      ? { heading: t("live.host.relayUnavailableTitle"), message: t("live.host.relayUnavailableBody") }
      : errorText(error);
  };
}

function ShareSection({
  active,
  method,
  onMethod,
  interfaces,
  interfacesError,
  address,
  onAddress,
  portText,
  onPortText,
  portValid,
  live,
}: {
  active: LiveSession | null;
  method: ShareMethod;
  onMethod(method: ShareMethod): void;
  interfaces: readonly NetworkInterface[] | null;
  interfacesError: unknown;
  address: string | null;
  onAddress(address: string): void;
  portText: string;
  onPortText(value: string): void;
  portValid: boolean;
  live: Live;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const shareErrorText = useShareErrorText();
  const titleId = useId();
  const selectId = useId();
  const portId = useId();
  const direct = active?.direct ?? null;
  const relay = active?.relay ?? null;
  // Once one way is on, the choice left is the other way.
  const shown: ShareMethod = direct && !relay ? "relay" : relay && !direct ? "direct" : method;
  const serveError = live.serveDirect.error && !direct ? shareErrorText(live.serveDirect.error, "direct") : null;
  const relayError = live.publishRelay.error && !relay ? shareErrorText(live.publishRelay.error, "relay") : null;

  const start = () => {
    if (!active || !address || !portValid) return;
    live.serveDirect.mutate(
      { sessionId: active.id, address, port: parsePort(portText) ?? 0 },
      { onSuccess: () => notify.success(({ t }) => t("live.host.startedToast")) },
    );
  };
  const publish = () => {
    if (!active) return;
    live.publishRelay.mutate(
      { sessionId: active.id },
      { onSuccess: () => notify.success(({ t }) => t("live.host.relayStartedToast")) },
    );
  };

  return (
    <section className="live-panel__section" aria-labelledby={titleId} data-testid="live-share">
      <h3 id={titleId} className="live-panel__subtitle">
        {t("live.host.share")}
      </h3>
      {direct ? (
        <div className="live-serving" data-testid="live-serving">
          <p>
            <span className="live-badge__dot live-badge__dot--on" aria-hidden="true" />{" "}
            {t("live.host.serving", { url: direct.url })}
          </p>
          <button
            type="button"
            className="button button--small"
            disabled={live.stopDirect.isPending}
            onClick={() => active && live.stopDirect.mutate({ sessionId: active.id })}
          >
            {live.stopDirect.isPending ? t("live.host.stopping") : t("live.host.stop")}
          </button>
        </div>
      ) : null}
      {relay ? (
        <div className="live-serving" data-testid="live-relay">
          <p>
            <span className={`live-badge__dot${relay.connected ? " live-badge__dot--on" : ""}`} aria-hidden="true" />{" "}
            {t("live.host.relayOn", { url: relay.url })} (
            {relay.connected ? t("live.host.relayConnected") : t("live.host.relayDisconnected")})
          </p>
          <button
            type="button"
            className="button button--small"
            disabled={live.stopRelay.isPending}
            onClick={() => active && live.stopRelay.mutate({ sessionId: active.id })}
          >
            {live.stopRelay.isPending ? t("live.host.stopping") : t("live.host.relayStop")}
          </button>
        </div>
      ) : null}
      {direct && relay ? null : direct || relay ? (
        <div className="live-method">
          <p className="live-method__name">{t(shown === "relay" ? "live.host.alsoRelay" : "live.host.alsoDirect")}</p>
          <p className="muted">{t(shown === "relay" ? "live.host.relayBody" : "live.host.directBody")}</p>
        </div>
      ) : (
        <ChoiceCards<ShareMethod>
          legend={t("live.host.share")}
          legendHidden
          value={method}
          onChange={onMethod}
          choices={[
            { value: "direct", label: t("live.host.direct"), description: t("live.host.directBody") },
            { value: "relay", label: t("live.host.relay"), description: t("live.host.relayBody") },
          ]}
          testId="live-method"
        />
      )}
      {shown === "direct" && !direct ? (
        <>
          {interfacesError ? <ErrorState error={interfacesError} /> : null}
          {interfaces && interfaces.length === 0 ? <p className="muted">{t("live.host.noInterfaces")}</p> : null}
          {interfaces && interfaces.length > 0 ? (
            <div className="form-grid form-grid--two live-serve-form">
              <div className="field">
                <label className="field__label" htmlFor={selectId}>
                  {t("live.host.interface")}
                </label>
                <select
                  id={selectId}
                  className="select"
                  value={address ?? ""}
                  onChange={(event) => onAddress(event.target.value)}
                  data-testid="live-interface"
                >
                  {interfaces.map((entry) => (
                    <option key={`${entry.name}-${entry.address}`} value={entry.address}>
                      {t(entry.internal ? "live.host.interfaceLoopback" : "live.host.interfaceOption", {
                        address: entry.address,
                        name: entry.name,
                      })}
                    </option>
                  ))}
                </select>
              </div>
              <div className={`field${portValid ? "" : " field--invalid"}`}>
                <label className="field__label" htmlFor={portId}>
                  {t("live.host.port")}
                </label>
                <input
                  id={portId}
                  className="input input--short"
                  inputMode="numeric"
                  value={portText}
                  aria-invalid={portValid ? undefined : true}
                  aria-describedby={`${portId}-hint`}
                  onChange={(event) => onPortText(event.target.value)}
                  data-testid="live-port"
                />
                <p className={portValid ? "field__hint" : "field__error"} id={`${portId}-hint`}>
                  {portValid ? t("live.host.portHint") : t("live.host.portError")}
                </p>
              </div>
            </div>
          ) : null}
          {active ? (
            <div className="live-serving">
              <p className="muted">{t("live.host.notServing")}</p>
              <button
                type="button"
                className="button button--primary button--small"
                disabled={!address || !portValid || live.serveDirect.isPending}
                onClick={start}
                data-testid="live-start"
              >
                {live.serveDirect.isPending ? t("live.host.starting") : t("live.host.start")}
              </button>
            </div>
          ) : address ? (
            <p className="field__hint">{t("live.host.serveFirst", { address })}</p>
          ) : null}
        </>
      ) : null}
      {shown === "relay" && !relay ? (
        <>
          {active ? (
            <div className="live-serving">
              <p className="muted">{t("live.host.relayNotShared")}</p>
              <button
                type="button"
                className="button button--primary button--small"
                disabled={live.publishRelay.isPending}
                onClick={publish}
                data-testid="live-relay-start"
              >
                {live.publishRelay.isPending ? t("live.host.starting") : t("live.host.relayStart")}
              </button>
            </div>
          ) : (
            <p className="field__hint">{t("live.host.relayFirst")}</p>
          )}
        </>
      ) : null}
      {/* Who can watch, for each way that is on or about to be. */}
      {direct || (shown === "direct" && !relay) ? (
        <p className="notice notice--warn">{t("live.host.directWarning")}</p>
      ) : null}
      {relay || (shown === "relay" && !direct) ? (
        <p className="notice notice--warn">{t("live.host.relayWarning")}</p>
      ) : null}
      {serveError ? (
        <div className="notice notice--error" role="alert">
          <strong>{serveError.heading}</strong>
          <p>{serveError.message}</p>
        </div>
      ) : null}
      {relayError ? (
        <div className="notice notice--error" role="alert">
          <strong>{relayError.heading}</strong>
          <p>{relayError.message}</p>
        </div>
      ) : null}
    </section>
  );
}

function InviteSection({
  focusGroupId,
  session,
  active,
  method,
  address,
  port,
  live,
}: {
  focusGroupId: string;
  session: LiveSession | null;
  active: LiveSession | null;
  method: ShareMethod;
  address: string | null;
  port: number | null;
  live: Live;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const errorText = useErrorText();
  const titleId = useId();
  const labelId = useId();
  const [role, setRole] = useState<LiveRole>("viewer");
  const [hours, setHours] = useState<number>(DEFAULT_EXPIRY);
  const [label, setLabel] = useState("");
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const [scheme, setScheme] = useState<AppLinkScheme>(DEFAULT_APP_LINK_SCHEME);
  const [busy, setBusy] = useState(false);
  const error = live.createInvite.error ? errorText(live.createInvite.error) : null;
  // Ending the session ends its invites: their links are no use any more.
  const createdEnded = created !== null && session?.id === created.sessionId && session.status === "ended";
  useEffect(() => {
    if (createdEnded) setCreated(null);
  }, [createdEnded]);

  const create = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const out = await live.createInvite.mutateAsync({
        focusGroupId,
        role,
        label: label.trim(),
        expiresInHours: hours,
      });
      setScheme((known) => schemeOfLinks(out.links) ?? known);
      setCreated({ invite: out.invite, sessionId: out.invite.sessionId, token: out.token, links: out.links });
      setLabel("");
      notify.success(({ t }) => t("live.host.createdToast"), out.invite.label || undefined);
      // The first invite starts the session, which nothing serves yet: serve it the chosen way,
      // so the links of the invite just made work at once. A failure shows under "How teammates
      // connect", and the invite's links appear here once it is served.
      const served = out.links.browser.length > 0 || out.links.app.length > 0;
      if (!served && method === "direct" && address && port !== null) {
        await live.serveDirect
          .mutateAsync({ sessionId: out.invite.sessionId, address, port })
          .then(() => notify.success(({ t }) => t("live.host.startedToast")))
          .catch(() => undefined);
      }
      if (!served && method === "relay") {
        await live.publishRelay
          .mutateAsync({ sessionId: out.invite.sessionId })
          .then(() => notify.success(({ t }) => t("live.host.relayStartedToast")))
          .catch(() => undefined);
      }
    } catch {
      // live.createInvite.error says it below.
    } finally {
      setBusy(false);
    }
  };

  const sessionOfCreated = active && created && active.id === created.sessionId ? active : null;
  const links = created
    ? sessionOfCreated && (sessionOfCreated.direct || sessionOfCreated.relay)
      ? inviteLinksFor(
          created.sessionId,
          created.token,
          { relay: sessionOfCreated.relay?.url ?? null, direct: sessionOfCreated.direct?.url ?? null },
          scheme,
        )
      : created.links
    : null;

  return (
    <section className="live-panel__section" aria-labelledby={titleId} data-testid="live-create">
      <h3 id={titleId} className="live-panel__subtitle">
        {t("live.host.create")}
      </h3>
      <ChoiceCards<LiveRole>
        legend={t("live.host.role")}
        value={role}
        onChange={setRole}
        choices={(["viewer", "co-moderator"] as const).map((value) => ({
          value,
          label: t(`live.host.roles.${value}`),
          description: t(`live.host.roleHints.${value}`),
        }))}
        testId="live-role"
      />
      <ChoiceCards<number>
        legend={t("live.host.expiry")}
        variant="segmented"
        value={hours}
        onChange={setHours}
        choices={EXPIRIES.map(({ hours: value, key }) => ({ value, label: t(`live.host.expiries.${key}`) }))}
        testId="live-expiry"
      />
      <div className="field">
        <label className="field__label" htmlFor={labelId}>
          {t("live.host.label")}
        </label>
        <input
          id={labelId}
          className="input"
          type="text"
          maxLength={80}
          value={label}
          placeholder={t("live.host.labelPlaceholder")}
          aria-describedby={`${labelId}-hint`}
          onChange={(event) => setLabel(event.target.value)}
          data-testid="live-label"
        />
        <p className="field__hint" id={`${labelId}-hint`}>
          {t("live.host.labelHint")}
        </p>
      </div>
      <div className="button-row">
        <button
          type="button"
          className={created ? "button" : "button button--primary"}
          disabled={busy}
          onClick={() => void create()}
          data-testid="live-create-invite"
        >
          {busy ? t("live.host.creating") : t("live.host.createButton")}
        </button>
      </div>
      {error ? (
        <div className="notice notice--error" role="alert">
          <strong>{error.heading}</strong>
          <p>{error.message}</p>
        </div>
      ) : null}
      {created && links && !createdEnded ? <CreatedLinks links={links} onDone={() => setCreated(null)} /> : null}
    </section>
  );
}

function CreatedLinks({ links, onDone }: { links: InviteLinks; onDone(): void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const none = links.browser.length === 0 && links.app.length === 0;
  return (
    <div className="live-links" role="group" aria-labelledby={titleId} data-testid="live-links">
      <h4 id={titleId} className="live-links__title">
        {t("live.host.links")}
      </h4>
      <p className="notice notice--warn">{t("live.host.onlyOnce")}</p>
      {none ? <p className="muted">{t("live.host.noLinks")}</p> : null}
      {links.browser.map((url) => (
        <LinkRow
          key={url}
          label={t("live.host.browserLink")}
          hint={t("live.host.browserHint", { host: hostOf(url) })}
          url={url}
          testId="live-browser-link"
        />
      ))}
      {links.app.map((url) => (
        <LinkRow
          key={url}
          label={t("live.host.appLink")}
          hint={t("live.host.appHint")}
          url={url}
          testId="live-app-link"
        />
      ))}
      <div className="button-row">
        <button type="button" className="button button--small" onClick={onDone}>
          {t("live.host.dismissLinks")}
        </button>
      </div>
    </div>
  );
}

function LinkRow({ label, hint, url, testId }: { label: string; hint: string; url: string; testId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      toast.success(({ t }) => t("live.host.copied"));
    } catch {
      // No clipboard outside a secure context (a LAN address over http): select it for the user.
      input.current?.select();
      toast.error(({ t }) => t("live.host.copyFailed"));
    }
  };
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="path-row">
        <input
          ref={input}
          id={id}
          className="input share__url"
          type="text"
          readOnly
          spellCheck={false}
          value={url}
          aria-describedby={`${id}-hint`}
          onFocus={(event) => event.target.select()}
          data-testid={testId}
        />
        <button
          type="button"
          className="button"
          aria-label={t("live.host.copyLabel", { link: label })}
          onClick={() => void copy()}
        >
          {t("live.host.copy")}
        </button>
      </div>
      <p className="field__hint" id={`${id}-hint`}>
        {hint}
      </p>
    </div>
  );
}

function InvitesTable({ session, live }: { session: LiveSession; live: Live }) {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  const now = useNow(30_000);
  const [revoking, setRevoking] = useState<LiveInvite | null>(null);
  return (
    <section className="live-panel__section" aria-labelledby={titleId} data-testid="live-invites">
      <h3 id={titleId} className="live-panel__subtitle">
        {t("live.host.invites")}
      </h3>
      {session.invites.length === 0 ? (
        <p className="muted">{t("live.host.noInvites")}</p>
      ) : (
        <div className="live-table">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("live.host.columns.label")}</th>
                <th scope="col">{t("live.host.columns.role")}</th>
                <th scope="col">{t("live.host.columns.expires")}</th>
                <th scope="col" className="data-table__number">
                  {t("live.host.columns.connected")}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t("live.host.columns.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {session.invites.map((invite) => {
                const expired = new Date(invite.expiresAt).getTime() <= now;
                const usable = invite.revokedAt === null && !expired;
                const name = invite.label || t("live.host.unlabelled");
                return (
                  <tr key={invite.id} data-testid="live-invite" data-revoked={invite.revokedAt !== null || undefined}>
                    <th scope="row" className={invite.label ? undefined : "muted"}>
                      {name}
                    </th>
                    <td>{t(`live.host.roles.${invite.role}`)}</td>
                    <td>
                      {invite.revokedAt !== null ? (
                        <span className="badge">{t("live.host.revokedBadge")}</span>
                      ) : expired ? (
                        <span className="badge">{t("live.host.expired")}</span>
                      ) : (
                        <time dateTime={invite.expiresAt} title={format.dateTime(invite.expiresAt)}>
                          {format.relative(invite.expiresAt, now)}
                        </time>
                      )}
                    </td>
                    <td className="data-table__number">
                      {t("live.host.connected", { count: invite.connected, n: format.integer(invite.connected) })}
                    </td>
                    <td>
                      {usable ? (
                        <button
                          type="button"
                          className="button button--ghost-danger button--small"
                          aria-label={t("live.host.revokeLabel", { label: name })}
                          onClick={() => setRevoking(invite)}
                        >
                          {t("live.host.revoke")}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {revoking ? (
        <ConfirmDialog
          title={t("live.host.revokeTitle")}
          body={t("live.host.revokeBody")}
          confirmLabel={t("live.host.revokeConfirm")}
          busyLabel={t("live.host.revoking")}
          cancelLabel={t("app.cancel")}
          busy={live.revokeInvite.isPending}
          onCancel={() => setRevoking(null)}
          onConfirm={() => live.revokeInvite.mutate({ inviteId: revoking.id }, { onSettled: () => setRevoking(null) })}
        />
      ) : null}
    </section>
  );
}

function WatchingNow({ session }: { session: LiveSession }) {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  return (
    <section className="live-panel__section" aria-labelledby={titleId} data-testid="live-watching">
      <h3 id={titleId} className="live-panel__subtitle">
        {t("live.host.watching")} <span className="muted">{format.integer(session.viewers.length)}</span>
      </h3>
      {session.viewers.length === 0 ? (
        <p className="muted">{t("live.host.nobodyWatching")}</p>
      ) : (
        <ul className="live-watchers">
          {session.viewers.map((viewer) => (
            <li
              key={viewer.id}
              className={`live-watcher${viewer.state === "idle" ? " live-watcher--idle" : ""}`}
              data-testid="live-watcher"
              data-state={viewer.state}
            >
              <Avatar name={viewer.name} />
              <span className="live-watcher__who">
                <span className="live-watcher__name">{viewer.name}</span>
                <span className="muted">
                  {t(`live.host.roles.${viewer.role}`)} ·{" "}
                  {t("live.host.joined", { relative: format.relative(viewer.joinedAt) })}
                </span>
              </span>
              {viewer.state === "idle" ? <span className="badge">{t("live.host.idle")}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ProbeQueue({ session, live }: { session: LiveSession; live: Live }) {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  const queued = session.probes.filter((probe) => probe.status === "queued");
  const history = session.probes.filter((probe) => probe.status !== "queued").reverse();
  const deciding = live.decideProbe.isPending ? live.decideProbe.variables?.probeId : undefined;
  return (
    <section className="live-panel__section" aria-labelledby={titleId} data-testid="live-probes">
      <h3 id={titleId} className="live-panel__subtitle">
        {t("live.host.probes")}
      </h3>
      <label className="checkbox-row live-auto-approve">
        <input
          type="checkbox"
          className="checkbox"
          checked={session.autoApprove}
          disabled={live.setAutoApprove.isPending}
          aria-describedby={`${titleId}-auto`}
          onChange={(event) => live.setAutoApprove.mutate({ sessionId: session.id, autoApprove: event.target.checked })}
          data-testid="live-auto-approve"
        />
        {t("live.host.autoApprove")}
      </label>
      <p className="field__hint" id={`${titleId}-auto`}>
        {t("live.host.autoApproveHint")}
      </p>
      {queued.length === 0 ? (
        <p className="muted">{t("live.host.noProbes")}</p>
      ) : (
        <ul className="probe-list" aria-live="polite">
          {queued.map((probe) => (
            <li key={probe.id} className="probe-list__item probe-list__item--queued" data-testid="live-queued-probe">
              <div>
                <p className="probe-list__text">{probe.text}</p>
                <p className="muted probe-list__meta">
                  {t("live.host.probeFrom", { name: probe.suggestedBy, relative: format.relative(probe.createdAt) })}
                </p>
              </div>
              <div className="button-row">
                <button
                  type="button"
                  className="button button--primary button--small"
                  disabled={deciding === probe.id}
                  aria-label={t("live.host.approveLabel", { text: probe.text })}
                  onClick={() => live.decideProbe.mutate({ probeId: probe.id, decision: "approve" })}
                >
                  {t("live.host.approve")}
                </button>
                <button
                  type="button"
                  className="button button--small"
                  disabled={deciding === probe.id}
                  aria-label={t("live.host.rejectLabel", { text: probe.text })}
                  onClick={() => live.decideProbe.mutate({ probeId: probe.id, decision: "reject" })}
                >
                  {t("live.host.reject")}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {history.length > 0 ? (
        <details className="live-history">
          <summary>
            {t("live.host.history")} <span className="muted">{format.integer(history.length)}</span>
          </summary>
          <ul className="probe-list">
            {history.map((probe) => (
              <li key={probe.id} className="probe-list__item" data-status={probe.status}>
                <div>
                  <p className="probe-list__text">{probe.text}</p>
                  <p className="muted probe-list__meta">
                    {t("live.host.probeFrom", { name: probe.suggestedBy, relative: format.relative(probe.createdAt) })}
                  </p>
                </div>
                <span className={`badge probe-status probe-status--${probe.status}`}>
                  {t(`live.probe.status.${probe.status}`)}
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
