import { useMemo } from "react";
import { useTranslation } from "react-i18next";

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
    return {
      language,
      date: (iso: string) => date.format(new Date(iso)),
      dateTime: (iso: string) => dateTime.format(new Date(iso)),
      integer: (value: number) => integer.format(value),
      /** A percentage number (0–100), without the % sign. */
      percent: (value: number) => percent.format(value),
      usd: (value: number) => usd.format(value),
    };
  }, [language]);
}
