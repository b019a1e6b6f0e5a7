import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ExportRecord } from "@shared/contract";
import { exportDownloadUrl, useHostKind } from "../../api/exports";
import { useInvokeMutation } from "../../api/hooks";
import { useNotify } from "../../components/notify";
import { toast } from "../../stores/toasts";

interface Props {
  record: ExportRecord;
  /** The dialog's main action is primary; a list row's is not. */
  primary?: boolean;
  small?: boolean;
}

/**
 * Getting the file out: in the desktop app the native save dialog ("Save…", then "Show in
 * folder"); in a browser a plain download link, so the browser saves it its own way.
 */
export function ExportFileActions({ record, primary = false, small = false }: Props) {
  const { t } = useTranslation();
  const notify = useNotify();
  const host = useHostKind();
  const [savedPath, setSavedPath] = useState<string | null>(null);
  const save = useInvokeMutation("exports.saveAs", {
    onSuccess: (result) => {
      if (!result.saved) return;
      setSavedPath(result.path);
      toast.success(({ t }) => t("exports.savedToast"), result.path ?? undefined);
    },
    onError: notify.error,
  });
  const show = useInvokeMutation("exports.showInFolder", {
    onSuccess: (result) => {
      if (!result.shown) toast.error(({ t }) => t("exports.notShown"), savedPath ?? record.savedPath ?? undefined);
    },
    onError: notify.error,
  });
  const className = ["button", primary ? "button--primary" : "", small ? "button--small" : ""]
    .filter(Boolean)
    .join(" ");

  // Until the host is known, offer nothing: a browser link would not work in the desktop app.
  if (host === undefined) return null;
  if (host !== "desktop") {
    return (
      <a
        className={className}
        href={exportDownloadUrl(record)}
        download={record.fileName}
        data-testid="export-download"
      >
        <DownloadIcon />
        {t("exports.download")}
      </a>
    );
  }
  const saved = savedPath ?? record.savedPath;
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={save.isPending}
        onClick={() => save.mutate({ id: record.id })}
      >
        <DownloadIcon />
        {save.isPending ? t("exports.saving") : t("exports.saveAs")}
      </button>
      {saved ? (
        <button
          type="button"
          className={small ? "button button--small" : "button"}
          disabled={show.isPending}
          title={saved}
          onClick={() => show.mutate({ id: record.id })}
        >
          {t("exports.showInFolder")}
        </button>
      ) : null}
    </>
  );
}

export function DownloadIcon() {
  return (
    <svg className="button__icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M12 4v11m0 0-4-4m4 4 4-4M5 20h14"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
