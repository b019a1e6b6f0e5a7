import { useTranslation } from "react-i18next";
import type { FocusGroup } from "@shared/contract";
import { Field } from "../../components/ui";
import { DISCUSSION_LANGUAGES, isDiscussionLanguage, type DiscussionLanguage } from "./languages";
import { ROUND_KEYS } from "./SetupSummary";

/** The discussion settings as typed (numbers stay text until the form is sent). */
export interface SettingsDraft {
  rounds: number;
  followUps: boolean;
  language: DiscussionLanguage;
  temperature: string;
  seed: string;
  model: string;
}

export type SettingsField = "temperature" | "seed" | "model";

export function settingsDraft(settings: FocusGroup["settings"]): SettingsDraft {
  return {
    rounds: settings.discussionRounds,
    followUps: settings.moderatorFollowUps,
    language: isDiscussionLanguage(settings.language) ? settings.language : "en",
    temperature: String(settings.temperature),
    seed: settings.seed === undefined ? "" : String(settings.seed),
    model: settings.model ?? "",
  };
}

interface Props {
  values: SettingsDraft;
  errors: Partial<Record<SettingsField, string>>;
  /** The discussion model from Settings, shown as the model field's placeholder. */
  defaultModel: string | undefined;
  onChange(change: Partial<SettingsDraft>): void;
}

/** Rounds, follow-ups, language, temperature, seed and model of a discussion. */
export function SettingsFields({ values, errors, defaultModel, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <div className="form-grid form-grid--three">
      <Field label={t("fgForm.rounds")} hint={t("fgForm.roundsHint")}>
        {({ id, describedBy }) => (
          <select
            id={id}
            className="select"
            value={values.rounds}
            aria-describedby={describedBy}
            onChange={(event) => onChange({ rounds: Number(event.target.value) })}
          >
            {[0, 1, 2].map((value) => (
              <option key={value} value={value}>
                {t(`fgForm.roundsOption.${ROUND_KEYS[value]!}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("fgForm.language")} hint={t("fgForm.languageHint")}>
        {({ id, describedBy }) => (
          <select
            id={id}
            className="select"
            value={values.language}
            aria-describedby={describedBy}
            onChange={(event) => {
              if (isDiscussionLanguage(event.target.value)) onChange({ language: event.target.value });
            }}
          >
            {DISCUSSION_LANGUAGES.map((code) => (
              <option key={code} value={code}>
                {t(`fgForm.languages.${code}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field checkbox-field">
        <span className="field__label">{t("fgForm.followUpsTitle")}</span>
        <label className="checkbox-row">
          <input
            type="checkbox"
            className="checkbox"
            checked={values.followUps}
            onChange={(event) => onChange({ followUps: event.target.checked })}
          />
          <span>{t("fgForm.followUps")}</span>
        </label>
        <p className="field__hint">{t("fgForm.followUpsHint")}</p>
      </div>
      <Field label={t("fgForm.temperature")} hint={t("fgForm.temperatureHint")} error={errors.temperature}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            className="input input--number input--short"
            type="number"
            inputMode="decimal"
            min={0}
            max={2}
            step={0.1}
            value={values.temperature}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(event) => onChange({ temperature: event.target.value })}
          />
        )}
      </Field>
      <Field label={t("wizard.seed")} hint={t("fgForm.seedHint")} error={errors.seed}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            className="input input--number input--short"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={values.seed}
            placeholder={t("wizard.seedPlaceholder")}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(event) => onChange({ seed: event.target.value })}
          />
        )}
      </Field>
      <Field label={t("wizard.model")} hint={t("fgForm.modelHint")} error={errors.model}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            className="input"
            type="text"
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
            value={values.model}
            placeholder={defaultModel ?? ""}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(event) => onChange({ model: event.target.value })}
          />
        )}
      </Field>
    </div>
  );
}
