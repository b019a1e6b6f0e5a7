import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";

/** Below -NEUTRAL or above +NEUTRAL a score reads as negative or positive. */
export const NEUTRAL_BAND = 0.2;

export type SentimentTone = "negative" | "neutral" | "positive";

export function toneOf(value: number): SentimentTone {
  return value <= -NEUTRAL_BAND ? "negative" : value >= NEUTRAL_BAND ? "positive" : "neutral";
}

/** "+0.45" / "−0.30" / "0.00" in the UI language. */
export function useSignedScore() {
  const format = useFormat();
  return (value: number) => {
    // Rounded first, so a score of −0.001 reads "0.00" and not "−0.00".
    const rounded = Math.round(value * 100) / 100;
    return `${rounded > 0 ? "+" : rounded < 0 ? "−" : ""}${format.fixed(Math.abs(rounded), 2)}`;
  };
}

/** One message's sentiment (−1..1) as a coloured dot with its score for assistive tech and on hover. */
export function SentimentDot({ value }: { value: number }) {
  const { t } = useTranslation();
  const signed = useSignedScore();
  const tone = toneOf(value);
  const label = t("analysis.sentimentOf", { score: signed(value), tone: t(`analysis.tone.${tone}`) });
  return (
    <span
      className={`sentiment-dot sentiment-dot--${tone}`}
      role="img"
      aria-label={label}
      title={label}
      data-testid="sentiment-dot"
    />
  );
}
