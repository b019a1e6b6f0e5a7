import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useConnection } from "../bridge/BridgeProvider";

/** Waits this long before saying "connecting", so a normal start shows nothing. */
const GRACE_MS = 1200;

export function ConnectionBanner() {
  const { t } = useTranslation();
  const { status, reason } = useConnection();
  const [graceOver, setGraceOver] = useState(false);

  useEffect(() => {
    if (status === "connected") {
      setGraceOver(false);
      return;
    }
    const timer = window.setTimeout(() => setGraceOver(true), status === "connecting" ? GRACE_MS : 0);
    return () => window.clearTimeout(timer);
  }, [status]);

  if (status === "connected" || !graceOver) return null;
  return (
    <div className={`connection-banner connection-banner--${status}`} role="status">
      {status === "reconnecting" || status === "connecting" ? <span className="spinner" aria-hidden="true" /> : null}
      <span>{t(`connection.${status}`)}</span>
      {reason && status === "disconnected" ? (
        <span className="connection-banner__reason">{t("connection.detail", { reason })}</span>
      ) : null}
    </div>
  );
}
