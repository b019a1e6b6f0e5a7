import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "@tanstack/react-query";
import type { BundleImportResult, StudyKind } from "@shared/contract";
import { useInvokeMutation } from "../../api/hooks";
import { useHostKind } from "../../api/exports";
import type { BridgeError } from "../../bridge/bridge";
import { useBridge } from "../../bridge/BridgeProvider";
import { notifyError } from "../../components/notify";
import { navigate } from "../../router/navigation";
import { toast } from "../../stores/toasts";
import { fileTooLarge, recipeRefusalText, tooLargeText } from "./refusal-text";

/**
 * A study's reproducibility bundle ("recipe"): saved with the native dialog on the desktop,
 * downloaded in a browser.
 */
export function ExportRecipeButton({
  kind,
  id,
  disabled = false,
}: {
  kind: StudyKind;
  id: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const host = useHostKind();
  const saveAs = useInvokeMutation("recipes.saveAs", {
    onSuccess: ({ saved, path }) => {
      if (saved && path) toast.success(({ t }) => t("recipes.saved"), path);
    },
    onError: (error) => notifyError(error),
  });
  const download = useMutation<void, BridgeError>({
    mutationFn: async () => {
      const { fileName, bundle } = await bridge.invoke("recipes.build", { kind, id });
      const url = URL.createObjectURL(new Blob([`${JSON.stringify(bundle, null, 2)}\n`], { type: "application/json" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    },
    onSuccess: () => toast.success(({ t }) => t("recipes.downloaded")),
    onError: (error) => notifyError(error),
  });
  const pending = saveAs.isPending || download.isPending;
  return (
    <button
      type="button"
      className="button"
      title={t("recipes.exportHint")}
      disabled={disabled || pending || host === undefined}
      onClick={() => (host === "desktop" ? saveAs.mutate({ kind, id }) : download.mutate())}
    >
      {pending ? t("recipes.exporting") : t("recipes.export")}
    </button>
  );
}

/** Opens the imported study, saying when this app would not send the recipe's prompts as recorded. */
function onImported(result: BundleImportResult) {
  toast.success(
    ({ t }) => t("recipes.imported"),
    ({ t }) => (result.promptsMatch ? t("recipes.importedBody") : t("recipes.promptsDiffer")),
  );
  navigate({ page: result.study.kind === "focusGroup" ? "focus-group" : "survey", id: result.study.id });
}

/** "Import study recipe": the native open dialog on the desktop, a file picker in a browser. */
export function ImportRecipeButton() {
  const { t } = useTranslation();
  const host = useHostKind();
  const input = useRef<HTMLInputElement>(null);
  // A refused recipe says why in the app's words (details.reason); other errors as usual.
  const refused = (error: BridgeError) => {
    if (recipeRefusalText(t, error) === null) notifyError(error);
    else
      toast.error(
        ({ t }) => t("recipes.refusedTitle"),
        ({ t }) => recipeRefusalText(t, error) ?? "",
      );
  };
  const fromDialog = useInvokeMutation("recipes.importFile", {
    onSuccess: ({ result }) => {
      if (result) onImported(result);
    },
    onError: refused,
  });
  const fromText = useInvokeMutation("recipes.import", { onSuccess: onImported, onError: refused });
  const pending = fromDialog.isPending || fromText.isPending;
  return (
    <>
      <button
        type="button"
        className="button"
        title={t("recipes.importHint")}
        disabled={pending || host === undefined}
        onClick={() => (host === "desktop" ? fromDialog.mutate({}) : input.current?.click())}
      >
        {pending ? t("recipes.importing") : t("recipes.import")}
      </button>
      {host === "desktop" ? null : (
        <input
          ref={input}
          type="file"
          accept="application/json,.json"
          hidden
          aria-label={t("recipes.import")}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = "";
            if (!file) return;
            if (fileTooLarge(file.size)) {
              toast.error(
                ({ t }) => t("recipes.refusedTitle"),
                ({ t }) => tooLargeText(t),
              );
              return;
            }
            void file.text().then((text) => fromText.mutate({ text }));
          }}
        />
      )}
    </>
  );
}
