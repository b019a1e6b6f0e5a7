import { useId } from "react";
import { useTranslation } from "react-i18next";
import { MAX_PARTICIPANTS, MIN_PARTICIPANTS, RECOMMENDED_MAX_PARTICIPANTS, type Persona } from "@shared/contract";
import { useFormat } from "../../i18n/format";
import { Avatar } from "../personas/Avatar";
import { usePersonaSummary } from "../personas/labels";

interface Props {
  personas: readonly Persona[];
  selected: readonly string[];
  dimensionOrder: readonly string[];
  error?: string | null;
  onChange(ids: string[]): void;
}

/** Which of the project's personas take part: 2–20 recommended, more allowed with a warning. */
export function ParticipantPicker({ personas, selected, dimensionOrder, error, onChange }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const summary = usePersonaSummary();
  const legendId = useId();
  const countId = `${legendId}-count`;
  const chosen = new Set(selected);
  const toggle = (id: string, on: boolean) =>
    // Kept in the roster's order, so the transcript's speaking order follows the list.
    onChange(personas.filter((p) => (p.id === id ? on : chosen.has(p.id))).map((p) => p.id));
  const count = selected.length;

  return (
    <fieldset className="participants" aria-describedby={countId}>
      <legend id={legendId} className="section-title">
        {t("fgForm.participants")}
      </legend>
      <div className="participants__bar">
        <p id={countId} className="participants__count" aria-live="polite" data-testid="participants-count">
          {t("fgForm.selectedCount", { count: format.integer(count), total: format.integer(personas.length) })}
        </p>
        <div className="button-row">
          <button
            type="button"
            className="button button--small"
            disabled={count === personas.length}
            onClick={() => onChange(personas.slice(0, MAX_PARTICIPANTS).map((p) => p.id))}
          >
            {t("fgForm.selectAll")}
          </button>
          <button type="button" className="button button--small" disabled={count === 0} onClick={() => onChange([])}>
            {t("fgForm.selectNone")}
          </button>
        </div>
      </div>
      <ul className="participants__list">
        {personas.map((persona) => {
          const id = `participant-${persona.id}`;
          return (
            <li key={persona.id} className="participants__item">
              <input
                id={id}
                type="checkbox"
                className="checkbox"
                // Named by the persona alone; who they are is the description.
                aria-labelledby={`${id}-name`}
                aria-describedby={`${id}-facts`}
                checked={chosen.has(persona.id)}
                onChange={(event) => toggle(persona.id, event.target.checked)}
              />
              <label htmlFor={id} className="participants__label">
                <Avatar name={persona.name} />
                <span className="participants__who">
                  <span className="participants__name" id={`${id}-name`}>
                    {persona.name}
                  </span>
                  <span className="participants__facts" id={`${id}-facts`}>
                    {summary(persona, dimensionOrder)} · {persona.occupation}
                  </span>
                </span>
              </label>
            </li>
          );
        })}
      </ul>
      {error ? (
        <p className="field__error" role="alert" data-testid="participants-error">
          {error}
        </p>
      ) : count > RECOMMENDED_MAX_PARTICIPANTS ? (
        <p className="notice notice--warn" data-testid="participants-warning">
          {t("fgForm.manyParticipants", {
            count: RECOMMENDED_MAX_PARTICIPANTS,
            max: format.integer(RECOMMENDED_MAX_PARTICIPANTS),
          })}
        </p>
      ) : count > 0 && count < MIN_PARTICIPANTS ? (
        <p className="field__hint">
          {t("fgForm.tooFewHint", { count: MIN_PARTICIPANTS, min: format.integer(MIN_PARTICIPANTS) })}
        </p>
      ) : null}
    </fieldset>
  );
}
