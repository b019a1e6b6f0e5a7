import { useEffect, useId, useRef, useState, type Dispatch, type SetStateAction } from "react";
import { useTranslation } from "react-i18next";
import {
  DIMENSION_KEY_PATTERN,
  MAX_CATEGORIES,
  MAX_DIMENSIONS,
  parseAgeBracket,
  STANDARD_DIMENSIONS,
} from "@shared/domain/demographics";
import { useFormat } from "../../i18n/format";
import { DistributionChart } from "./DistributionChart";
import {
  applySuggestion,
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

/** What the server said is wrong (INVALID_DEMOGRAPHICS details, or a VALIDATION_FAILED path). */
export interface DemographicsProblem {
  dimension: string;
  category?: string;
  message: string;
  suggestion?: Record<string, number>;
}

interface EditorProps {
  drafts: DimensionDraft[];
  setDrafts: Dispatch<SetStateAction<DimensionDraft[]>>;
  problem: DemographicsProblem | null;
  clearProblem(): void;
}

const CUSTOM = "__custom__";

export function DemographicsEditor({ drafts, setDrafts, problem, clearProblem }: EditorProps) {
  const { t } = useTranslation();
  const labels = useDemographicLabels();
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const addSelectId = useId();

  // Focus follows structural edits (a new row's name box, the add control after a removal).
  useEffect(() => {
    if (!focusTarget) return;
    document.getElementById(focusTarget)?.focus();
    setFocusTarget(null);
  }, [focusTarget, drafts]);

  const update = (uid: string, change: (draft: DimensionDraft) => DimensionDraft) =>
    setDrafts((previous) => previous.map((draft) => (draft.uid === uid ? change(draft) : draft)));

  const available = STANDARD_DIMENSIONS.filter((key) => !drafts.some((draft) => draft.key === key));
  const globalProblem = problem && !drafts.some((draft) => draft.key === problem.dimension) ? problem : null;

  return (
    <section className="demographics" data-testid="demographics-editor" aria-labelledby={`${addSelectId}-title`}>
      <h2 id={`${addSelectId}-title`} className="section-title">
        {t("demographics.title")}
      </h2>
      <p className="muted">{t("demographics.intro")}</p>
      {globalProblem ? (
        <div className="notice notice--error" role="alert">
          {t("demographics.serverProblem", { message: globalProblem.message })}
        </div>
      ) : null}
      {drafts.length === 0 ? <p className="demographics__empty">{t("demographics.empty")}</p> : null}
      {drafts.map((draft) => (
        <DimensionEditor
          key={draft.uid}
          draft={draft}
          label={labels.dimension(draft.key)}
          problem={problem?.dimension === draft.key ? problem : null}
          onChange={(change) => update(draft.uid, change)}
          onRemove={() => {
            setDrafts((previous) => previous.filter((item) => item.uid !== draft.uid));
            if (problem?.dimension === draft.key) clearProblem();
            setFocusTarget(addSelectId);
          }}
          onFocusRequest={setFocusTarget}
          onProblemFixed={clearProblem}
        />
      ))}
      <AddDimension
        selectId={addSelectId}
        available={available}
        taken={drafts.map((draft) => draft.key)}
        full={drafts.length >= MAX_DIMENSIONS}
        onAdd={(key) => {
          const preset = presetsFor(key)[0];
          const categories = (preset && presetCategories(key, preset)) || [{ uid: newUid("c"), name: "", percent: "" }];
          const draft: DimensionDraft = { uid: newUid("d"), key, categories };
          setDrafts((previous) => [...previous, draft]);
          setFocusTarget(preset ? `dim-title-${draft.uid}` : `cat-name-${categories[0]!.uid}`);
        }}
      />
    </section>
  );
}

interface DimensionEditorProps {
  draft: DimensionDraft;
  label: string;
  problem: DemographicsProblem | null;
  onChange(change: (draft: DimensionDraft) => DimensionDraft): void;
  onRemove(): void;
  onFocusRequest(id: string): void;
  onProblemFixed(): void;
}

function DimensionEditor({
  draft,
  label,
  problem,
  onChange,
  onRemove,
  onFocusRequest,
  onProblemFixed,
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
  const full = draft.categories.length >= MAX_CATEGORIES;

  const setCategories = (change: (categories: CategoryDraft[]) => CategoryDraft[]) =>
    onChange((current) => ({ ...current, categories: change(current.categories) }));

  const chartData = draft.categories
    .filter((category) => category.name.trim() !== "")
    .map((category) => ({ label: labels.category(category.name.trim()), value: percentValue(category.percent) }));

  return (
    <section
      className={`dimension${problem ? " dimension--invalid" : ""}`}
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
                if (!categories) return;
                setCategories(() => categories);
                if (problem) onProblemFixed();
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
            onClick={() => {
              setCategories(normalisedPercents);
              if (problem) onProblemFixed();
            }}
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
                  const isProblem = Boolean(
                    problem?.category !== undefined && problem.category.trim() === name && name !== "",
                  );
                  const isDuplicate = duplicates.has(category.uid);
                  const badAge = draft.key === "age_group" && name !== "" && parseAgeBracket(name) === null;
                  const note = isDuplicate
                    ? t("demographics.duplicateName")
                    : badAge
                      ? t("demographics.invalidAge")
                      : null;
                  const noteId = `cat-note-${category.uid}`;
                  return (
                    <tr key={category.uid} className={isProblem || isDuplicate ? "weights__row--invalid" : undefined}>
                      <td>
                        <input
                          id={`cat-name-${category.uid}`}
                          className="input input--small"
                          type="text"
                          aria-label={t("demographics.categoryName")}
                          value={category.name}
                          maxLength={60}
                          aria-invalid={isProblem || isDuplicate || undefined}
                          aria-describedby={note ? noteId : undefined}
                          onChange={(event) => {
                            const value = event.target.value;
                            setCategories((categories) =>
                              categories.map((item) => (item.uid === category.uid ? { ...item, name: value } : item)),
                            );
                          }}
                        />
                        {note ? (
                          <span id={noteId} className="weights__note">
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
                            aria-describedby={sumId}
                            aria-invalid={(isProblem && !ok) || undefined}
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
            title={full ? t("demographics.maxCategories", { max: MAX_CATEGORIES }) : undefined}
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

      <div aria-live="polite">
        {!ok && draft.categories.length > 0 ? (
          <p className="notice notice--warn">{t("demographics.sumWarning", { sum: format.percent(sum) })}</p>
        ) : null}
      </div>
      {problem ? (
        <div className="notice notice--error" role="alert">
          <p>{t("demographics.serverProblem", { message: problem.message })}</p>
          {problem.suggestion ? (
            <p className="notice__actions">
              <span className="muted">
                {t("demographics.suggestionText", {
                  weights: Object.entries(problem.suggestion)
                    .map(([name, fraction]) => `${labels.category(name)} ${format.percent(fraction * 100)}%`)
                    .join(", "),
                })}
              </span>
              <button
                type="button"
                className="button button--small button--primary"
                onClick={() => {
                  const suggestion = problem.suggestion!;
                  setCategories((categories) => applySuggestion(categories, suggestion));
                  onProblemFixed();
                }}
              >
                {t("demographics.applySuggestion")}
              </button>
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

interface AddDimensionProps {
  selectId: string;
  available: readonly string[];
  taken: readonly string[];
  full: boolean;
  onAdd(key: string): void;
}

function AddDimension({ selectId, available, taken, full, onAdd }: AddDimensionProps) {
  const { t } = useTranslation();
  const labels = useDemographicLabels();
  const [choice, setChoice] = useState<string>("");
  const [customKey, setCustomKey] = useState("");
  const [touched, setTouched] = useState(false);
  const customRef = useRef<HTMLInputElement>(null);
  const selected = choice && (choice === CUSTOM || available.includes(choice)) ? choice : (available[0] ?? CUSTOM);
  const key = customKey.trim();
  const keyError =
    selected !== CUSTOM || (!touched && key === "")
      ? null
      : !DIMENSION_KEY_PATTERN.test(key)
        ? t("demographics.customKeyInvalid")
        : taken.includes(key)
          ? t("demographics.customKeyTaken")
          : null;

  const add = () => {
    if (selected === CUSTOM) {
      setTouched(true);
      if (!DIMENSION_KEY_PATTERN.test(key) || taken.includes(key)) {
        customRef.current?.focus();
        return;
      }
      onAdd(key);
      setCustomKey("");
      setTouched(false);
    } else {
      onAdd(selected);
    }
    setChoice("");
  };

  return (
    <div className="add-dimension">
      <div className="field field--inline">
        <label className="field__label" htmlFor={selectId}>
          {t("demographics.addDimensionLabel")}
        </label>
        <select
          id={selectId}
          className="select"
          value={selected}
          disabled={full}
          onChange={(event) => {
            setChoice(event.target.value);
            if (event.target.value === CUSTOM) window.setTimeout(() => customRef.current?.focus(), 0);
          }}
        >
          {available.map((key) => (
            <option key={key} value={key}>
              {labels.dimension(key)}
            </option>
          ))}
          <option value={CUSTOM}>{t("demographics.customDimension")}</option>
        </select>
      </div>
      {selected === CUSTOM && !full ? (
        <div className={`field field--inline${keyError ? " field--invalid" : ""}`}>
          <label className="field__label" htmlFor={`${selectId}-custom`}>
            {t("demographics.customKeyLabel")}
          </label>
          <input
            ref={customRef}
            id={`${selectId}-custom`}
            className="input"
            type="text"
            value={customKey}
            maxLength={40}
            spellCheck={false}
            autoCapitalize="off"
            aria-invalid={Boolean(keyError) || undefined}
            aria-describedby={`${selectId}-custom-hint`}
            onChange={(event) => setCustomKey(event.target.value)}
            onBlur={() => setTouched(key !== "")}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                add();
              }
            }}
          />
          <p id={`${selectId}-custom-hint`} className={keyError ? "field__error" : "field__hint"}>
            {keyError ?? t("demographics.customKeyHint")}
          </p>
        </div>
      ) : null}
      <button type="button" className="button" onClick={add} disabled={full}>
        <span aria-hidden="true">+</span> {t("demographics.addDimension")}
      </button>
      {full ? <p className="field__hint">{t("demographics.maxDimensions", { max: MAX_DIMENSIONS })}</p> : null}
    </div>
  );
}
