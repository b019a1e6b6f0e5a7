import type { Language } from "../../../../shared/contract/settings";

/** Number and date formatting in the report's language (Polish uses a decimal comma). */
export interface Format {
  date(iso: string): string;
  dateRange(from: string | null, to: string | null, none: string): string;
  number(value: number, digits?: number): string;
  signed(value: number, digits?: number): string;
  percent(value: number): string;
  pValue(p: number | null): string;
}

export function formatter(language: Language): Format {
  const locale = language === "pl" ? "pl-PL" : "en-GB";
  const dates = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric" });
  const numbers = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number) => {
    let nf = numbers.get(digits);
    if (!nf) {
      nf = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
      numbers.set(digits, nf);
    }
    return nf;
  };
  const number = (value: number, digits = 2) => numberFormat(digits).format(value);
  return {
    date: (iso) => dates.format(new Date(iso)),
    dateRange(from, to, none) {
      if (!from || !to) return none;
      const a = dates.format(new Date(from));
      const b = dates.format(new Date(to));
      return a === b ? a : `${a} – ${b}`;
    },
    number,
    signed: (value, digits = 2) => (value > 0 ? "+" : value < 0 ? "−" : "") + number(Math.abs(value), digits),
    percent: (value) => `${number(value, 0)}%`,
    // Three decimals, and a floor so a tiny p never reads as "0.000".
    pValue: (p) => (p === null ? "–" : p < 0.001 ? `< ${number(0.001, 3)}` : number(p, 3)),
  };
}
