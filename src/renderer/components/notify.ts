import { isBridgeError } from "../bridge/bridge";
import { crmOfError } from "../features/integrations/crm-error-text";
import { hrefOf } from "../router/routes";
import { toast, type ToastText } from "../stores/toasts";
import { describeError } from "./error-text";

/**
 * Toast callbacks for mutations: success titles are given, errors show the code's meaning and
 * what went wrong in the UI's language (re-rendered if it changes), a missing AI provider
 * links to Settings and a CRM's failure to Integrations, where they are fixed.
 */
export function useNotify() {
  return {
    success: (title: ToastText, message?: ToastText) => toast.success(title, message),
    error: (error: unknown) => notifyError(error),
  };
}

/** The error toast of useNotify, for code outside components (job watchers). */
export function notifyError(error: unknown, title?: ToastText, action?: { label: ToastText; href: string }) {
  const crm = crmOfError(error);
  const fixable = !crm && isBridgeError(error) && error.code === "PROVIDER_UNAVAILABLE";
  toast.error(
    title ?? (({ t, format }) => describeError(t, format, error).heading),
    ({ t, format }) => describeError(t, format, error).message,
    action ??
      (crm
        ? { label: ({ t }) => t("integrations.open"), href: hrefOf({ page: "integrations" }) }
        : fixable
          ? { label: ({ t }) => t("provider.openSettings"), href: hrefOf({ page: "settings" }) }
          : undefined),
  );
}
