import { useTranslation } from "react-i18next";
import type { FocusGroup, Persona } from "@shared/contract";
import { RECOMMENDED_MAX_PARTICIPANTS } from "@shared/contract";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { isDiscussionLanguage } from "./languages";

/** Labels of 0, 1 and 2 discussion rounds (fgForm.roundsOption.*). */
export const ROUND_KEYS = ["none", "one", "two"] as const;

/** Who takes part, what will be asked, and how: the setup as saved. */
export function SetupSummary({
  group,
  personasById,
}: {
  group: FocusGroup;
  personasById: ReadonlyMap<string, Persona>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { settings } = group;
  return (
    <div className="setup" data-testid="setup-summary">
      <section className="setup__block">
        <h3 className="setup__title">
          {t("fgForm.participants")} <span className="muted">({format.integer(group.participantIds.length)})</span>
        </h3>
        <ul className="chips">
          {group.participantIds.map((id) => {
            const persona = personasById.get(id);
            return (
              <li key={id} className="chip">
                {persona ? (
                  <a href={hrefOf({ page: "persona", id })}>{persona.name}</a>
                ) : (
                  t("focusGroups.deletedPersona")
                )}
              </li>
            );
          })}
        </ul>
      </section>
      <section className="setup__block">
        <h3 className="setup__title">{t("fgForm.guide")}</h3>
        <ol className="setup__guide">
          {group.guide.map((item, index) => (
            <li key={index}>
              <p className="setup__question">{item.question}</p>
              {item.probes.length > 0 ? (
                <ul className="setup__probes" aria-label={t("fgForm.probes")}>
                  {item.probes.map((probe, probeIndex) => (
                    <li key={probeIndex}>{probe}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
      <section className="setup__block">
        <h3 className="setup__title">{t("fgForm.settings")}</h3>
        <dl className="facts">
          <div className="facts__row">
            <dt>{t("fgForm.rounds")}</dt>
            <dd>{t(`fgForm.roundsOption.${ROUND_KEYS[Math.min(2, Math.max(0, settings.discussionRounds))]!}`)}</dd>
          </div>
          <div className="facts__row">
            <dt>{t("fgForm.followUpsTitle")}</dt>
            <dd>{settings.moderatorFollowUps ? t("focusGroups.on") : t("focusGroups.off")}</dd>
          </div>
          <div className="facts__row">
            <dt>{t("fgForm.language")}</dt>
            <dd>
              {isDiscussionLanguage(settings.language) ? t(`fgForm.languages.${settings.language}`) : settings.language}
            </dd>
          </div>
          <div className="facts__row">
            <dt>{t("wizard.model")}</dt>
            <dd>{settings.model ? <code>{settings.model}</code> : t("focusGroups.defaultModel")}</dd>
          </div>
          <div className="facts__row">
            <dt>{t("fgForm.temperature")}</dt>
            <dd>{format.fixed(settings.temperature, 1)}</dd>
          </div>
          <div className="facts__row">
            <dt>{t("wizard.seed")}</dt>
            <dd>{settings.seed === undefined ? t("wizard.seedPlaceholder") : settings.seed}</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}

/** The server's rough cost and time figures before a run, with its warnings in the UI language. */
export function EstimateCard({ group }: { group: FocusGroup }) {
  const { t } = useTranslation();
  const format = useFormat();
  const duration = useDuration();
  const { estimate } = group;
  const warnings = estimate.warnings.map((warning) => {
    const price = /^No price is set for (.+?);/.exec(warning);
    if (price) return t("estimate.noPrice", { model: price[1] });
    if (warning.startsWith(`More than ${RECOMMENDED_MAX_PARTICIPANTS} participants`))
      return t("fgForm.manyParticipants", {
        count: RECOMMENDED_MAX_PARTICIPANTS,
        max: format.integer(RECOMMENDED_MAX_PARTICIPANTS),
      });
    return warning;
  });
  return (
    <section className="card estimate" aria-labelledby="estimate-title" data-testid="estimate">
      <h2 id="estimate-title" className="section-title">
        {t("estimate.title")}
      </h2>
      <dl className="estimate__grid">
        <div>
          <dt>{t("estimate.calls")}</dt>
          <dd>{format.integer(estimate.llmCalls)}</dd>
        </div>
        <div>
          <dt>{t("estimate.tokens")}</dt>
          <dd>
            {t("estimate.tokensValue", {
              input: format.integer(estimate.inputTokens),
              output: format.integer(estimate.outputTokens),
            })}
          </dd>
        </div>
        <div>
          <dt>{t("estimate.cost")}</dt>
          <dd data-testid="estimate-cost">
            {estimate.costUsd > 0
              ? t("estimate.about", { value: format.cost(estimate.costUsd) })
              : t("estimate.noCost")}
          </dd>
        </div>
        <div>
          <dt>{t("estimate.time")}</dt>
          <dd data-testid="estimate-time">{t("estimate.about", { value: duration(estimate.seconds) })}</dd>
        </div>
      </dl>
      {warnings.length > 0 ? (
        <ul className="estimate__warnings" data-testid="estimate-warnings">
          {warnings.map((warning) => (
            <li key={warning} className="notice notice--warn">
              {warning}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="field__hint">{t("estimate.hint")}</p>
    </section>
  );
}

/** "45 s", "3 min", "1 h 10 min". */
export function useDuration() {
  const { t } = useTranslation();
  const format = useFormat();
  return (seconds: number) => {
    const total = Math.max(1, Math.round(seconds));
    if (total < 60) return t("estimate.seconds", { s: format.integer(total) });
    const minutes = Math.round(total / 60);
    if (minutes < 60) return t("estimate.minutes", { m: format.integer(minutes) });
    return t("estimate.hours", { h: format.integer(Math.floor(minutes / 60)), m: format.integer(minutes % 60) });
  };
}
