import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { BIG_FIVE_TRAITS, type BigFive, type Persona, type RouteInput } from "@shared/contract";
import { parseAgeBracket } from "@shared/domain/demographics";
import { invokeQueryKey, useInvokeMutation } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { Field } from "../../components/ui";
import { useIssueText } from "../../forms/issue-text";
import { issuesOf } from "../../forms/issues";
import { useFormat } from "../../i18n/format";

type Patch = Omit<RouteInput<"personas.update">, "id">;
type TextField = "name" | "location" | "occupation" | "backgroundStory" | "communicationStyle" | "decisionMakingStyle";
type ListField = "values" | "interests" | "concerns";
type FormField = TextField | ListField | "age" | "bigFive";

const TEXT_MAX: Record<TextField, number> = {
  name: 120,
  location: 200,
  occupation: 200,
  backgroundStory: 8000,
  communicationStyle: 1000,
  decisionMakingStyle: 1000,
};
const LIST_MAX_ITEMS = 12;
const LIST_ITEM_MAX = 200;

const linesOf = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, index) => item === b[index]);

/** The editable fields of personaPatchSchema; only what changed is sent. The quota slot stays fixed. */
export function PersonaEditForm({ persona, onDone }: { persona: Persona; onDone(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const issueText = useIssueText();
  const notify = useNotify();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [texts, setTexts] = useState<Record<TextField, string>>({
    name: persona.name,
    location: persona.location,
    occupation: persona.occupation,
    backgroundStory: persona.backgroundStory,
    communicationStyle: persona.communicationStyle,
    decisionMakingStyle: persona.decisionMakingStyle,
  });
  const [age, setAge] = useState(String(persona.age));
  const [lists, setLists] = useState<Record<ListField, string>>({
    values: persona.values.join("\n"),
    interests: persona.interests.join("\n"),
    concerns: persona.concerns.join("\n"),
  });
  const [traits, setTraits] = useState<Record<keyof BigFive, string>>(
    () =>
      Object.fromEntries(
        BIG_FIVE_TRAITS.map((trait) => [trait, String(Math.round(persona.bigFive[trait] * 100))]),
      ) as Record<keyof BigFive, string>,
  );
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [focusErrors, setFocusErrors] = useState(0);
  const bracket = persona.demographics.age_group ? parseAgeBracket(persona.demographics.age_group) : null;
  // "65+" reads as 65–120; the contract stops at 110.
  const ageRange = bracket ? { min: Math.max(bracket.min, 16), max: Math.min(bracket.max, 110) } : null;
  const outsideBracket = (range: { min: number; max: number }) =>
    t("formErrors.reasons.outside_age_group", { min: format.integer(range.min), max: format.integer(range.max) });
  /** The words each field uses whatever rule it broke; null where the issue's own words are better. */
  const ownWords = (field: FormField): string | null =>
    field in TEXT_MAX
      ? t("persona.textError", { max: TEXT_MAX[field as TextField] })
      : field === "values" || field === "interests" || field === "concerns"
        ? t("persona.listError", { max: LIST_MAX_ITEMS, length: LIST_ITEM_MAX })
        : field === "bigFive"
          ? t("persona.traitError")
          : null;

  useEffect(() => {
    if (focusErrors === 0) return;
    const target =
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      formRef.current?.querySelector<HTMLElement>(".form-error");
    target?.scrollIntoView({ block: "center" });
    target?.focus({ preventScroll: true });
  }, [focusErrors]);

  const update = useInvokeMutation("personas.update", {
    onSuccess: (next) => {
      client.setQueryData(invokeQueryKey("personas.get", { id: next.id }), next);
      notify.success(({ t }) => t("persona.saved"), next.name);
      onDone();
    },
    onError: (error) => {
      const issues = issuesOf(error);
      if (!issues) {
        notify.error(error);
        return;
      }
      // Each field says what it needs in its own words; the age names its bracket.
      const next: Partial<Record<FormField, string>> = {};
      for (const issue of issues) {
        const field = issue.path[0] as FormField;
        next[field] ??= ownWords(field) ?? issueText(issue);
      }
      setErrors(next);
      setFormError(t("persona.fixErrors"));
      setFocusErrors((count) => count + 1);
    },
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (update.isPending) return;
    const problems: Partial<Record<FormField, string>> = {};
    const patch: Patch = {};

    for (const field of Object.keys(TEXT_MAX) as TextField[]) {
      const value = texts[field].trim();
      if (!value || value.length > TEXT_MAX[field]) problems[field] = t("persona.textError", { max: TEXT_MAX[field] });
      else if (value !== persona[field]) patch[field] = value;
    }
    const ageValue = /^\d+$/.test(age.trim()) ? Number(age.trim()) : NaN;
    // The contract's range, then the slot's bracket (the server checks it too, in the same words).
    if (!Number.isInteger(ageValue) || ageValue < 16 || ageValue > 110) {
      problems.age = ageRange ? outsideBracket(ageRange) : t("persona.ageError");
    } else if (ageRange && (ageValue < ageRange.min || ageValue > ageRange.max))
      problems.age = outsideBracket(ageRange);
    else if (ageValue !== persona.age) patch.age = ageValue;
    for (const field of ["values", "interests", "concerns"] as const) {
      const items = linesOf(lists[field]);
      if (items.length < 1 || items.length > LIST_MAX_ITEMS || items.some((item) => item.length > LIST_ITEM_MAX)) {
        problems[field] = t("persona.listError", { max: LIST_MAX_ITEMS, length: LIST_ITEM_MAX });
      } else if (!sameList(items, persona[field])) patch[field] = items;
    }
    const bigFive = {} as BigFive;
    for (const trait of BIG_FIVE_TRAITS) {
      const value = Number(traits[trait].trim().replace(",", "."));
      if (traits[trait].trim() === "" || !Number.isFinite(value) || value < 0 || value > 100) {
        problems.bigFive = t("persona.traitError");
      }
      // Untouched traits keep their exact stored value (the inputs show rounded percentages).
      bigFive[trait] =
        traits[trait] === String(Math.round(persona.bigFive[trait] * 100)) ? persona.bigFive[trait] : value / 100;
    }
    if (BIG_FIVE_TRAITS.some((trait) => bigFive[trait] !== persona.bigFive[trait])) patch.bigFive = bigFive;

    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      setFormError(t("persona.fixErrors"));
      setFocusErrors((count) => count + 1);
      return;
    }
    setFormError(null);
    if (Object.keys(patch).length === 0) {
      onDone();
      return;
    }
    update.mutate({ id: persona.id, ...patch });
  };

  const textField = (field: TextField, label: string, rows?: number) => (
    <Field label={label} error={errors[field]} required>
      {({ id, describedBy, invalid }) =>
        rows ? (
          <textarea
            id={id}
            className="textarea"
            rows={rows}
            maxLength={TEXT_MAX[field]}
            value={texts[field]}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(event) => setTexts((previous) => ({ ...previous, [field]: event.target.value }))}
          />
        ) : (
          <input
            id={id}
            className="input"
            type="text"
            maxLength={TEXT_MAX[field]}
            value={texts[field]}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(event) => setTexts((previous) => ({ ...previous, [field]: event.target.value }))}
          />
        )
      }
    </Field>
  );

  const listField = (field: ListField, label: string) => (
    <Field label={label} hint={t("persona.listHint", { max: LIST_MAX_ITEMS })} error={errors[field]} required>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          className="textarea"
          rows={4}
          value={lists[field]}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(event) => setLists((previous) => ({ ...previous, [field]: event.target.value }))}
        />
      )}
    </Field>
  );

  return (
    <form ref={formRef} className="form persona-form" onSubmit={submit} noValidate aria-label={t("persona.editTitle")}>
      {formError ? (
        <p className="notice notice--error form-error" role="alert" tabIndex={-1}>
          {formError}
        </p>
      ) : null}
      <section className="card">
        <h2 className="section-title">{t("persona.profile")}</h2>
        <div className="form-grid">
          {textField("name", t("persona.name"))}
          <Field
            label={t("persona.age")}
            hint={ageRange ? t("persona.ageHint", ageRange) : undefined}
            error={errors.age}
            required
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input input--number input--short"
                type="number"
                inputMode="numeric"
                min={16}
                max={110}
                step={1}
                value={age}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => setAge(event.target.value)}
              />
            )}
          </Field>
          {textField("location", t("persona.location"))}
          {textField("occupation", t("persona.occupation"))}
        </div>
      </section>
      <section className="card">
        <h2 className="section-title">{t("persona.story")}</h2>
        {textField("backgroundStory", t("persona.story"), 12)}
        {textField("communicationStyle", t("persona.communicationStyle"), 3)}
        {textField("decisionMakingStyle", t("persona.decisionMakingStyle"), 3)}
      </section>
      <section className="card">
        <h2 className="section-title">{t("persona.valuesInterestsConcerns")}</h2>
        <div className="form-grid form-grid--three">
          {listField("values", t("persona.values"))}
          {listField("interests", t("persona.interests"))}
          {listField("concerns", t("persona.concerns"))}
        </div>
      </section>
      <fieldset className="card trait-fieldset" aria-describedby="trait-hint">
        <legend className="section-title">{t("persona.bigFive")}</legend>
        <p id="trait-hint" className="field__hint">
          {t("persona.traitHint")}
        </p>
        <div className="trait-inputs">
          {BIG_FIVE_TRAITS.map((trait) => (
            <label key={trait} className="trait-input">
              <span className="field__label">{t(`persona.traits.${trait}`)}</span>
              <span className="weight-input">
                <input
                  className="input input--number"
                  type="number"
                  inputMode="decimal"
                  min={0}
                  max={100}
                  step={1}
                  value={traits[trait]}
                  aria-invalid={errors.bigFive ? true : undefined}
                  onChange={(event) => setTraits((previous) => ({ ...previous, [trait]: event.target.value }))}
                />
                <span aria-hidden="true">%</span>
              </span>
            </label>
          ))}
        </div>
        {errors.bigFive ? <p className="field__error">{errors.bigFive}</p> : null}
      </fieldset>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={update.isPending}>
          {update.isPending ? t("persona.saving") : t("persona.save")}
        </button>
        <button type="button" className="button" disabled={update.isPending} onClick={onDone}>
          {t("app.cancel")}
        </button>
      </div>
    </form>
  );
}
