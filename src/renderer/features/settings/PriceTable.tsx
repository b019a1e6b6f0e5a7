import { useRef } from "react";
import { useTranslation } from "react-i18next";
import type { ModelPrice } from "@shared/contract";

export interface PriceRow {
  uid: string;
  model: string;
  input: string;
  output: string;
}

let counter = 0;
export const newPriceRow = (model = "", price?: ModelPrice): PriceRow => ({
  uid: `price${++counter}`,
  model,
  input: price ? String(price.inputPerMTok) : "",
  output: price ? String(price.outputPerMTok) : "",
});

interface Props {
  rows: PriceRow[];
  onChange(rows: PriceRow[]): void;
  /** Problems per row uid (a duplicate model, a number out of range, the server's message). */
  errors: Readonly<Record<string, string>>;
}

/** Model → $ per million input / output tokens; what runs are priced with. */
export function PriceTable({ rows, onChange, errors }: Props) {
  const { t } = useTranslation();
  const addRef = useRef<HTMLButtonElement>(null);
  const add = () => {
    const row = newPriceRow();
    onChange([...rows, row]);
    window.setTimeout(() => document.getElementById(`${row.uid}-model`)?.focus(), 0);
  };
  const change = (uid: string, patch: Partial<PriceRow>) =>
    onChange(rows.map((row) => (row.uid === uid ? { ...row, ...patch } : row)));

  return (
    <div className="price-table">
      {rows.length === 0 ? (
        <p className="muted">{t("aiProvider.noPrices")}</p>
      ) : (
        <table className="weights">
          <thead>
            <tr>
              <th scope="col">{t("aiProvider.priceModel")}</th>
              <th scope="col">{t("aiProvider.priceInput")}</th>
              <th scope="col">{t("aiProvider.priceOutput")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("aiProvider.priceActions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const error = errors[row.uid];
              const name = row.model.trim() || t("aiProvider.priceRow", { index: index + 1 });
              const errorId = `${row.uid}-error`;
              return (
                <tr key={row.uid} className={error ? "weights__row--invalid" : undefined}>
                  <td>
                    <input
                      id={`${row.uid}-model`}
                      className="input input--small"
                      type="text"
                      value={row.model}
                      spellCheck={false}
                      maxLength={200}
                      aria-label={t("aiProvider.priceModelOf", { index: index + 1 })}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? errorId : undefined}
                      onChange={(event) => change(row.uid, { model: event.target.value })}
                    />
                    {error ? (
                      <span id={errorId} className="weights__note">
                        {error}
                      </span>
                    ) : null}
                  </td>
                  <td>
                    <input
                      className="input input--small input--number price-table__number"
                      type="number"
                      inputMode="decimal"
                      min={0}
                      max={1000}
                      step="any"
                      value={row.input}
                      aria-label={t("aiProvider.priceInputOf", { model: name })}
                      onChange={(event) => change(row.uid, { input: event.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      className="input input--small input--number price-table__number"
                      type="number"
                      inputMode="decimal"
                      min={0}
                      max={1000}
                      step="any"
                      value={row.output}
                      aria-label={t("aiProvider.priceOutputOf", { model: name })}
                      onChange={(event) => change(row.uid, { output: event.target.value })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={t("aiProvider.removePrice", { model: name })}
                      title={t("aiProvider.removePrice", { model: name })}
                      onClick={() => {
                        onChange(rows.filter((other) => other.uid !== row.uid));
                        addRef.current?.focus();
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
      <button ref={addRef} type="button" className="button button--small" onClick={add}>
        <span aria-hidden="true">+</span> {t("aiProvider.addPrice")}
      </button>
    </div>
  );
}
