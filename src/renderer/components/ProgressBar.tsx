import { useTranslation } from "react-i18next";
import { useFormat } from "../i18n/format";

interface Props {
  done: number;
  /** 0 while the total is not known yet: the bar runs indeterminate. */
  total: number;
  /** Id of the element that names the bar. */
  labelledBy: string;
  testId?: string;
}

/** A determinate progress bar (done of total) that says its value to assistive tech. */
export function ProgressBar({ done, total, labelledBy, testId }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const unknown = total <= 0;
  const fraction = unknown ? 0 : Math.min(1, Math.max(0, done / total));
  return (
    <div
      className={`progress${unknown ? " progress--indeterminate" : ""}`}
      role="progressbar"
      aria-labelledby={labelledBy}
      aria-valuemin={0}
      aria-valuemax={unknown ? undefined : total}
      aria-valuenow={unknown ? undefined : done}
      aria-valuetext={
        unknown
          ? t("studies.starting")
          : t("studies.progress", { done: format.integer(done), total: format.integer(total) })
      }
      data-testid={testId}
    >
      <div className="progress__bar" style={unknown ? undefined : { width: `${fraction * 100}%` }} />
    </div>
  );
}
