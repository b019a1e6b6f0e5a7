import { useMemo } from "react";
import { useTranslation } from "react-i18next";

/** Steps of 1024, as the export cache counts its limit in MB (and as Windows shows sizes). */
const BYTE_UNITS = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;

const RELATIVE_STEPS: readonly (readonly [Intl.RelativeTimeFormatUnit, number])[] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

/** Intl formatters in the active UI language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useMemo(() => {
    const date = new Intl.DateTimeFormat(language, { dateStyle: "medium" });
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });
    const integer = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
    const percent = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
    const usd = new Intl.NumberFormat(language, { style: "currency", currency: "USD", maximumFractionDigits: 0 });
    // LLM costs are often fractions of a cent: cents from a dollar up, three significant digits below.
    const cost = new Intl.NumberFormat(language, { style: "currency", currency: "USD", minimumFractionDigits: 2 });
    const smallCost = new Intl.NumberFormat(language, {
      style: "currency",
      currency: "USD",
      maximumSignificantDigits: 3,
    });
    const relative = new Intl.RelativeTimeFormat(language, { numeric: "always" });
    const byteUnits = BYTE_UNITS.map(
      (unit) =>
        new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: 1 }),
    );
    const moneyFormats = new Map<string, Intl.NumberFormat>();
    const moneyFormat = (currency: string) => {
      let format = moneyFormats.get(currency);
      if (!format) {
        format = new Intl.NumberFormat(language, { style: "currency", currency });
        moneyFormats.set(currency, format);
      }
      return format;
    };
    const fixed = new Map<number, Intl.NumberFormat>();
    const fixedFormat = (digits: number) => {
      let format = fixed.get(digits);
      if (!format) {
        format = new Intl.NumberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits });
        fixed.set(digits, format);
      }
      return format;
    };
    return {
      language,
      date: (iso: string) => date.format(new Date(iso)),
      dateTime: (iso: string) => dateTime.format(new Date(iso)),
      integer: (value: number) => integer.format(value),
      /** A percentage number (0–100), without the % sign. */
      percent: (value: number) => percent.format(value),
      usd: (value: number) => usd.format(value),
      /** Dollars spent on model calls: $1.25, $0.0123, $0.00. */
      cost: (value: number) => (value === 0 || value >= 1 ? cost.format(value) : smallCost.format(value)),
      /**
       * An amount in a currency's smallest unit (Stripe's cents, yen): 4900 "usd" → $49.00. The
       * currency's own decimals come from Intl (ISO 4217), which match Stripe's zero-decimal list.
       */
      money: (minor: number, currency: string) => {
        const code = currency.toUpperCase();
        let format: Intl.NumberFormat;
        try {
          format = moneyFormat(code);
        } catch (error) {
          // An unknown code (RangeError) still shows the amount rather than breaking the page.
          if (!(error instanceof RangeError)) throw error;
          return `${fixedFormat(2).format(minor / 100)} ${code}`;
        }
        return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
      },
      /** A number with exactly `digits` decimals, in the UI language (0.65 / 0,65). */
      fixed: (value: number, digits: number) => fixedFormat(digits).format(value),
      /** A file size in the largest unit that keeps it at 1 or more: 812 byte, 12.4 kB, 3 MB. */
      bytes: (value: number) => {
        let index = 0;
        let scaled = value;
        while (scaled >= 1024 && index < byteUnits.length - 1) {
          scaled /= 1024;
          index += 1;
        }
        return byteUnits[index]!.format(index === 0 ? Math.round(scaled) : scaled);
      },
      /** How far a moment is from now, in the largest whole unit: "12 minutes ago", "in 24 hours". */
      relative: (iso: string, now: number = Date.now()) => {
        const seconds = (new Date(iso).getTime() - now) / 1000;
        for (const [unit, size] of RELATIVE_STEPS) {
          if (Math.abs(seconds) >= size || unit === "second") return relative.format(Math.round(seconds / size), unit);
        }
        return relative.format(0, "second");
      },
    };
  }, [language]);
}

/** The formatters of one language, as useFormat returns them. */
export type Format = ReturnType<typeof useFormat>;
