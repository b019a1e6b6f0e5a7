import { useTranslation } from "react-i18next";
import { isBridgeError } from "../bridge/bridge";
import { hrefOf } from "../router/routes";
import { toast } from "../stores/toasts";
import { useErrorText } from "./ui";

/**
 * Toast callbacks for mutations: success titles are given, errors show code meaning + message,
 * and a missing AI provider links to Settings, where it is fixed.
 */
export function useNotify() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return {
    success: (title: string, message?: string) => toast.success(title, message),
    error: (error: unknown) => {
      const { heading, message } = errorText(error);
      const fixable = isBridgeError(error) && error.code === "PROVIDER_UNAVAILABLE";
      toast.error(
        heading,
        message,
        fixable ? { label: t("provider.openSettings"), href: hrefOf({ page: "settings" }) } : undefined,
      );
    },
  };
}
