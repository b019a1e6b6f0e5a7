import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { FocusGroup, Insight } from "@shared/contract";
import { mergeThemes } from "@shared/domain/themes";
import { InsightList, type EvidenceContext } from "./Insights";

const QUESTION_IN_OPTION = 60;

/** The guide questions a theme's quotes come from. */
function questionsOf(insight: Insight, evidence: EvidenceContext): Set<number> {
  return new Set(insight.evidence.flatMap((id) => evidence.messagesById.get(id)?.questionIndex ?? []));
}

/**
 * Themes of the whole discussion: the same theme found under several questions is one theme with
 * all its quotes (tagged with each question it came up in). A filter shows one question's own
 * themes instead, as the analysis found them there.
 */
export function ThemesSection({
  items,
  evidence,
  guide,
}: {
  items: readonly Insight[];
  evidence: EvidenceContext;
  guide: FocusGroup["guide"];
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const filterId = useId();
  const [question, setQuestion] = useState<number | null>(null);
  if (items.length === 0) return null;

  const asked = [...new Set(items.flatMap((item) => [...questionsOf(item, evidence)]))].sort((a, b) => a - b);
  const shown: Insight[] =
    question === null
      ? mergeThemes(items).map((theme) => ({
          ...items.find((item) => item.id === theme.id)!,
          evidence: theme.evidence,
        }))
      : items.filter((item) => questionsOf(item, evidence).has(question));

  return (
    <section
      className="analysis__section analysis__section--theme"
      aria-labelledby={titleId}
      data-testid="insights-theme"
    >
      <div className="analysis__section-head">
        <h3 id={titleId} className="analysis__section-title">
          {t("analysis.kinds.theme")}
        </h3>
        {asked.length > 1 ? (
          <div className="field field--inline analysis__filter">
            <label className="field__label" htmlFor={filterId}>
              {t("analysis.themesFilter")}
            </label>
            <select
              id={filterId}
              className="select select--small"
              value={question ?? ""}
              data-testid="themes-filter"
              onChange={(event) => setQuestion(event.target.value === "" ? null : Number(event.target.value))}
            >
              <option value="">{t("analysis.themesAll")}</option>
              {asked.map((index) => {
                const text = guide[index]?.question ?? "";
                return (
                  <option key={index} value={index}>
                    {t("analysis.themesOne", {
                      n: index + 1,
                      question: text.length > QUESTION_IN_OPTION ? `${text.slice(0, QUESTION_IN_OPTION - 1)}…` : text,
                    })}
                  </option>
                );
              })}
            </select>
          </div>
        ) : null}
      </div>
      <InsightList items={shown} evidence={evidence} quotesOpen />
    </section>
  );
}
