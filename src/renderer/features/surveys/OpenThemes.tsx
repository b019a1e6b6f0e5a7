import { useTranslation } from "react-i18next";
import type { Persona, SurveyResults } from "@shared/contract";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";

type QuestionResult = SurveyResults["questions"][number];

const QUOTES_PER_THEME = 2;

/** An open question's answers grouped into themes: how often each came up, with example quotes. */
export function OpenThemes({
  result,
  personasById,
}: {
  result: QuestionResult;
  personasById: ReadonlyMap<string, Persona>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const themes = result.openThemes ?? [];
  if (themes.length === 0) return <p className="muted">{t("surveyResults.noThemes")}</p>;
  const max = Math.max(1, ...themes.map((theme) => theme.count));
  return (
    <ul className="open-themes" data-testid="result-chart">
      {themes.map((theme) => (
        <li key={theme.theme} className="open-theme" data-testid="open-theme">
          <div className="open-theme__head">
            <span className="open-theme__name">{theme.theme}</span>
            <span className="open-theme__count">
              {t("surveyResults.mentions", { count: theme.count, n: format.integer(theme.count) })}
            </span>
          </div>
          <div className="open-theme__bar" aria-hidden="true">
            <span style={{ width: `${(theme.count / max) * 100}%` }} />
          </div>
          <ul className="open-theme__quotes">
            {theme.quotes.slice(0, QUOTES_PER_THEME).map((quote, index) => {
              const persona = personasById.get(quote.personaId);
              return (
                <li key={index}>
                  <blockquote className="quote__text">{quote.text}</blockquote>
                  <span className="quote__who">
                    —{" "}
                    {persona ? (
                      <a href={hrefOf({ page: "persona", id: persona.id })}>{persona.name}</a>
                    ) : (
                      t("focusGroups.deletedPersona")
                    )}
                  </span>
                </li>
              );
            })}
          </ul>
        </li>
      ))}
    </ul>
  );
}
