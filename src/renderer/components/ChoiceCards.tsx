import { useId, type ReactNode } from "react";

export interface Choice<V extends string | number> {
  value: V;
  label: ReactNode;
  /** One line under the label (cards only). */
  description?: ReactNode;
}

interface Props<V extends string | number> {
  legend: string;
  value: V;
  choices: readonly Choice<V>[];
  onChange(value: V): void;
  /** "cards": one bordered card per choice with its description; "segmented": a compact row. */
  variant?: "cards" | "segmented";
  /** Hide the legend visually (it still names the group for assistive tech). */
  legendHidden?: boolean;
  testId?: string;
}

/**
 * One choice of a few, as native radio buttons in a fieldset (arrow keys move between them, the
 * legend names the group), each drawn as a card whose whole area selects it.
 */
export function ChoiceCards<V extends string | number>({
  legend,
  value,
  choices,
  onChange,
  variant = "cards",
  legendHidden = false,
  testId,
}: Props<V>) {
  const name = useId();
  return (
    <fieldset className={`choices choices--${variant}`} data-testid={testId}>
      <legend className={legendHidden ? "visually-hidden" : "field__label"}>{legend}</legend>
      <div className="choices__list">
        {choices.map((choice) => {
          const id = `${name}-${choice.value}`;
          const descriptionId = choice.description ? `${id}-description` : undefined;
          return (
            <label key={choice.value} className="choice" htmlFor={id}>
              <input
                id={id}
                type="radio"
                name={name}
                value={choice.value}
                checked={value === choice.value}
                aria-labelledby={`${id}-label`}
                aria-describedby={descriptionId}
                onChange={() => onChange(choice.value)}
              />
              <span className="choice__text">
                <span className="choice__label" id={`${id}-label`}>
                  {choice.label}
                </span>
                {choice.description ? (
                  <span className="choice__description" id={descriptionId}>
                    {choice.description}
                  </span>
                ) : null}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
