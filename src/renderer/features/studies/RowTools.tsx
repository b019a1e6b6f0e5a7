import { useTranslation } from "react-i18next";
import { useMoveFocus } from "./reorder";

interface Props {
  uid: string;
  index: number;
  count: number;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
  /** Removing would leave the list too short. */
  removeDisabled?: boolean;
}

/** "Move up", "Move down" and "Remove" for one row of an ordered list (guide questions, survey questions). */
export function RowTools({ uid, index, count, onMove, onRemove, removeDisabled }: Props) {
  const { t } = useTranslation();
  const focusMoved = useMoveFocus();
  const move = (delta: -1 | 1) => {
    onMove(delta);
    focusMoved(uid, delta === -1 ? "up" : "down");
  };
  return (
    <div className="row-tools">
      <button
        type="button"
        className="button button--small"
        data-move-for={uid}
        data-move="up"
        disabled={index === 0}
        onClick={() => move(-1)}
      >
        <span aria-hidden="true">↑</span> {t("studies.moveUp")}
      </button>
      <button
        type="button"
        className="button button--small"
        data-move-for={uid}
        data-move="down"
        disabled={index === count - 1}
        onClick={() => move(1)}
      >
        <span aria-hidden="true">↓</span> {t("studies.moveDown")}
      </button>
      <button
        type="button"
        className="button button--small button--ghost-danger"
        disabled={removeDisabled}
        onClick={onRemove}
      >
        {t("studies.remove")}
      </button>
    </div>
  );
}
