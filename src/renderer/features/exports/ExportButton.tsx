import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ExportDialog, type ExportTarget } from "./ExportDialog";
import { DownloadIcon } from "./ExportFileActions";

/** "Export" on a project, study or personas page, and the dialog it opens. */
export function ExportButton({ target, primary = false }: { target: ExportTarget; primary?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={primary ? "button button--primary" : "button"}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <DownloadIcon />
        {t("exports.export")}
      </button>
      {open ? <ExportDialog target={target} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
