import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useHostKind } from "../../api/exports";
import { useInvokeMutation } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { ConfirmDialog } from "../studies/ConfirmDialog";

/**
 * Share links are signed, so one that leaked keeps working until it expires, unless every link
 * is revoked at once (a new signing key). Only the web host serves links, so only it shows this.
 */
export function ShareLinksCard() {
  const { t } = useTranslation();
  const notify = useNotify();
  const titleId = useId();
  const host = useHostKind();
  const [asking, setAsking] = useState(false);
  const revoke = useInvokeMutation("exports.revokeShareLinks", {
    onSuccess: (result) => {
      setAsking(false);
      notify.success(
        ({ t }) => t("shareLinks.revoked"),
        ({ format }) => format.dateTime(result.revokedAt),
      );
    },
    onError: (error) => {
      setAsking(false);
      notify.error(error);
    },
  });
  if (host !== "headless") return null;
  return (
    <section className="card" aria-labelledby={titleId} data-testid="share-links">
      <h2 id={titleId} className="section-title">
        {t("shareLinks.title")}
      </h2>
      <p className="muted">{t("shareLinks.intro")}</p>
      <button type="button" className="button button--danger" onClick={() => setAsking(true)}>
        {t("shareLinks.revoke")}
      </button>
      {asking ? (
        <ConfirmDialog
          title={t("shareLinks.confirmTitle")}
          body={t("shareLinks.confirmBody")}
          confirmLabel={t("shareLinks.revoke")}
          busyLabel={t("shareLinks.revoking")}
          cancelLabel={t("app.cancel")}
          busy={revoke.isPending}
          onCancel={() => setAsking(false)}
          onConfirm={() => revoke.mutate({})}
        />
      ) : null}
    </section>
  );
}
