import { useTranslation } from "react-i18next";
import { MAX_CATEGORIES, parseAgeBracket, type DemographicsProblem } from "@shared/domain/demographics";
import { useFormat } from "../../i18n/format";
import { DistributionChart } from "./DistributionChart";
import {
  duplicateCategoryUids,
  isHundred,
  newUid,
  normalisedPercents,
  percentSum,
  percentValue,
  presetCategories,
  presetsFor,
  type CategoryDraft,
  type DimensionDraft,
} from "./drafts";
import { useDemographicLabels } from "./labels";
import { demographicsProblemText, ROW_REASONS } from "./problem-text";

interface DimensionEditorProps {
  draft: DimensionDraft;
  label: string;
  /** This dimension's problem: found by the form's own check, or by the server. */
  problem: DemographicsProblem | null;
  /** A save was tried: problems that only matter then (an unnamed row) are shown too. */
  showErrors: boolean;
  onChange(change: (draft: DimensionDraft) => DimensionDraft): void;
  onRemove(): void;
  onFocusRequest(id: string): void;
}

/**
 * One dimension: its categories and weights in percent, a live chart, presets and "Normalise
 * to 100%". Each problem is said once, where it is: beside its row (a repeated or unnamed
 * category, a bad age group, a negative weight), or under the table for the dimension as a
 * whole (the sum, with "Normalise to 100%" beside the total). The same words warn while
 * editing and refuse on save.
 */
export function DimensionEditor({
  draft,
  label,
  problem,
  showErrors,
  onChange,
  onRemove,
  onFocusRequest,
}: DimensionEditorProps) {
  const { t } = useTranslation();
  const labels = useDemographicLabels();
  const format = useFormat();
  const sum = percentSum(draft.categories);
  const ok = isHundred(sum);
  const duplicates = duplicateCategoryUids(draft.categories);
  const presets = presetsFor(draft.key);
  const titleId = `dim-title-${draft.uid}`;
  const sumId = `dim-sum-${draft.uid}`;
  const messageId = `dim-message-${draft.uid}`;
  const full = draft.categories.length >= MAX_CATEGORIES;

  const setCategories = (change: (categories: CategoryDraft[]) => CategoryDraft[]) =>
    onChange((current) => ({ ...current, categories: change(current.categories) }));

  const chartData = draft.categories
    .filter((category) => category.name.trim() !== "")
    .map((category) => ({ label: labels.category(category.name.trim()), value: percentValue(category.percent) }));

  const rowNote = (category: CategoryDraft): string | null => {
    const name = category.name.trim();
    if (duplicates.has(category.uid)) return t("demographics.duplicateName");
    if (name === "") return showErrors ? t("demographics.emptyName") : null;
    if (draft.key === "age_group" && parseAgeBracket(name) === null) return t("demographics.invalidAge");
    if (percentValue(category.percent) < 0) return t("demographics.negativeWeight");
    // A row problem only the server found (it should not happen, but it must still be said once, here).
    if (problem && ROW_REASONS.has(problem.reason) && problem.category?.trim() === name) {
      return demographicsProblemText(t, format, problem, true);
    }
    return null;
  };

  // The dimension-wide message: the sum while it is off, or a problem that is about no one row.
  const dimensionProblem = problem && !ROW_REASONS.has(problem.reason) ? problem : null;
  const sumOff = !ok && draft.categories.length > 0;
  const message = dimensionProblem
    ? demographicsProblemText(t, format, dimensionProblem, true)
    : sumOff
      ? demographicsProblemText(
          t,
          format,
          { reason: "weights_sum", dimension: draft.key, message: "", sumPercent: sum },
          true,
        )
      : null;
  const refused = Boolean(dimensionProblem) || (showErrors && sumOff);

  return (
    <section
      className={`dimension${refused ? " dimension--invalid" : ""}`}
      data-testid={`dimension-${draft.key}`}
      aria-labelledby={titleId}
    >
      <header className="dimension__header">
        <h3 id={titleId} className="dimension__title" tabIndex={-1}>
          {label}
          {label !== draft.key ? <code className="dimension__key">{draft.key}</code> : null}
        </h3>
        <span id={sumId} className={`sum ${ok ? "sum--ok" : "sum--warn"}`}>
          {t("demographics.sum", { sum: format.percent(sum) })}
        </span>
        <div className="dimension__tools">
          {presets.length > 0 ? (
            <select
              className="select select--small"
              aria-label={`${t("demographics.preset")}: ${label}`}
              value=""
              onChange={(event) => {
                const categories = presetCategories(draft.key, event.target.value);
                if (categories) setCategories(() => categories);
              }}
            >
              <option value="">{t("demographics.presetPlaceholder")}</option>
              {presets.map((preset) => (
                <option key={preset} value={preset}>
                  {labels.preset(preset)}
                </option>
              ))}
            </select>
          ) : null}
          <button
            type="button"
            className="button button--small"
            disabled={draft.categories.length === 0 || ok}
            onClick={() => setCategories(normalisedPercents)}
          >
            {t("demographics.normalise")}
          </button>
          <button type="button" className="button button--small button--ghost-danger" onClick={onRemove}>
            {t("demographics.removeDimension")}
            <span className="visually-hidden">: {label}</span>
          </button>
        </div>
      </header>

      <div className="dimension__body">
        <div className="dimension__rows">
          {draft.categories.length === 0 ? (
            <p className="muted">{t("demographics.noCategories")}</p>
          ) : (
            <table className="weights">
              <thead>
                <tr>
                  <th scope="col">{t("demographics.categoryHeader")}</th>
                  <th scope="col">{t("demographics.weightHeader")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("demographics.removeCategory")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.categories.map((category, index) => {
                  const name = category.name.trim();
                  const note = rowNote(category);
                  const noteId = `cat-note-${category.uid}`;
                  return (
                    <tr key={category.uid} className={note ? "weights__row--invalid" : undefined}>
                      <td>
                        <input
                          id={`cat-name-${category.uid}`}
                          className="input input--small"
                          type="text"
                          aria-label={t("demographics.categoryName")}
                          value={category.name}
                          maxLength={60}
                          aria-invalid={note ? true : undefined}
                          aria-describedby={note ? noteId : undefined}
                          onChange={(event) => {
                            const value = event.target.value;
                            setCategories((categories) =>
                              categories.map((item) => (item.uid === category.uid ? { ...item, name: value } : item)),
                            );
                          }}
                        />
                        {note ? (
                          <span id={noteId} className="weights__note" data-testid="category-note">
                            {note}
                          </span>
                        ) : null}
                      </td>
                      <td>
                        <span className="weight-input">
                          <input
                            className="input input--small input--number"
                            type="number"
                            inputMode="decimal"
                            min={0}
                            max={100}
                            step="any"
                            placeholder="0"
                            aria-label={t("demographics.categoryWeight")}
                            aria-describedby={message ? `${sumId} ${messageId}` : sumId}
                            aria-invalid={refused || undefined}
                            value={category.percent}
                            onChange={(event) => {
                              const value = event.target.value;
                              setCategories((categories) =>
                                categories.map((item) =>
                                  item.uid === category.uid ? { ...item, percent: value } : item,
                                ),
                              );
                            }}
                          />
                          <span aria-hidden="true">%</span>
                        </span>
                      </td>
                      <td>
                        <button
                          type="button"
                          className="icon-button"
                          aria-label={`${t("demographics.removeCategory")}: ${name || index + 1}`}
                          title={t("demographics.removeCategory")}
                          onClick={() => {
                            setCategories((categories) => categories.filter((item) => item.uid !== category.uid));
                            onFocusRequest(`add-cat-${draft.uid}`);
                          }}
                        >
                          <span aria-hidden="true">×</span>
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <button
            id={`add-cat-${draft.uid}`}
            type="button"
            className="button button--small button--quiet"
            disabled={full}
            title={
              full
                ? t("demographics.maxCategories", { count: MAX_CATEGORIES, max: format.integer(MAX_CATEGORIES) })
                : undefined
            }
            onClick={() => {
              const category: CategoryDraft = { uid: newUid("c"), name: "", percent: "" };
              setCategories((categories) => [...categories, category]);
              onFocusRequest(`cat-name-${category.uid}`);
            }}
          >
            <span aria-hidden="true">+</span> {t("demographics.addCategory")}
          </button>
        </div>
        <DistributionChart data={chartData} label={t("demographics.chartLabel", { dimension: label })} />
      </div>

      {/* One place for the dimension's message: a warning while editing, the refusal after a save. */}
      <div aria-live="polite">
        {message ? (
          <div
            id={messageId}
            className={`notice ${refused ? "notice--error" : "notice--warn"} dimension__message`}
            data-testid="dimension-message"
          >
            {message}
          </div>
        ) : null}
      </div>
    </section>
  );
}
