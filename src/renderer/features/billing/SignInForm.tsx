import { useId, useRef, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { useBillingStatusMutation } from "../../api/billing";
import { ChoiceCards } from "../../components/ChoiceCards";
import { Field } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { toast } from "../../stores/toasts";
import {
  accountRefusalOf,
  checkCredentials,
  type AccountMode,
  type AccountRefusal,
  type CredentialProblems,
} from "./credentials";

interface Props {
  /** The email field, so Upgrade can bring the user here when signed out. */
  emailRef: RefObject<HTMLInputElement | null>;
  /** Upgrade was pressed while signed out: say why the form is asked for. */
  upgradeHint: boolean;
}

/** Sign in to Sight Cloud, or create an account; checked here before anything is sent. */
export function SignInForm({ emailRef, upgradeHint }: Props) {
  const { t } = useTranslation();
  const hintId = useId();
  const passwordRef = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<AccountMode>("signIn");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [problems, setProblems] = useState<CredentialProblems>({});
  const [refusal, setRefusal] = useState<AccountRefusal | null>(null);

  const focusFirst = (found: CredentialProblems) => {
    if (found.email) emailRef.current?.focus();
    else if (found.password) passwordRef.current?.focus();
  };
  const onRefused = (error: unknown, refusedMode: AccountMode) => {
    const meaning = accountRefusalOf(error, refusedMode);
    if (meaning.kind === "fields") {
      setProblems(meaning.problems);
      focusFirst(meaning.problems);
    } else {
      setRefusal(meaning);
    }
  };
  const signIn = useBillingStatusMutation("billing.signIn", {
    onSuccess: (status) => {
      setPassword("");
      toast.success(t("billing.account.signedInToast", { email: status.account?.email ?? email.trim() }));
    },
    onError: (error) => onRefused(error, "signIn"),
  });
  const signUp = useBillingStatusMutation("billing.signUp", {
    onSuccess: (status) => {
      setPassword("");
      toast.success(t("billing.account.signedUpToast", { email: status.account?.email ?? email.trim() }));
    },
    onError: (error) => onRefused(error, "signUp"),
  });
  const busy = signIn.isPending || signUp.isPending;

  const switchMode = (next: AccountMode) => {
    setMode(next);
    setRefusal(null);
    setProblems((current) => ({ email: current.email }));
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = checkCredentials(mode, email, password);
    setProblems(found);
    setRefusal(null);
    if (found.email || found.password) {
      focusFirst(found);
      return;
    }
    const credentials = { email: email.trim(), password };
    if (mode === "signIn") signIn.mutate(credentials);
    else signUp.mutate(credentials);
  };

  return (
    <form
      className="sign-in"
      onSubmit={submit}
      noValidate
      data-testid="billing-sign-in-form"
      aria-describedby={upgradeHint ? hintId : undefined}
    >
      {upgradeHint ? (
        <p className="notice notice--info" id={hintId} data-testid="billing-sign-in-hint">
          {t("billing.account.upgradeHint")}
        </p>
      ) : (
        <p className="muted">{t("billing.account.intro")}</p>
      )}
      <ChoiceCards<AccountMode>
        legend={t("billing.account.mode")}
        legendHidden
        variant="segmented"
        value={mode}
        onChange={switchMode}
        choices={[
          { value: "signIn", label: t("billing.account.signIn") },
          { value: "signUp", label: t("billing.account.signUp") },
        ]}
      />
      <Field
        label={t("billing.account.email")}
        error={problems.email ? t(`billing.account.errors.${problems.email}`) : null}
      >
        {({ id, describedBy, invalid }) => (
          <input
            ref={emailRef}
            id={id}
            className="input"
            type="email"
            autoComplete="email"
            spellCheck={false}
            maxLength={320}
            value={email}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(event) => {
              setEmail(event.target.value);
              if (problems.email) setProblems((current) => ({ ...current, email: undefined }));
            }}
          />
        )}
      </Field>
      <Field
        label={t("billing.account.password")}
        hint={mode === "signUp" ? t("billing.account.passwordHint") : undefined}
        error={problems.password ? t(`billing.account.errors.${problems.password}`) : null}
      >
        {({ id, describedBy, invalid }) => (
          <input
            ref={passwordRef}
            id={id}
            className="input"
            type="password"
            autoComplete={mode === "signUp" ? "new-password" : "current-password"}
            maxLength={1024}
            value={password}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(event) => {
              setPassword(event.target.value);
              if (problems.password) setProblems((current) => ({ ...current, password: undefined }));
            }}
          />
        )}
      </Field>
      {refusal ? (
        <AccountRefusalNotice
          refusal={refusal}
          onSignInInstead={() => {
            switchMode("signIn");
            passwordRef.current?.focus();
          }}
        />
      ) : null}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={busy} data-testid="billing-account-submit">
          {mode === "signIn"
            ? busy
              ? t("billing.account.signingIn")
              : t("billing.account.submitSignIn")
            : busy
              ? t("billing.account.signingUp")
              : t("billing.account.submitSignUp")}
        </button>
      </div>
    </form>
  );
}

function AccountRefusalNotice({ refusal, onSignInInstead }: { refusal: AccountRefusal; onSignInInstead(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  let message: string;
  switch (refusal.kind) {
    case "wrongCredentials":
      message = t("billing.account.errors.wrongCredentials");
      break;
    case "rateLimited":
      message = t("billing.account.errors.rateLimited", {
        count: refusal.minutes,
        minutes: format.integer(refusal.minutes),
      });
      break;
    case "accountExists":
      message = t("billing.account.errors.accountExists");
      break;
    case "cloudUnreachable":
      message = t("billing.account.errors.cloudUnreachable");
      break;
    case "other":
      message = t("billing.account.errors.other", { reason: t(`errors.${refusal.code}`) });
      break;
    case "fields":
      return null;
  }
  return (
    <div className="notice notice--error" role="alert" data-testid="billing-account-error">
      <p>{message}</p>
      {refusal.kind === "accountExists" ? (
        <div className="notice__actions">
          <button type="button" className="button button--small" onClick={onSignInInstead}>
            {t("billing.account.signInInstead")}
          </button>
        </div>
      ) : null}
    </div>
  );
}
