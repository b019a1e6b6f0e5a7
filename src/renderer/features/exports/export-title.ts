import { useTranslation } from "react-i18next";
import type { ExportRecord } from "@shared/contract";

/** An export's title in the UI's language, built from what it holds (the stored title is English). */
export function useExportTitle() {
  const { t } = useTranslation();
  return (record: Pick<ExportRecord, "scope" | "subject" | "personaCount" | "title">): string => {
    switch (record.scope) {
      case "personas":
        return record.personaCount === null ? record.title : t("exports.titleOf.personas", { n: record.personaCount });
      case "project":
      case "focusGroup":
      case "survey":
        return record.subject ? t(`exports.titleOf.${record.scope}`, { name: record.subject }) : record.title;
    }
  };
}
