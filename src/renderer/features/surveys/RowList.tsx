import { useTranslation } from "react-i18next";
import { newUid } from "../studies/reorder";
import type { OptionDraft } from "./question-drafts";

/** Options of a multiple-choice question, or items to rank: add, edit, remove. */
export function RowList({
  legend,
  rowLabel,
  addLabel,
  removeLabel,
  rows,
  max,
  error,
  errorId,
  rowErrors,
  onChange,
}: {
  legend: string;
  rowLabel(n: number): string;
  addLabel: string;
  removeLabel(n: number): string;
  rows: OptionDraft[];
  max: number;
  error?: string;
  errorId: string;
  rowErrors: Record<string, string>;
  onChange(rows: OptionDraft[]): void;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="row-list" aria-describedby={error ? errorId : undefined}>
      <legend className="field__label">{legend}</legend>
      <ol className="row-list__rows">
        {rows.map((row, index) => {
          const id = `row-${row.uid}`;
          const rowError = rowErrors[row.uid];
          return (
            <li key={row.uid} className="row-list__row">
              <label className="visually-hidden" htmlFor={id}>
                {rowLabel(index + 1)}
              </label>
              <input
                id={id}
                className="input input--small"
                maxLength={200}
                value={row.text}
                placeholder={rowLabel(index + 1)}
                // A row just added takes the focus (the two a new question starts with wait).
                autoFocus={index > 1 && row.text === ""}
                aria-invalid={rowError || error ? true : undefined}
                aria-describedby={rowError ? `${id}-error` : undefined}
                onChange={(event) =>
                  onChange(
                    rows.map((other) => (other.uid === row.uid ? { ...other, text: event.target.value } : other)),
                  )
                }
              />
              <button
                type="button"
                className="button button--small button--ghost-danger"
                aria-label={removeLabel(index + 1)}
                onClick={() => onChange(rows.filter((other) => other.uid !== row.uid))}
              >
                {t("studies.remove")}
              </button>
              {rowError ? (
                <p className="field__error row-list__error" id={`${id}-error`}>
                  {rowError}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
      {rows.length < max ? (
        <button
          type="button"
          className="button button--quiet button--small"
          onClick={() => onChange([...rows, { uid: newUid(), text: "" }])}
        >
          + {addLabel}
        </button>
      ) : null}
    </fieldset>
  );
}
