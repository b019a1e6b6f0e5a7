import { useId } from "react";

/** A checkbox with its label and a hint that says what it does (the hint describes the box). */
export function CheckboxField({
  label,
  hint,
  checked,
  onChange,
  testId,
}: {
  label: string;
  hint: string;
  checked: boolean;
  onChange(checked: boolean): void;
  testId?: string;
}) {
  const hintId = useId();
  return (
    <div className="field checkbox-field">
      <label className="checkbox-row">
        <input
          type="checkbox"
          className="checkbox"
          checked={checked}
          data-testid={testId}
          aria-describedby={hintId}
          onChange={(event) => onChange(event.target.checked)}
        />
        <span>{label}</span>
      </label>
      <p className="field__hint" id={hintId}>
        {hint}
      </p>
    </div>
  );
}
