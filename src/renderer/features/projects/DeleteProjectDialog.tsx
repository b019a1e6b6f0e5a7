import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../components/Dialog";

interface Props {
  projectName: string;
  deleting: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** Deleting is irreversible and takes personas and studies with it: the name must be typed. */
export function DeleteProjectDialog({ projectName, deleting, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const matches = typed.trim() === projectName.trim();

  return (
    <Dialog
      role="alertdialog"
      title={t("deleteDialog.title", { name: projectName })}
      onClose={onCancel}
      initialFocus={inputRef}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel}>
            {t("app.cancel")}
          </button>
          <button
            type="submit"
            form={`${inputId}-form`}
            className="button button--danger"
            disabled={!matches || deleting}
          >
            {deleting ? t("deleteDialog.deleting") : t("deleteDialog.confirm")}
          </button>
        </>
      }
    >
      <p>{t("deleteDialog.body")}</p>
      <form
        id={`${inputId}-form`}
        onSubmit={(event) => {
          event.preventDefault();
          if (matches && !deleting) onConfirm();
        }}
      >
        <div className="field">
          <label className="field__label" htmlFor={inputId}>
            {t("deleteDialog.typeToConfirm")}
          </label>
          <input
            ref={inputRef}
            id={inputId}
            className="input"
            type="text"
            value={typed}
            autoComplete="off"
            spellCheck={false}
            placeholder={projectName}
            onChange={(event) => setTyped(event.target.value)}
          />
        </div>
      </form>
    </Dialog>
  );
}
