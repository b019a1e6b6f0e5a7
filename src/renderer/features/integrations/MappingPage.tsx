/**
 * #/integrations/<provider>/mapping: which CRM property each of Sight's persona fields fills.
 * Test ids (the e2e suite drives these):
 *   crm-mapping                the page; data-dirty = unsaved changes
 *   crm-mapping-fixed          the fields every sync writes (external id, synthetic flag)
 *   crm-fields-refresh         Refresh CRM fields
 *   crm-mapping-row            one row; data-source / data-target
 *   crm-mapping-source         a row's persona field
 *   crm-mapping-target         a row's CRM property
 *   crm-mapping-remove         remove a row
 *   crm-mapping-problem        a row's problem; data-code, data-severity
 *   crm-mapping-add            add a row
 *   crm-mapping-general        problems that name no row (a required property nothing fills)
 *   crm-mapping-save           Save (disabled while an error stands, the CRM's fields have not loaded, or nothing changed)
 *   crm-mapping-discard        Undo changes
 *   crm-mapping-reset          Reset to defaults (confirmed by crm-mapping-reset-confirm)
 */
import { useEffect, useMemo, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import {
  PERSONA_SOURCE_NAMES,
  type CrmField,
  type CrmMapping,
  type CrmProviderId,
  type MappingProblem,
  type PersonaSourceField,
} from "@shared/contract";
import { useCrmFields, useCrmMapping, useCrmStatus, useMappingMutation, useRefreshCrmFields } from "../../api/crm";
import { useNotify } from "../../components/notify";
import { EmptyState, ErrorState, PageHeader, Spinner, useDocumentTitle, useErrorText } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { ConfirmDialog } from "../studies/ConfirmDialog";
import { CRM_NAMES } from "./crm-error-text";
import {
  addRow,
  checkRows,
  entriesOf,
  isDirty,
  removeRow,
  rowsOf,
  targetOptions,
  updateRow,
  type MappingRow,
  type RowProblem,
} from "./mapping-rows";
import { refusedProblems } from "./sync-preview";
import "./integrations.css";

export function MappingPage({ provider }: { provider: CrmProviderId }) {
  const { t } = useTranslation();
  const crm = CRM_NAMES[provider];
  useDocumentTitle(t("crmMapping.title", { crm }));
  const status = useCrmStatus();
  const connected = status.data?.providers.find((entry) => entry.provider === provider)?.connected ?? false;
  const mapping = useCrmMapping(provider, connected);

  const header = (
    <PageHeader title={t("crmMapping.title", { crm })}>
      <p className="page-header__subtitle">
        <a href={hrefOf({ page: "integrations" })}>← {t("integrations.title")}</a>
      </p>
    </PageHeader>
  );
  if (status.isPending || (connected && mapping.isPending)) return <Spinner label={t("app.loading")} />;
  if (status.isError) {
    return <ErrorState error={status.error} onRetry={() => void status.refetch()} title={t("app.loadFailed")} />;
  }
  if (!connected) {
    return (
      <>
        {header}
        <EmptyState title={t("crmMapping.notConnectedTitle", { crm })} body={t("crmMapping.notConnectedBody", { crm })}>
          <a className="button button--primary" href={hrefOf({ page: "integrations" })}>
            {t("integrations.open")}
          </a>
        </EmptyState>
      </>
    );
  }
  if (mapping.isError) {
    return (
      <>
        {header}
        <ErrorState error={mapping.error} onRetry={() => void mapping.refetch()} title={t("app.loadFailed")} />
      </>
    );
  }
  return (
    <>
      {header}
      <MappingEditor key={provider} provider={provider} mapping={mapping.data!} />
    </>
  );
}

function MappingEditor({ provider, mapping }: { provider: CrmProviderId; mapping: CrmMapping }) {
  const { t } = useTranslation();
  const format = useFormat();
  const notify = useNotify();
  const errorText = useErrorText();
  const crm = CRM_NAMES[provider];
  const fields = useCrmFields(provider, true);
  const [rows, setRows] = useState<MappingRow[]>(() => rowsOf(mapping.entries));
  // Problems main found when it refused a save; the saved mapping's own until then.
  const [refused, setRefused] = useState<MappingProblem[] | null>(null);
  const [resetting, setResetting] = useState(false);
  useEffect(() => setRefused(null), [mapping]);

  const problems = refused ?? mapping.problems;
  const check = useMemo(
    () => checkRows(rows, { fixed: mapping.fixed, fields: fields.data?.fields ?? null, problems }),
    [rows, mapping.fixed, fields.data, problems],
  );
  const dirty = isDirty(rows, mapping);

  const save = useMappingMutation("crm.saveMapping", {
    onSuccess: (saved) => {
      setRows(rowsOf(saved.entries));
      notify.success(({ t }) => t("crmMapping.saved"));
    },
    onError: (error) => {
      const listed = refusedProblems(error);
      if (listed) setRefused(listed);
      else notify.error(error);
    },
  });
  const reset = useMappingMutation("crm.resetMapping", {
    onSuccess: (defaults) => {
      setRows(rowsOf(defaults.entries));
      setResetting(false);
      notify.success(({ t }) => t("crmMapping.resetDone"));
    },
    onError: (error) => {
      setResetting(false);
      notify.error(error);
    },
  });
  const refresh = useRefreshCrmFields({
    onSuccess: () => notify.success(({ t }) => t("crmMapping.refreshed", { crm })),
    onError: notify.error,
  });

  const writable = fields.data?.fields.filter((field) => field.writable).length ?? 0;

  return (
    <div className="crm-mapping" data-testid="crm-mapping" data-dirty={dirty || undefined}>
      <section className="card crm-mapping__intro">
        <p>{t(`crmMapping.intro.${mapping.object}`, { crm })}</p>
        <div className="notice notice--info" data-testid="crm-mapping-fixed">
          <strong>{t("crmMapping.fixedTitle")}</strong>
          <ul className="crm-mapping__fixed">
            <li>
              <code>{mapping.fixed.externalId}</code> — {t("crmMapping.fixedExternalId")}
            </li>
            <li>
              <code>{mapping.fixed.synthetic}</code> — {t("crmMapping.fixedSynthetic")}
            </li>
          </ul>
        </div>
        <div className="crm-mapping__meta">
          {mapping.isDefault ? (
            <span className="badge badge--info">{t("crmMapping.defaults")}</span>
          ) : mapping.savedAt ? (
            <span className="muted">{t("crmMapping.savedAt", { when: format.dateTime(mapping.savedAt) })}</span>
          ) : null}
          {fields.data ? (
            <span className="muted">
              {t("crmMapping.fieldCount", { count: writable, n: format.integer(writable) })}
            </span>
          ) : null}
          <button
            type="button"
            className="button button--small"
            disabled={refresh.isPending}
            data-testid="crm-fields-refresh"
            onClick={() => refresh.mutate({ provider, refresh: true })}
          >
            {refresh.isPending ? t("crmMapping.refreshing") : t("crmMapping.refreshFields")}
          </button>
        </div>
      </section>

      {fields.isPending ? (
        <Spinner label={t("crmMapping.fieldsLoading", { crm })} />
      ) : fields.isError ? (
        <div className="notice notice--warn" role="alert">
          <p>{t("crmMapping.fieldsFailed", { crm })}</p>
          <p>{errorText(fields.error).message}</p>
          <div className="notice__actions">
            <button type="button" className="button button--small" onClick={() => void fields.refetch()}>
              {t("app.retry")}
            </button>
          </div>
        </div>
      ) : null}

      <section className="card" aria-labelledby="crm-mapping-table-title">
        <h2 id="crm-mapping-table-title" className="section-title">
          {t("crmMapping.tableLabel")}
        </h2>
        {rows.length === 0 ? (
          <p className="muted" data-testid="crm-mapping-empty">
            {t("crmMapping.empty")}
          </p>
        ) : (
          <div className="table-scroll">
            <table className="data-table crm-mapping__table">
              <thead>
                <tr>
                  <th scope="col">{t("crmMapping.source")}</th>
                  <th scope="col" aria-hidden="true" />
                  <th scope="col">{t("crmMapping.target", { crm })}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("crmMapping.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row, index) => (
                  <MappingRowView
                    key={row.id}
                    row={row}
                    index={index}
                    crm={crm}
                    fields={fields.data?.fields ?? null}
                    fixed={mapping.fixed}
                    problems={check.byRow.get(row.id) ?? []}
                    onChange={(patch) => setRows((previous) => updateRow(previous, row.id, patch))}
                    onRemove={() => setRows((previous) => removeRow(previous, row.id))}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="button-row crm-mapping__add">
          <button
            type="button"
            className="button button--small"
            data-testid="crm-mapping-add"
            onClick={() => {
              setRows((previous) => addRow(previous));
              // Focus the new row's property: what the researcher chooses next.
              window.requestAnimationFrame(() => {
                const targets = document.querySelectorAll<HTMLSelectElement>('[data-testid="crm-mapping-target"]');
                targets[targets.length - 1]?.focus();
              });
            }}
          >
            + {t("crmMapping.add")}
          </button>
        </div>

        {check.general.length > 0 ? (
          <div className="crm-mapping__general" data-testid="crm-mapping-general">
            <h3 className="crm-mapping__general-title">{t("crmMapping.generalTitle")}</h3>
            <ul className="crm-problems">
              {check.general.map((problem, index) => (
                <ProblemItem key={`${problem.code}-${problem.target}-${index}`} problem={problem} crm={crm} />
              ))}
            </ul>
          </div>
        ) : null}
      </section>

      <div className="form__actions crm-mapping__actions">
        {check.blocked ? (
          <p className="field__error" role="status">
            {t("crmMapping.blocked")}
          </p>
        ) : dirty ? (
          <p className="muted" role="status">
            {t("crmMapping.unsaved")}
          </p>
        ) : null}
        <div className="button-row">
          <button
            type="button"
            className="button button--ghost-danger"
            disabled={reset.isPending || (mapping.isDefault && !dirty)}
            aria-haspopup="dialog"
            data-testid="crm-mapping-reset"
            onClick={() => setResetting(true)}
          >
            {t("crmMapping.reset")}
          </button>
          {dirty ? (
            <button
              type="button"
              className="button"
              data-testid="crm-mapping-discard"
              onClick={() => {
                setRows(rowsOf(mapping.entries));
                setRefused(null);
              }}
            >
              {t("crmMapping.discard")}
            </button>
          ) : null}
          <button
            type="button"
            className="button button--primary"
            // main checks a saved mapping against the CRM's fields: without them it cannot be saved.
            disabled={!dirty || check.blocked || save.isPending || !fields.data}
            data-testid="crm-mapping-save"
            onClick={() => save.mutate({ provider, entries: entriesOf(rows) })}
          >
            {save.isPending ? t("crmMapping.saving") : t("crmMapping.save")}
          </button>
        </div>
      </div>

      {resetting ? (
        <ConfirmDialog
          title={t("crmMapping.resetTitle")}
          body={t("crmMapping.resetBody", { crm })}
          confirmLabel={t("crmMapping.resetConfirm")}
          busyLabel={t("crmMapping.resetting")}
          cancelLabel={t("app.cancel")}
          busy={reset.isPending}
          confirmTestId="crm-mapping-reset-confirm"
          onCancel={() => setResetting(false)}
          onConfirm={() => reset.mutate({ provider })}
        />
      ) : null}
    </div>
  );
}

function MappingRowView({
  row,
  index,
  crm,
  fields,
  fixed,
  problems,
  onChange,
  onRemove,
}: {
  row: MappingRow;
  index: number;
  crm: string;
  fields: readonly CrmField[] | null;
  fixed: CrmMapping["fixed"];
  problems: readonly RowProblem[];
  onChange(patch: Partial<Omit<MappingRow, "id">>): void;
  onRemove(): void;
}) {
  const { t } = useTranslation();
  const n = index + 1;
  const problemsId = `crm-mapping-problems-${row.id}`;
  const invalid = problems.some((problem) => problem.severity === "error");
  const options = fields ? targetOptions(fields, row.target, fixed) : null;
  return (
    <>
      <tr
        className={invalid ? "crm-mapping__row crm-mapping__row--invalid" : "crm-mapping__row"}
        data-testid="crm-mapping-row"
        data-source={row.source}
        data-target={row.target}
      >
        <td>
          <select
            className="select"
            aria-label={t("crmMapping.sourceLabel", { n })}
            value={row.source}
            data-testid="crm-mapping-source"
            onChange={(event) => onChange({ source: event.target.value as PersonaSourceField })}
          >
            {PERSONA_SOURCE_NAMES.map((name) => (
              <option key={name} value={name}>
                {t(`crmMapping.sourceFields.${name}`)}
              </option>
            ))}
          </select>
        </td>
        <td className="crm-mapping__arrow" aria-hidden="true">
          →
        </td>
        <td>
          {options ? (
            <select
              className="select"
              aria-label={t("crmMapping.targetLabel", { crm, n })}
              aria-invalid={invalid || undefined}
              aria-describedby={problems.length > 0 ? problemsId : undefined}
              value={row.target}
              data-testid="crm-mapping-target"
              onChange={(event) => onChange({ target: event.target.value })}
            >
              <option value="">{t("crmMapping.chooseTarget")}</option>
              {options.map((option) => (
                <option key={option.name} value={option.name}>
                  {optionText(t, option.field, option.name)}
                </option>
              ))}
            </select>
          ) : (
            // The CRM's fields are not known: the name can still be typed (main checks it).
            <input
              className="input"
              aria-label={t("crmMapping.targetLabel", { crm, n })}
              aria-invalid={invalid || undefined}
              aria-describedby={problems.length > 0 ? problemsId : undefined}
              value={row.target}
              spellCheck={false}
              data-testid="crm-mapping-target"
              onChange={(event) => onChange({ target: event.target.value.trim() })}
            />
          )}
        </td>
        <td className="crm-mapping__tools">
          <button
            type="button"
            className="button button--small button--quiet"
            aria-label={t("crmMapping.removeLabel", { n })}
            data-testid="crm-mapping-remove"
            onClick={onRemove}
          >
            {t("crmMapping.remove")}
          </button>
        </td>
      </tr>
      {problems.length > 0 ? (
        <tr className="crm-mapping__problems-row">
          <td colSpan={4}>
            <ul className="crm-problems" id={problemsId}>
              {problems.map((problem) => (
                <ProblemItem key={problem.code} problem={problem} crm={crm} />
              ))}
            </ul>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function ProblemItem({ problem, crm }: { problem: RowProblem; crm: string }) {
  const { t } = useTranslation();
  return (
    <li
      className={`crm-problem crm-problem--${problem.severity}`}
      data-testid="crm-mapping-problem"
      data-code={problem.code}
      data-severity={problem.severity}
    >
      <span className="crm-problem__severity">{t(`crmMapping.severity.${problem.severity}`)}:</span>{" "}
      {t(`crmMapping.problemText.${problem.code}`, {
        crm,
        target: problem.target,
        source: problem.source ? t(`crmMapping.sourceFields.${problem.source}`) : "",
      })}
    </li>
  );
}

function optionText(t: TFunction, field: CrmField | null, name: string): string {
  if (!field) return t("crmMapping.unknownOption", { name });
  const text = t("crmMapping.optionText", { label: field.label, name: field.name, type: field.crmType });
  if (!field.writable) return `${text} — ${t("crmMapping.notWritable")}`;
  return field.required ? `${text} — ${t("crmMapping.required")}` : text;
}
