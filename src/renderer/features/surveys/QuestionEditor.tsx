import { useTranslation } from "react-i18next";
import { QUESTION_TYPES } from "@shared/contract";
import { RowTools } from "../studies/RowTools";
import { RowList } from "./RowList";
import { isQuestionType, type QuestionDraft, type QuestionField, type SurveyErrors } from "./question-drafts";

const MAX_OPTIONS = 20;
const MAX_ITEMS = 10;

interface Props {
  draft: QuestionDraft;
  index: number;
  count: number;
  errors: SurveyErrors;
  onChange(change: Partial<QuestionDraft>): void;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
}

/** One survey question: type, text, required, and the fields its type needs. */
export function QuestionEditor({ draft, index, count, errors, onChange, onMove, onRemove }: Props) {
  const { t } = useTranslation();
  const own = errors.byQuestion[draft.uid] ?? {};
  const base = `question-${draft.uid}`;
  const fieldError = (field: QuestionField) =>
    own[field] ? (
      <p className="field__error" id={`${base}-${field}-error`}>
        {own[field]}
      </p>
    ) : null;
  const invalid = (field: QuestionField) =>
    own[field] ? { "aria-invalid": true as const, "aria-describedby": `${base}-${field}-error` } : {};
  const hasErrors = Object.keys(own).length > 0;

  return (
    <li
      className={`question-editor${hasErrors ? " question-editor--invalid" : ""}`}
      data-testid="question-editor"
      data-type={draft.type}
    >
      <fieldset className="question-editor__fieldset">
        <legend className="question-editor__legend">{t("surveyBuilder.questionN", { n: index + 1 })}</legend>
        {fieldError("general")}
        <div className="question-editor__top">
          <div className="field">
            <label className="field__label" htmlFor={`${base}-type`}>
              {t("surveyBuilder.type")}
            </label>
            <select
              id={`${base}-type`}
              className="select"
              value={draft.type}
              {...invalid("type")}
              onChange={(event) => {
                if (isQuestionType(event.target.value)) onChange({ type: event.target.value });
              }}
            >
              {QUESTION_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`surveyBuilder.types.${type}`)}
                </option>
              ))}
            </select>
            {fieldError("type")}
          </div>
          <label className="checkbox-row question-editor__required">
            <input
              type="checkbox"
              className="checkbox"
              checked={draft.required}
              onChange={(event) => onChange({ required: event.target.checked })}
            />
            <span>{t("surveyBuilder.required")}</span>
          </label>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${base}-text`}>
            {t("surveyBuilder.text")}
          </label>
          <textarea
            id={`${base}-text`}
            className="textarea"
            rows={2}
            maxLength={1000}
            value={draft.text}
            autoFocus={index > 0 && draft.text === "" && draft.id === undefined}
            placeholder={t("surveyBuilder.textPlaceholder")}
            {...invalid("text")}
            onChange={(event) => onChange({ text: event.target.value })}
          />
          {fieldError("text")}
        </div>

        {draft.type === "multiple_choice" ? (
          <>
            <RowList
              legend={t("surveyBuilder.options")}
              rowLabel={(n) => t("surveyBuilder.optionN", { n })}
              addLabel={t("surveyBuilder.addOption")}
              removeLabel={(n) => t("surveyBuilder.removeOption", { n })}
              rows={draft.options}
              max={MAX_OPTIONS}
              error={own.options}
              errorId={`${base}-options-error`}
              rowErrors={errors.byRow}
              onChange={(options) => onChange({ options })}
            />
            <fieldset className="selection">
              <legend className="field__label">{t("surveyBuilder.selection")}</legend>
              <label className="checkbox-row">
                <input
                  type="radio"
                  name={`${base}-selection`}
                  checked={!draft.multiple}
                  onChange={() => onChange({ multiple: false })}
                />
                <span>{t("surveyBuilder.single")}</span>
              </label>
              <label className="checkbox-row">
                <input
                  type="radio"
                  name={`${base}-selection`}
                  checked={draft.multiple}
                  onChange={() => onChange({ multiple: true })}
                />
                <span>{t("surveyBuilder.multiple")}</span>
              </label>
              {draft.multiple ? (
                <div className="field field--inline">
                  <label className="field__label" htmlFor={`${base}-max-selections`}>
                    {t("surveyBuilder.maxSelections")}
                  </label>
                  <input
                    id={`${base}-max-selections`}
                    className="input input--number input--short"
                    type="number"
                    min={2}
                    max={Math.max(2, draft.options.length)}
                    step={1}
                    value={draft.maxSelections}
                    {...invalid("maxSelections")}
                    onChange={(event) => onChange({ maxSelections: event.target.value })}
                  />
                </div>
              ) : null}
              {fieldError("maxSelections")}
            </fieldset>
          </>
        ) : null}

        {draft.type === "rating_scale" ? (
          <div className="scale-fields">
            <div className="field">
              <label className="field__label" htmlFor={`${base}-min`}>
                {t("surveyBuilder.min")}
              </label>
              <input
                id={`${base}-min`}
                className="input input--number input--short"
                type="number"
                step={1}
                value={draft.min}
                {...invalid("min")}
                onChange={(event) => onChange({ min: event.target.value })}
              />
              {fieldError("min")}
            </div>
            <div className="field">
              <label className="field__label" htmlFor={`${base}-min-label`}>
                {t("surveyBuilder.minLabel")}
              </label>
              <input
                id={`${base}-min-label`}
                className="input"
                maxLength={100}
                value={draft.minLabel}
                placeholder={t("surveyBuilder.minLabelPlaceholder")}
                {...invalid("minLabel")}
                onChange={(event) => onChange({ minLabel: event.target.value })}
              />
              {fieldError("minLabel")}
            </div>
            <div className="field">
              <label className="field__label" htmlFor={`${base}-max`}>
                {t("surveyBuilder.max")}
              </label>
              <input
                id={`${base}-max`}
                className="input input--number input--short"
                type="number"
                step={1}
                value={draft.max}
                {...invalid("max")}
                onChange={(event) => onChange({ max: event.target.value })}
              />
              {fieldError("max")}
            </div>
            <div className="field">
              <label className="field__label" htmlFor={`${base}-max-label`}>
                {t("surveyBuilder.maxLabel")}
              </label>
              <input
                id={`${base}-max-label`}
                className="input"
                maxLength={100}
                value={draft.maxLabel}
                placeholder={t("surveyBuilder.maxLabelPlaceholder")}
                {...invalid("maxLabel")}
                onChange={(event) => onChange({ maxLabel: event.target.value })}
              />
              {fieldError("maxLabel")}
            </div>
          </div>
        ) : null}

        {draft.type === "ranking" ? (
          <RowList
            legend={t("surveyBuilder.items")}
            rowLabel={(n) => t("surveyBuilder.itemN", { n })}
            addLabel={t("surveyBuilder.addItem")}
            removeLabel={(n) => t("surveyBuilder.removeItem", { n })}
            rows={draft.items}
            max={MAX_ITEMS}
            error={own.items}
            errorId={`${base}-items-error`}
            rowErrors={errors.byRow}
            onChange={(items) => onChange({ items })}
          />
        ) : null}

        {draft.type === "open_ended" ? <p className="field__hint">{t("surveyBuilder.openHint")}</p> : null}

        <RowTools uid={draft.uid} index={index} count={count} onMove={onMove} onRemove={onRemove} />
      </fieldset>
    </li>
  );
}
