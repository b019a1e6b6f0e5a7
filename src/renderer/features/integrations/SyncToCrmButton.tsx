import { useState } from "react";
import { useTranslation } from "react-i18next";
import { SyncToCrmDialog, type SyncSubject } from "./SyncToCrmDialog";

/**
 * "Sync to CRM" beside Export on a project's Personas page, a completed focus group and a
 * completed survey (test id crm-sync-open), and the dialog it opens.
 */
export function SyncToCrmButton({ subject }: { subject: SyncSubject }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button"
        aria-haspopup="dialog"
        data-testid="crm-sync-open"
        onClick={() => setOpen(true)}
      >
        <SyncIcon />
        {t("crmSync.open")}
      </button>
      {open ? <SyncToCrmDialog subject={subject} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function SyncIcon() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M4 12a8 8 0 0 1 13.7-5.6L20 8.7M20 4v4.7h-4.7M20 12a8 8 0 0 1-13.7 5.6L4 15.3M4 20v-4.7h4.7"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
