import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ResponsesAtStakeReason, Survey } from "@shared/contract";
import { isBridgeError } from "../../bridge/bridge";
import { useFormat } from "../../i18n/format";
import { ExportDialog, type ExportTarget } from "../exports/ExportDialog";
import { ConfirmDialog } from "../studies/ConfirmDialog";

/**
 * How many responses the server refused to delete without confirmation (CONFLICT with this
 * reason), or null for any other outcome.
 */
export function responsesAtStake(error: unknown, reason: ResponsesAtStakeReason): number | null {
  if (!isBridgeError(error) || error.code !== "CONFLICT") return null;
  const details = error.details as { reason?: unknown; responses?: unknown } | undefined;
  if (details?.reason !== reason || typeof details.responses !== "number") return null;
  return details.responses;
}

type SurveyRef = Pick<Survey, "id" | "projectId" | "name" | "status">;

/** What the survey page's Export and "Export responses first" export: this survey. */
export const surveyExportTarget = (survey: SurveyRef): ExportTarget => ({
  projectId: survey.projectId,
  scope: "survey",
  ids: [survey.id],
  subject: survey.name,
  studyStatus: survey.status,
});

interface Props {
  survey: SurveyRef;
  /** What deletes them: saving changed questions, or running the survey again. */
  change: "questions" | "run";
  count: number;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * Asks before a change deletes a survey's responses, and offers to export them first: the
 * export dialog takes the confirmation's place and gives it back when closed.
 */
export function ResponsesAtStakeDialog({ survey, change, count, busy, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const [exporting, setExporting] = useState(false);
  if (exporting) {
    return <ExportDialog target={surveyExportTarget(survey)} onClose={() => setExporting(false)} />;
  }
  const values = { count, n: format.integer(count) };
  return (
    <ConfirmDialog
      title={t(`surveys.atStake.${change}.title`)}
      body={t(`surveys.atStake.${change}.body`, values)}
      confirmLabel={t(`surveys.atStake.${change}.confirm`, values)}
      busyLabel={change === "questions" ? t("fgForm.saving") : t("discussion.starting")}
      cancelLabel={t("app.cancel")}
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
      secondaryAction={{
        label: t("surveys.atStake.exportFirst"),
        onClick: () => setExporting(true),
        opensDialog: true,
      }}
    />
  );
}
