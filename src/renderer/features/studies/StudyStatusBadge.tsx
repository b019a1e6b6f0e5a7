import { useTranslation } from "react-i18next";
import type { FOCUS_GROUP_STATUSES } from "@shared/contract";

export type StudyStatus = (typeof FOCUS_GROUP_STATUSES)[number];

/** Draft, running, paused, completed, failed, cancelled or interrupted, each with its own colour. */
export function StudyStatusBadge({ status }: { status: StudyStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--status badge--status-${status}`} data-testid="study-status" data-status={status}>
      {status === "running" ? <span className="badge__pulse" aria-hidden="true" /> : null}
      {t(`studies.status.${status}`)}
    </span>
  );
}
