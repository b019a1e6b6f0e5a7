import { useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { BillingStatus } from "@shared/contract";
import { useBillingStatusMutation } from "../../api/billing";
import { toast } from "../../stores/toasts";
import { ConfirmDialog } from "../studies/ConfirmDialog";
import { useBillingErrorToast } from "./billing-errors";
import { SignInForm } from "./SignInForm";

interface Props {
  status: BillingStatus;
  emailRef: RefObject<HTMLInputElement | null>;
  upgradeHint: boolean;
}

/** Who this workspace is signed in to Sight Cloud as, or the form to sign in. */
export function AccountCard({ status, emailRef, upgradeHint }: Props) {
  const { t } = useTranslation();
  return (
    <section className="card billing-account" aria-labelledby="billing-account-title" data-testid="billing-account">
      <h2 id="billing-account-title" className="section-title">
        {t("billing.account.title")}
      </h2>
      {!status.cloudConfigured ? (
        <p className="muted">{t("billing.account.noCloud")}</p>
      ) : status.account ? (
        <SignedIn status={status} email={status.account.email} />
      ) : (
        <SignInForm emailRef={emailRef} upgradeHint={upgradeHint} />
      )}
    </section>
  );
}

function SignedIn({ status, email }: { status: BillingStatus; email: string }) {
  const { t } = useTranslation();
  const errorToast = useBillingErrorToast();
  const [confirming, setConfirming] = useState(false);
  const signOut = useBillingStatusMutation("billing.signOut", {
    onSuccess: () => {
      setConfirming(false);
      toast.success(t("billing.account.signedOut"));
    },
    onError: errorToast,
  });
  // Signing out of a paid plan drops this workspace to Free: ask first. On Free it costs nothing.
  const paid = status.plan !== "free";

  return (
    <div className="billing-account__signed-in">
      <p>
        <span className="muted">{t("billing.account.signedInAs")}</span>{" "}
        <strong data-testid="billing-account-email">{email}</strong>
      </p>
      <div className="button-row">
        <button
          type="button"
          className="button"
          data-testid="billing-sign-out"
          disabled={signOut.isPending}
          aria-haspopup={paid ? "dialog" : undefined}
          onClick={() => (paid ? setConfirming(true) : signOut.mutate({}))}
        >
          {signOut.isPending ? t("billing.account.signingOut") : t("billing.account.signOut")}
        </button>
      </div>
      {confirming ? (
        <ConfirmDialog
          title={t("billing.account.signOutConfirmTitle")}
          body={t("billing.account.signOutConfirmBody")}
          confirmLabel={t("billing.account.signOut")}
          busyLabel={t("billing.account.signingOut")}
          cancelLabel={t("app.cancel")}
          busy={signOut.isPending}
          onConfirm={() => signOut.mutate({})}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}
