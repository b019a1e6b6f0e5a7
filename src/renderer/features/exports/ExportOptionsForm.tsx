import { useTranslation } from "react-i18next";
import {
  CSV_LAYOUTS,
  EXPORT_FORMATS,
  LANGUAGES,
  SCOPES_BY_FORMAT,
  type ExportFormat,
  type ExportScope,
  type Language,
  type RouteInput,
} from "@shared/contract";
import { CheckboxField } from "../../components/CheckboxField";
import { ChoiceCards } from "../../components/ChoiceCards";
import { Field } from "../../components/ui";

type CsvLayout = (typeof CSV_LAYOUTS)[number];

/** What the dialog's form holds; only the fields of the chosen format reach the request. */
export interface ExportDraft {
  format: ExportFormat;
  csvLayout: CsvLayout;
  bom: boolean;
  language: Language;
  includeTranscript: boolean;
  includePersonas: boolean;
}

/** The formats that can hold a scope, in the contract's order (a project does not fit one CSV table). */
export function formatsFor(scope: ExportScope): ExportFormat[] {
  return EXPORT_FORMATS.filter((format) => SCOPES_BY_FORMAT[format].includes(scope));
}

export function initialDraft(scope: ExportScope, language: string): ExportDraft {
  return {
    format: formatsFor(scope)[0] ?? "pdf",
    csvLayout: "long",
    bom: false,
    language: (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : "en",
    includeTranscript: true,
    includePersonas: true,
  };
}

/** Which options apply: CSV layout only to a survey, the transcript only where there is one. */
function applicable(scope: ExportScope, format: ExportFormat) {
  return {
    csvLayout: format === "csv" && scope === "survey",
    bom: format === "csv",
    language: format === "pdf",
    includeTranscript: format === "pdf" && (scope === "focusGroup" || scope === "project"),
    includePersonas: format === "pdf" && scope !== "personas",
  };
}

/**
 * The request's options: only those that shape the chosen format, so that two requests for the
 * same file are identical (and the second one is served from the cache).
 */
export function requestOptions(
  scope: ExportScope,
  draft: ExportDraft,
  fresh: boolean,
): NonNullable<RouteInput<"exports.create">["options"]> {
  const use = applicable(scope, draft.format);
  return {
    ...(use.csvLayout ? { csvLayout: draft.csvLayout } : {}),
    ...(use.bom ? { bom: draft.bom } : {}),
    ...(use.language ? { language: draft.language } : {}),
    ...(use.includeTranscript ? { includeTranscript: draft.includeTranscript } : {}),
    ...(use.includePersonas ? { includePersonas: draft.includePersonas } : {}),
    ...(fresh ? { fresh: true } : {}),
  };
}

interface Props {
  scope: ExportScope;
  draft: ExportDraft;
  onChange(patch: Partial<ExportDraft>): void;
}

/** Format as radio cards with a line each, then the chosen format's own options. */
export function ExportOptionsForm({ scope, draft, onChange }: Props) {
  const { t } = useTranslation();
  const use = applicable(scope, draft.format);
  const describe = (format: ExportFormat) =>
    format === "csv" && scope !== "project"
      ? t(`exportDialog.csvDescription.${scope}`)
      : t(`exportDialog.formatDescription.${format}`);

  return (
    <div className="export-form">
      <ChoiceCards
        legend={t("exportDialog.format")}
        value={draft.format}
        onChange={(format) => onChange({ format })}
        testId="export-formats"
        choices={formatsFor(scope).map((format) => ({
          value: format,
          label: t(`exportDialog.formatName.${format}`),
          description: describe(format),
        }))}
      />

      {use.csvLayout || use.bom || use.language || use.includeTranscript || use.includePersonas ? (
        <div className="export-form__options" data-testid="export-options">
          {use.csvLayout ? (
            <ChoiceCards
              legend={t("exportDialog.csvLayout")}
              value={draft.csvLayout}
              onChange={(csvLayout) => onChange({ csvLayout })}
              choices={CSV_LAYOUTS.map((layout) => ({
                value: layout,
                label: t(`exportDialog.csvLayouts.${layout}`),
                description: t(`exportDialog.csvLayoutHints.${layout}`),
              }))}
            />
          ) : null}
          {use.language ? (
            <Field label={t("exportDialog.language")} hint={t("exportDialog.languageHint")}>
              {({ id, describedBy }) => (
                <select
                  id={id}
                  className="select"
                  value={draft.language}
                  aria-describedby={describedBy}
                  onChange={(event) => onChange({ language: event.target.value as Language })}
                >
                  {LANGUAGES.map((language) => (
                    <option key={language} value={language} lang={language}>
                      {t(`exportDialog.languages.${language}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          {use.bom ? (
            <CheckboxField
              label={t("exportDialog.bom")}
              hint={t("exportDialog.bomHint")}
              checked={draft.bom}
              onChange={(bom) => onChange({ bom })}
            />
          ) : null}
          {use.includeTranscript ? (
            <CheckboxField
              label={t("exportDialog.includeTranscript")}
              hint={t("exportDialog.includeTranscriptHint")}
              checked={draft.includeTranscript}
              onChange={(includeTranscript) => onChange({ includeTranscript })}
            />
          ) : null}
          {use.includePersonas ? (
            <CheckboxField
              label={t("exportDialog.includePersonas")}
              hint={t("exportDialog.includePersonasHint")}
              checked={draft.includePersonas}
              onChange={(includePersonas) => onChange({ includePersonas })}
            />
          ) : null}
        </div>
      ) : null}
      <p className="export-form__note">{t("exportDialog.syntheticNote")}</p>
    </div>
  );
}
