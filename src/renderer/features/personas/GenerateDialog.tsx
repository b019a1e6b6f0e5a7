import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { PERSONA_LOCALES, type Project, type RouteInput, type RouteOutput } from "@shared/contract";
import { PLANS, type PlanId } from "@shared/domain/plans";
import { useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import type { BridgeError } from "../../bridge/bridge";
import { Dialog } from "../../components/Dialog";
import { Field, useErrorText } from "../../components/ui";
import { useIssueText } from "../../forms/issue-text";
import { issuesOf, messagesByPath } from "../../forms/issues";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { ProviderStatusLine } from "../llm/ProviderStatusLine";
import { isPersonaLocale, resolvePersonaLocale, type PersonaLocale } from "./locales";
import { PlanLimitNotice, type PlanLimit } from "./PlanLimitNotice";
import { QuotaLine } from "./QuotaLine";

const MAX_COUNT = 1000;
const MAX_SEED = 2 ** 31 - 1;

type GenerateInput = RouteInput<"personas.generate">;

interface Props {
  project: Project;
  onClose(): void;
  /** Called once the server accepted the run (the job is queued). */
  onStarted?(jobId: string): void;
}

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/**
 * The plan's limit where it bites: nothing left, or more asked for than is left. Null while the
 * request fits (or the plan is unlimited).
 */
function planLimitOf(quota: RouteOutput<"personas.quota"> | undefined, requested: number | null): PlanLimit | null {
  if (!quota || quota.limit === null || quota.remaining === null) return null;
  const { plan, limit, remaining } = quota;
  const inUse = quota.used + quota.reserved;
  if (remaining === 0) return { plan, limit, inUse, remaining, requested: null };
  if (requested !== null && requested > remaining) return { plan, limit, inUse, remaining, requested };
  return null;
}

/** How many, which seed, model and locale; the plan quota and the provider in view before anything runs. */
export function GenerateDialog({ project, onClose, onStarted }: Props) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const issueText = useIssueText();
  const client = useQueryClient();
  const formId = useId();
  const limitId = useId();
  const quota = useInvokeQuery("personas.quota", {});
  const existing = useInvokeQuery("personas.list", { projectId: project.id, limit: 1 });
  const status = useInvokeQuery("llm.status", {});

  const remaining = quota.data?.remaining ?? null;
  // The count field checks the number itself; what the plan has left is said in words below it.
  const hintMax = remaining !== null && remaining > 0 ? Math.min(MAX_COUNT, remaining) : MAX_COUNT;
  // The rest of the target sample, within what the plan has left (but at least one).
  const suggested = Math.max(
    1,
    Math.min(project.targetSampleSize - (existing.data?.total ?? 0), remaining ?? MAX_COUNT, MAX_COUNT),
  );

  const [countText, setCountText] = useState<string | null>(null);
  const [seedText, setSeedText] = useState("");
  const [model, setModel] = useState("");
  // The project's locale (chosen, or proposed from the country its target names) unless changed here.
  const [locale, setLocale] = useState<PersonaLocale>(() => resolvePersonaLocale(project, i18n.language).locale);
  const [errors, setErrors] = useState<Partial<Record<keyof GenerateInput, string>>>({});
  const [refusal, setRefusal] = useState<BridgeError | null>(null);
  /** Generate was pressed while the plan had no room: the limit notice is announced, not just shown. */
  const [limitBlocked, setLimitBlocked] = useState(false);

  const generate = useInvokeMutation("personas.generate", {
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: ["jobs.list"] });
      void client.invalidateQueries({ queryKey: ["personas.quota"] });
      onStarted?.(result.jobId);
      onClose();
    },
    onError: (error) => {
      // The server counted differently (another run took the places meanwhile): show today's numbers.
      if (error.code === "QUOTA_EXCEEDED") void client.invalidateQueries({ queryKey: ["personas.quota"] });
      // A field the server refused is said beside the field, in the UI's words; anything else below.
      const issues = issuesOf(error);
      const fields = issues ? messagesByPath(issues, (issue) => issueText(issue)) : {};
      const known = { count: fields.count, seed: fields.seed, model: fields.model, locale: fields.locale };
      if (Object.values(known).some(Boolean)) setErrors(known);
      else setRefusal(error);
    },
  });

  const count = countText ?? String(suggested);
  const parsedCount = wholeNumber(count);
  const validCount = parsedCount !== null && parsedCount >= 1 && parsedCount <= MAX_COUNT ? parsedCount : null;
  // The server's QUOTA_EXCEEDED reads like the live check, in the same place.
  const serverLimit = refusal ? planLimitOfRefusal(refusal) : null;
  const limit = serverLimit ?? planLimitOf(quota.data, validCount);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (generate.isPending) return;
    const countValue = parsedCount;
    const seedValue = seedText.trim() === "" ? undefined : wholeNumber(seedText);
    const next: typeof errors = {};
    if (validCount === null) next.count = t("wizard.countError", { max: format.integer(MAX_COUNT) });
    if (seedValue === null || (seedValue !== undefined && seedValue > MAX_SEED)) next.seed = t("wizard.seedError");
    setErrors(next);
    setRefusal(null);
    if (Object.keys(next).length > 0 || countValue === null || seedValue === null) return;
    // More than the plan has left: the notice says so and offers the upgrade; nothing is sent.
    if (planLimitOf(quota.data, countValue)) {
      setLimitBlocked(true);
      return;
    }
    generate.mutate({
      projectId: project.id,
      count: countValue,
      locale,
      ...(seedValue !== undefined ? { seed: seedValue } : {}),
      ...(model.trim() ? { model: model.trim() } : {}),
    });
  };

  return (
    <Dialog
      title={t("wizard.title")}
      size="wide"
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t("app.cancel")}
          </button>
          <button type="submit" form={formId} className="button button--primary" disabled={generate.isPending}>
            {generate.isPending ? t("wizard.submitting") : t("wizard.submit")}
          </button>
        </>
      }
    >
      <p className="muted">{t("wizard.intro", { project: project.name })}</p>
      <QuotaLine showUpgrade={false} />
      <form id={formId} className="wizard" onSubmit={submit} noValidate>
        <div className="wizard__grid">
          <Field
            label={t("wizard.count")}
            hint={t("wizard.countHint", { max: format.integer(hintMax) })}
            error={errors.count}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input input--number input--short"
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_COUNT}
                step={1}
                value={count}
                aria-describedby={[describedBy, limit ? limitId : null].filter(Boolean).join(" ") || undefined}
                aria-invalid={invalid || undefined}
                onChange={(event) => {
                  setCountText(event.target.value);
                  setLimitBlocked(false);
                  if (refusal?.code === "QUOTA_EXCEEDED") setRefusal(null);
                }}
              />
            )}
          </Field>
          <Field label={t("wizard.seed")} hint={t("wizard.seedHint")} error={errors.seed}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input input--number input--short"
                type="text"
                inputMode="numeric"
                autoComplete="off"
                value={seedText}
                placeholder={t("wizard.seedPlaceholder")}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => setSeedText(event.target.value)}
              />
            )}
          </Field>
        </div>
        {limit ? <PlanLimitNotice id={limitId} limit={limit} announce={limitBlocked || serverLimit !== null} /> : null}
        <Field label={t("wizard.model")} hint={t("wizard.modelHint")} error={errors.model}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              className="input"
              type="text"
              autoComplete="off"
              spellCheck={false}
              maxLength={200}
              value={model}
              placeholder={status.data?.models.personas ?? ""}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => setModel(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("wizard.locale")} hint={t("wizard.localeHint")} error={errors.locale}>
          {({ id, describedBy, invalid }) => (
            <select
              id={id}
              className="select"
              value={locale}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => {
                if (isPersonaLocale(event.target.value)) setLocale(event.target.value);
              }}
            >
              {PERSONA_LOCALES.map((code) => (
                <option key={code} value={code}>
                  {t(`locales.${code}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ProviderStatusLine model={model} />
      {refusal && !serverLimit ? <GenerateRefusal error={refusal} /> : null}
    </Dialog>
  );
}

interface QuotaDetails {
  plan: PlanId;
  limit: number;
  remaining: number;
  requested: number;
}

function isQuotaDetails(details: unknown): details is QuotaDetails {
  const value = details as Partial<QuotaDetails> | null;
  return (
    typeof value === "object" &&
    value !== null &&
    typeof value.plan === "string" &&
    value.plan in PLANS &&
    typeof value.limit === "number" &&
    typeof value.remaining === "number" &&
    typeof value.requested === "number"
  );
}

/** The server's QUOTA_EXCEEDED as the same limit the dialog checks before sending. */
function planLimitOfRefusal(error: BridgeError): PlanLimit | null {
  if (error.code !== "QUOTA_EXCEEDED" || !isQuotaDetails(error.details)) return null;
  const { plan, limit, remaining, requested } = error.details;
  return { plan, limit, inUse: Math.max(0, limit - remaining), remaining, requested: remaining > 0 ? requested : null };
}

/** Why the server would not start the run (other than the plan's limit), and where to fix it. */
function GenerateRefusal({ error }: { error: BridgeError }) {
  const { t } = useTranslation();
  const { heading, message } = useErrorText()(error);
  const link =
    error.code === "QUOTA_EXCEEDED" ? (
      <a href={hrefOf({ page: "billing" })}>{t("wizard.seePlans")}</a>
    ) : error.code === "PROVIDER_UNAVAILABLE" ? (
      <a href={hrefOf({ page: "settings" })}>{t("provider.openSettings")}</a>
    ) : null;
  return (
    <div className="notice notice--error" role="alert" data-testid="generate-error">
      <strong>{heading}</strong>
      <p>{error.code === "CONFLICT" ? t("wizard.conflict") : message}</p>
      {link ? <div className="notice__actions">{link}</div> : null}
    </div>
  );
}
