import { useRef } from "react";
import { Dialog } from "../../components/Dialog";

interface Props {
  title: string;
  body: string;
  confirmLabel: string;
  busyLabel: string;
  cancelLabel: string;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
  /** A safe step besides Cancel (e.g. "Export responses first"), shown between the two. */
  secondaryAction?: { label: string; onClick(): void; opensDialog?: boolean };
  /** data-testid of the confirming button. */
  confirmTestId?: string;
}

/** A destructive step (delete a study, stop a run) asked once, with the safe choice focused first. */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  busyLabel,
  cancelLabel,
  busy,
  onConfirm,
  onCancel,
  secondaryAction,
  confirmTestId,
}: Props) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      role="alertdialog"
      title={title}
      onClose={onCancel}
      initialFocus={cancelRef}
      actions={
        <>
          <button ref={cancelRef} type="button" className="button" onClick={onCancel}>
            {cancelLabel}
          </button>
          {secondaryAction ? (
            <button
              type="button"
              className="button"
              aria-haspopup={secondaryAction.opensDialog ? "dialog" : undefined}
              onClick={secondaryAction.onClick}
            >
              {secondaryAction.label}
            </button>
          ) : null}
          <button
            type="button"
            className="button button--danger"
            disabled={busy}
            data-testid={confirmTestId}
            onClick={onConfirm}
          >
            {busy ? busyLabel : confirmLabel}
          </button>
        </>
      }
    >
      <p>{body}</p>
    </Dialog>
  );
}
