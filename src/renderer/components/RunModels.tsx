import { useTranslation } from "react-i18next";
import type { RunModel } from "../../shared/contract";
import { useFormat } from "../i18n/format";

/**
 * The model a finished (or running) job recorded for its calls: the id asked for, the version the
 * provider says answered, temperature, seed, prompt version and calls. One line per distinct
 * setting; a run from before Sight recorded models says so instead of guessing.
 */
export function RunModels({ models, finished }: { models: RunModel[]; finished: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (models.length === 0 && !finished) return null;
  return (
    <div className="run-models" data-testid="run-models">
      <span className="muted" title={t("runModels.hint")}>
        {t("runModels.title")}:
      </span>{" "}
      {models.length === 0 ? (
        <span className="muted">{t("runModels.notRecorded")}</span>
      ) : (
        <ul className="run-models__list">
          {models.map((m, i) => (
            <li key={i}>
              <code>{m.model}</code>
              {m.modelVersion && m.modelVersion !== m.model
                ? ` (${t("runModels.answeredAs", { version: m.modelVersion })})`
                : ""}
              {" · "}
              {m.temperature === null
                ? t("runModels.defaultTemperature")
                : t("runModels.temperature", { value: format.percent(m.temperature) })}
              {" · "}
              {m.seed === null ? t("runModels.noSeed") : t("runModels.seed", { value: String(m.seed) })}
              {m.promptVersion ? ` · ${t("runModels.prompts", { version: m.promptVersion })}` : ""}
              {" · "}
              {t("runModels.calls", { count: m.calls, formatted: format.integer(m.calls) })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
