/**
 * One CRM on the Integrations page. Test ids (the e2e suite drives these):
 *   crm-provider-<provider>          the card; data-state = not_configured | disconnected | pending | connected
 *   crm-not-configured-<provider>    why this build cannot connect it
 *   crm-connect-<provider>           Connect (disconnected)
 *   crm-salesforce-host              the login host choice (Salesforce, disconnected)
 *   crm-salesforce-host-custom       the My Domain address field
 *   crm-pending-<provider>           "Waiting for you to allow access in the browser…"
 *   crm-countdown-<provider>         time left on the consent page
 *   crm-open-consent-<provider>      link to the consent page (when no browser showed it, or again)
 *   crm-cancel-connect-<provider>    Cancel the pending sign-in
 *   crm-account-<provider>           the connected account's name
 *   crm-mapping-open-<provider>      Field mapping (connected)
 *   crm-disconnect-<provider>        Disconnect (opens a confirmation; its button is crm-disconnect-confirm)
 *   crm-not-revoked-<provider>       tokens deleted here, but the CRM could not be reached to revoke them
 *   crm-problem-<provider>           the last failed sign-in or call
 *   crm-breaker-<provider>           calls paused after repeated failures, or the daily API limit used up
 *   crm-reconnect-<provider>         Reconnect, when the CRM no longer accepts Sight's connection
 */
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CrmProviderId, CrmProviderStatus } from "@shared/contract";
import { useCancelConnect, useDisconnectCrm } from "../../api/crm";
import { ChoiceCards } from "../../components/ChoiceCards";
import { useNotify } from "../../components/notify";
import { Field } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { ConfirmDialog } from "../studies/ConfirmDialog";
import { CRM_NAMES, crmProblemText } from "./crm-error-text";
import { cardStateOf, countdownOf, type CrmCardState } from "./crm-status";
import {
  LOGIN_HOST_CHOICES,
  loginUrlOf,
  SALESFORCE_LOGIN_HOSTS,
  type LoginHostChoice,
  type LoginHostProblem,
} from "./login-host";
import { forgetConsentPage, useConnect, useConsentPage } from "./use-connect";

const STATE_BADGE: Record<CrmCardState, string> = {
  not_configured: "badge",
  disconnected: "badge",
  pending: "badge badge--info",
  connected: "badge badge--success",
};

export function ProviderCard({ status }: { status: CrmProviderStatus }) {
  const { t } = useTranslation();
  const now = useNow(status.pendingUntil ? 1000 : null);
  const state = cardStateOf(status, now);
  const titleId = useId();
  const { provider } = status;
  const crm = CRM_NAMES[provider];
  // Kept after the disconnect answers, until the card is connected again.
  const [unrevoked, setUnrevoked] = useState(false);
  const reconnectNeeded = state === "connected" && status.problem?.code === "reconnect_required";
  useEffect(() => {
    if (state === "connected" || state === "pending") setUnrevoked(false);
    // The consent page is kept across pages while it is pending, and only then.
    if (state !== "pending") forgetConsentPage(provider);
  }, [state, provider]);

  return (
    <section
      className="card crm-card"
      aria-labelledby={titleId}
      data-testid={`crm-provider-${provider}`}
      data-state={state}
    >
      <div className="crm-card__head">
        <h3 id={titleId} className="crm-card__name">
          <CrmLogo provider={provider} />
          {crm}
        </h3>
        <span
          className={reconnectNeeded ? "badge badge--warn" : STATE_BADGE[state]}
          data-testid={`crm-state-${provider}`}
        >
          {reconnectNeeded ? t("integrations.reconnectNeeded") : t(`integrations.state.${state}`)}
        </span>
      </div>
      <p className="muted crm-card__what">{t(`integrations.objects.${provider}`)}</p>

      {status.breaker === "open" ? (
        <p className="notice notice--warn" role="status" data-testid={`crm-breaker-${provider}`}>
          {t("integrations.breakerOpen", { crm })}
        </p>
      ) : status.breaker === "daily_limit" ? (
        <p className="notice notice--warn" role="status" data-testid={`crm-breaker-${provider}`}>
          {t("integrations.breakerDailyLimit", { crm })}
        </p>
      ) : status.breaker === "half_open" ? (
        <p className="notice notice--info" role="status" data-testid={`crm-breaker-${provider}`}>
          {t("integrations.breakerHalfOpen", { crm })}
        </p>
      ) : null}
      {status.problem && state !== "pending" ? <ProblemNotice provider={provider} problem={status.problem} /> : null}
      {unrevoked && state === "disconnected" ? (
        <p className="notice notice--warn" role="status" data-testid={`crm-not-revoked-${provider}`}>
          {t("integrations.notRevoked", { crm })}
        </p>
      ) : null}

      {state === "not_configured" ? (
        <NotConfigured status={status} />
      ) : state === "disconnected" ? (
        <Disconnected provider={provider} />
      ) : state === "pending" ? (
        <Pending provider={provider} until={status.pendingUntil!} now={now} />
      ) : (
        <Connected
          status={status}
          reconnect={status.problem?.code === "reconnect_required"}
          onUnrevoked={() => setUnrevoked(true)}
        />
      )}
    </section>
  );
}

function NotConfigured({ status }: { status: CrmProviderStatus }) {
  const { t } = useTranslation();
  const format = useFormat();
  const crm = CRM_NAMES[status.provider];
  // The reason is main's English (it names settings to set); other languages say it in general.
  const reason =
    format.language.startsWith("en") && status.notConfiguredReason
      ? status.notConfiguredReason
      : t("integrations.notConfigured", { crm });
  return (
    <p className="crm-card__body muted" data-testid={`crm-not-configured-${status.provider}`}>
      {reason}
    </p>
  );
}

function Disconnected({ provider }: { provider: CrmProviderId }) {
  const { t } = useTranslation();
  const { start, starting } = useConnect(provider);
  const crm = CRM_NAMES[provider];
  const [host, setHost] = useState<LoginHostChoice>("production");
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState<LoginHostProblem | null>(null);
  const customId = useId();

  const onConnect = () => {
    if (provider !== "salesforce") return start();
    const result = loginUrlOf(host, typed);
    if (!result.ok) {
      setProblem(result.problem);
      document.getElementById(customId)?.focus();
      return;
    }
    setProblem(null);
    start(result.url);
  };

  return (
    <div className="crm-card__body">
      <p>{t("integrations.connectIntro", { crm })}</p>
      {provider === "salesforce" ? (
        <div className="crm-host">
          <ChoiceCards
            legend={t("integrations.loginHost.legend")}
            variant="segmented"
            value={host}
            testId="crm-salesforce-host"
            choices={LOGIN_HOST_CHOICES.map((choice) => ({
              value: choice,
              label: t(`integrations.loginHost.${choice}`),
            }))}
            onChange={(choice) => {
              setHost(choice);
              setProblem(null);
            }}
          />
          {host === "custom" ? (
            <Field
              label={t("integrations.loginHost.customLabel")}
              hint={t("integrations.loginHost.customHint")}
              error={problem ? t(`integrations.loginHost.problems.${problem}`) : null}
              required
            >
              {({ describedBy, invalid }) => (
                <input
                  id={customId}
                  className="input"
                  type="url"
                  inputMode="url"
                  autoComplete="url"
                  spellCheck={false}
                  placeholder={t("integrations.loginHost.customPlaceholder")}
                  value={typed}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  data-testid="crm-salesforce-host-custom"
                  onChange={(event) => {
                    setTyped(event.target.value);
                    if (problem) setProblem(null);
                  }}
                  onBlur={() => {
                    const result = loginUrlOf("custom", typed);
                    setProblem(typed.trim() && !result.ok ? result.problem : null);
                  }}
                  onKeyDown={(event) => {
                    if (event.key === "Enter") {
                      event.preventDefault();
                      onConnect();
                    }
                  }}
                />
              )}
            </Field>
          ) : (
            <p className="field__hint">{t(`integrations.loginHost.${host}Hint`)}</p>
          )}
        </div>
      ) : null}
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          disabled={starting}
          data-testid={`crm-connect-${provider}`}
          onClick={onConnect}
        >
          {starting ? t("integrations.connecting", { crm }) : t("integrations.connect", { crm })}
        </button>
      </div>
    </div>
  );
}

function Pending({ provider, until, now }: { provider: CrmProviderId; until: string; now: number }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const crm = CRM_NAMES[provider];
  const page = useConsentPage(provider);
  const cancel = useCancelConnect({ onError: notify.error });
  const { start } = useConnect(provider);
  return (
    <div className="crm-card__body crm-pending" data-testid={`crm-pending-${provider}`}>
      <p className="crm-pending__title" role="status">
        <span className="spinner" aria-hidden="true" />
        {t("integrations.pendingTitle")}
      </p>
      <p>{t("integrations.pendingBody", { crm })}</p>
      <p className="muted">
        {t("integrations.timeLeft")}{" "}
        <time className="crm-pending__countdown" dateTime={until} data-testid={`crm-countdown-${provider}`}>
          {countdownOf(until, now)}
        </time>
      </p>
      {page && !page.shown ? <p>{t("integrations.notOpened", { crm })}</p> : null}
      <div className="button-row">
        {page ? (
          <a
            className={page.shown ? "button" : "button button--primary"}
            href={page.url}
            target="_blank"
            rel="noopener noreferrer"
            data-testid={`crm-open-consent-${provider}`}
          >
            {page.shown ? t("integrations.openAgain", { crm }) : t("integrations.openConsent", { crm })}
          </a>
        ) : (
          // The page's address is not known here (opened before a reload): asking again opens a new one.
          <button type="button" className="button" onClick={() => start()}>
            {t("integrations.startAgain")}
          </button>
        )}
        <button
          type="button"
          className="button button--danger-outline"
          disabled={cancel.isPending}
          data-testid={`crm-cancel-connect-${provider}`}
          onClick={() => {
            cancel.mutate({ provider });
            forgetConsentPage(provider);
          }}
        >
          {cancel.isPending ? t("integrations.cancelling") : t("integrations.cancelConnect")}
        </button>
      </div>
    </div>
  );
}

function Connected({
  status,
  reconnect,
  onUnrevoked,
}: {
  status: CrmProviderStatus;
  /** The CRM no longer accepts Sight's tokens: connecting again is the way on. */
  reconnect: boolean;
  onUnrevoked(): void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const { provider, account } = status;
  const crm = CRM_NAMES[provider];
  const [confirming, setConfirming] = useState(false);
  const { start, starting } = useConnect(provider);
  const disconnect = useDisconnectCrm({
    onSuccess: (result) => {
      setConfirming(false);
      if (!result.revoked) onUnrevoked();
      notify.success(({ t }) => t("integrations.disconnected", { crm }));
    },
    onError: (error) => {
      setConfirming(false);
      notify.error(error);
    },
  });
  return (
    <div className="crm-card__body">
      <dl className="facts">
        <div className="facts__row">
          <dt>{t("integrations.account")}</dt>
          <dd data-testid={`crm-account-${provider}`}>{account?.accountName ?? "—"}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("integrations.user")}</dt>
          <dd>{account?.userEmail ?? t("integrations.noEmail")}</dd>
        </div>
        {status.loginUrl ? (
          <div className="facts__row">
            <dt>{t("integrations.loginHost.legend")}</dt>
            <dd data-testid={`crm-login-host-${provider}`}>
              {status.loginUrl === SALESFORCE_LOGIN_HOSTS.sandbox
                ? t("integrations.loginHost.sandbox")
                : t("integrations.loginHost.custom")}{" "}
              <span className="muted">({new URL(status.loginUrl).host})</span>
            </dd>
          </div>
        ) : null}
        {status.connectedAt ? (
          <div className="facts__row">
            <dt>{t("integrations.connectedAt")}</dt>
            <dd>
              <time dateTime={status.connectedAt} title={format.relative(status.connectedAt)}>
                {format.dateTime(status.connectedAt)}
              </time>
            </dd>
          </div>
        ) : null}
      </dl>
      <div className="button-row">
        {reconnect ? (
          <button
            type="button"
            className="button button--primary"
            disabled={starting}
            data-testid={`crm-reconnect-${provider}`}
            // Back through the same login host: a sandbox's user does not exist in production.
            onClick={() => start(status.loginUrl ?? undefined)}
          >
            {starting ? t("integrations.connecting", { crm }) : t("integrations.reconnect", { crm })}
          </button>
        ) : null}
        <a
          className="button"
          href={hrefOf({ page: "crm-mapping", provider })}
          data-testid={`crm-mapping-open-${provider}`}
        >
          {t("integrations.mapping")}
        </a>
        <button
          type="button"
          className="button button--ghost-danger"
          aria-haspopup="dialog"
          data-testid={`crm-disconnect-${provider}`}
          onClick={() => setConfirming(true)}
        >
          {t("integrations.disconnect")}
        </button>
      </div>
      {confirming ? (
        <ConfirmDialog
          title={t("integrations.disconnectTitle", { crm })}
          body={t("integrations.disconnectBody", { crm })}
          confirmLabel={t("integrations.disconnectConfirm")}
          busyLabel={t("integrations.disconnecting")}
          cancelLabel={t("app.cancel")}
          busy={disconnect.isPending}
          confirmTestId="crm-disconnect-confirm"
          onCancel={() => setConfirming(false)}
          onConfirm={() => disconnect.mutate({ provider })}
        />
      ) : null}
    </div>
  );
}

function ProblemNotice({
  provider,
  problem,
}: {
  provider: CrmProviderId;
  problem: NonNullable<CrmProviderStatus["problem"]>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div
      className="notice notice--error"
      role="status"
      data-testid={`crm-problem-${provider}`}
      data-code={problem.code}
    >
      <strong>{t("integrations.problemTitle")}</strong>{" "}
      <span>{crmProblemText(t, format.language.startsWith("en"), provider, problem)}</span>{" "}
      <time className="muted" dateTime={problem.at}>
        {format.relative(problem.at)}
      </time>
    </div>
  );
}

/** A re-render every `periodMs` while it is not null (the countdown), else none. */
function useNow(periodMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (periodMs === null) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), periodMs);
    return () => window.clearInterval(timer);
  }, [periodMs]);
  return now;
}

/** The CRM's initial in a tile: a mark to tell the cards apart, not the brand's logo. */
function CrmLogo({ provider }: { provider: CrmProviderId }) {
  return (
    <span className={`crm-logo crm-logo--${provider}`} aria-hidden="true">
      {CRM_NAMES[provider][0]}
    </span>
  );
}
