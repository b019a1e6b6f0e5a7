import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../components/Dialog";

interface Props {
  name: string;
  deleting: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** One persona is cheap to regenerate, so a plain confirmation (Cancel focused first) is enough. */
export function DeletePersonaDialog({ name, deleting, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      role="alertdialog"
      title={t("persona.deleteTitle", { name })}
      onClose={onCancel}
      initialFocus={cancelRef}
      actions={
        <>
          <button ref={cancelRef} type="button" className="button" onClick={onCancel}>
            {t("app.cancel")}
          </button>
          <button type="button" className="button button--danger" disabled={deleting} onClick={onConfirm}>
            {deleting ? t("persona.deleting") : t("persona.deleteConfirm")}
          </button>
        </>
      }
    >
      <p>{t("persona.deleteBody")}</p>
    </Dialog>
  );
}
