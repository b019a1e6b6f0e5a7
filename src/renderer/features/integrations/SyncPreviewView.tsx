import { useTranslation } from "react-i18next";
import type { CrmProviderId, MappingProblem, SyncPreview } from "@shared/contract";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { CRM_NAMES } from "./crm-error-text";
import { fieldPairs, summarisePreview } from "./sync-preview";

const ACTION_CLASS = { create: "badge--success", update: "badge--info", skip: "" } as const;

/**
 * What a sync would do, before it runs (crm.preview). Test ids: crm-preview (data-blocked),
 * crm-preview-counts (each count has data-action), crm-preview-item (data-action),
 * crm-preview-note, crm-preview-sent-before, crm-preview-problems, crm-preview-fix-mapping, crm-preview-nothing.
 */
export function SyncPreviewView({ preview, onFixMapping }: { preview: SyncPreview; onFixMapping(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const summary = summarisePreview(preview);
  const crm = CRM_NAMES[preview.provider];
  const english = format.language.startsWith("en");
  return (
    <section
      className="crm-preview"
      aria-label={t("crmSync.previewTitle")}
      data-testid="crm-preview"
      data-blocked={summary.blocked || undefined}
    >
      <p className="muted">{t("crmSync.previewAccount", { crm, account: preview.account.accountName })}</p>
      <ul className="crm-preview__counts" data-testid="crm-preview-counts">
        {(["create", "update", "skip"] as const).map((action) => (
          <li key={action} className={`crm-preview__count crm-preview__count--${action}`} data-action={action}>
            <span className="crm-preview__figure">{format.integer(summary[action])}</span>
            <span className="crm-preview__what">{t(`crmSync.previewCounts.${action}`)}</span>
          </li>
        ))}
      </ul>

      {summary.errors.length > 0 ? (
        <div className="notice notice--error" role="alert" data-testid="crm-preview-problems">
          <strong>{t("crmSync.mappingErrors", { crm })}</strong>
          <ProblemList problems={summary.errors} provider={preview.provider} />
          <FixMappingLink provider={preview.provider} onClick={onFixMapping} />
        </div>
      ) : null}
      {summary.warnings.length > 0 ? (
        <div className="notice notice--warn" data-testid="crm-preview-warnings">
          <strong>{t("crmSync.mappingWarnings")}</strong>
          <ProblemList problems={summary.warnings} provider={preview.provider} />
        </div>
      ) : null}
      {/* An insights sync always writes a new note: only personas can have nothing to do. */}
      {summary.nothingToDo && !summary.blocked && preview.kind === "personas" ? (
        <p className="notice notice--info" role="status" data-testid="crm-preview-nothing">
          {t("crmSync.nothingToDo", { crm })}
        </p>
      ) : null}

      {preview.note ? (
        <div className="crm-preview__note" data-testid="crm-preview-note">
          <h3 className="crm-preview__note-title">
            {t("crmSync.noteOn", {
              target: preview.note.target.name,
              kind: t(`crmSync.targetKinds.${preview.note.target.kind}`),
            })}
          </h3>
          {preview.note.sentBefore ? (
            <p className="notice notice--warn" role="status" data-testid="crm-preview-sent-before">
              {t("crmSync.sentBefore", {
                target: preview.note.target.name,
                date: format.dateTime(preview.note.sentBefore.at),
              })}
            </p>
          ) : null}
          <p className="crm-preview__note-subject">{preview.note.title}</p>
          <pre className="crm-preview__note-body">{preview.note.body}</pre>
        </div>
      ) : null}

      {preview.kind === "personas" && preview.items.length > 0 ? (
        <div className="table-scroll crm-preview__items">
          <table className="data-table">
            <caption className="visually-hidden">{t("crmSync.previewTitle")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("crmSync.persona")}</th>
                <th scope="col">{t("crmSync.action")}</th>
                <th scope="col">{t("crmSync.why")}</th>
              </tr>
            </thead>
            <tbody>
              {preview.items.map((item) => {
                const pairs = fieldPairs(item.fields);
                const reason =
                  english && item.reason
                    ? item.reason
                    : item.reasonCode === null
                      ? null
                      : t(`crmSync.reasons.${item.reasonCode}`);
                return (
                  <tr key={item.key} data-testid="crm-preview-item" data-action={item.action}>
                    <th scope="row">
                      {item.label}
                      {pairs.length > 0 ? (
                        <details className="crm-preview__fields">
                          <summary>
                            {t("crmSync.fieldsSent", { count: pairs.length, n: format.integer(pairs.length) })}
                          </summary>
                          <dl>
                            {pairs.map(([name, value]) => (
                              <div key={name}>
                                <dt>
                                  <code>{name}</code>
                                </dt>
                                <dd>{value}</dd>
                              </div>
                            ))}
                          </dl>
                        </details>
                      ) : null}
                    </th>
                    <td>
                      <span className={`badge ${ACTION_CLASS[item.action]}`}>
                        {t(`crmSync.actions.${item.action}`)}
                      </span>
                    </td>
                    <td className="muted">{reason ?? "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {summary.hidden > 0 ? (
            <p className="muted">
              {t("crmSync.moreNotShown", { count: summary.hidden, n: format.integer(summary.hidden) })}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** The way out of mapping errors: the CRM's mapping screen (the dialog closes on the way). */
export function FixMappingLink({ provider, onClick }: { provider: CrmProviderId; onClick(): void }) {
  const { t } = useTranslation();
  return (
    <div className="notice__actions">
      <a
        className="button button--small"
        href={hrefOf({ page: "crm-mapping", provider })}
        data-testid="crm-preview-fix-mapping"
        onClick={onClick}
      >
        {t("crmSync.fixMapping")}
      </a>
    </div>
  );
}

export function ProblemList({ problems, provider }: { problems: readonly MappingProblem[]; provider: CrmProviderId }) {
  const { t } = useTranslation();
  return (
    <ul className="crm-problems">
      {problems.map((problem, index) => (
        <li key={`${problem.code}-${problem.target}-${index}`} data-code={problem.code}>
          {t(`crmMapping.problemText.${problem.code}`, {
            crm: CRM_NAMES[provider],
            target: problem.target,
            source: problem.source ? t(`crmMapping.sourceFields.${problem.source}`) : "",
          })}
        </li>
      ))}
    </ul>
  );
}
