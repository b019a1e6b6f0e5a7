import { useEffect, useId, useRef, useState, type Dispatch, type SetStateAction } from "react";
import { useTranslation } from "react-i18next";
import {
  DIMENSION_KEY_PATTERN,
  MAX_DIMENSIONS,
  STANDARD_DIMENSIONS,
  type DemographicsProblem,
} from "@shared/domain/demographics";
import { useFormat } from "../../i18n/format";
import { DimensionEditor } from "./DimensionEditor";
import { newUid, presetCategories, presetsFor, type DimensionDraft } from "./drafts";
import { useDemographicLabels } from "./labels";
import { demographicsProblemText } from "./problem-text";

interface EditorProps {
  drafts: DimensionDraft[];
  setDrafts: Dispatch<SetStateAction<DimensionDraft[]>>;
  /** What is wrong, per dimension: the form's own check (live after a save was tried) or the server's. */
  problems: readonly DemographicsProblem[];
  /** A save was tried: show the problems that only matter then. */
  showErrors: boolean;
}

const CUSTOM = "__custom__";

export function DemographicsEditor({ drafts, setDrafts, problems, showErrors }: EditorProps) {
  const { t } = useTranslation();
  const format = useFormat();
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
  const problemOf = (key: string) => problems.find((problem) => problem.dimension === key) ?? null;
  // About the whole target, or a dimension this editor does not show (it was removed meanwhile).
  const globalProblem = problems.find((problem) => !drafts.some((draft) => draft.key === problem.dimension)) ?? null;

  return (
    <section className="demographics" data-testid="demographics-editor" aria-labelledby={`${addSelectId}-title`}>
      <h2 id={`${addSelectId}-title`} className="section-title">
        {t("demographics.title")}
      </h2>
      <p className="muted">{t("demographics.intro")}</p>
      {globalProblem ? (
        <div className="notice notice--error" role="alert">
          {demographicsProblemText(t, format, globalProblem)}
        </div>
      ) : null}
      {drafts.length === 0 ? <p className="demographics__empty">{t("demographics.empty")}</p> : null}
      {drafts.map((draft) => (
        <DimensionEditor
          key={draft.uid}
          draft={draft}
          label={labels.dimension(draft.key)}
          problem={problemOf(draft.key)}
          showErrors={showErrors}
          onChange={(change) => update(draft.uid, change)}
          onRemove={() => {
            setDrafts((previous) => previous.filter((item) => item.uid !== draft.uid));
            setFocusTarget(addSelectId);
          }}
          onFocusRequest={setFocusTarget}
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

interface AddDimensionProps {
  selectId: string;
  available: readonly string[];
  taken: readonly string[];
  full: boolean;
  onAdd(key: string): void;
}

function AddDimension({ selectId, available, taken, full, onAdd }: AddDimensionProps) {
  const { t } = useTranslation();
  const format = useFormat();
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
      {full ? (
        <p className="field__hint">
          {t("demographics.maxDimensions", { count: MAX_DIMENSIONS, max: format.integer(MAX_DIMENSIONS) })}
        </p>
      ) : null}
    </div>
  );
}
