import { useTranslation } from "react-i18next";
import { create } from "zustand";
import type { CrmProviderId } from "@shared/contract";
import { useConnectCrm } from "../../api/crm";
import { BridgeError } from "../../bridge/bridge";
import { useBridge } from "../../bridge/BridgeProvider";
import { isWebUrl, openBlankTab, showInTab } from "../../components/browser-tab";
import { useNotify } from "../../components/notify";
import { CRM_NAMES } from "./crm-error-text";

interface ConsentPage {
  url: string;
  /** Whether a browser (main's, or a tab opened here) is showing it; if not, the card links to it. */
  shown: boolean;
}

/** The consent page each CRM's pending sign-in opened, so the card can offer it again. */
const useConsentStore = create<{
  pages: Partial<Record<CrmProviderId, ConsentPage>>;
  set(provider: CrmProviderId, page: ConsentPage | null): void;
}>()((set) => ({
  pages: {},
  set: (provider, page) =>
    set((state) => {
      const pages = { ...state.pages };
      if (page) pages[provider] = page;
      else delete pages[provider];
      return { pages };
    }),
}));

export function useConsentPage(provider: CrmProviderId): ConsentPage | null {
  return useConsentStore((state) => state.pages[provider] ?? null);
}

export const forgetConsentPage = (provider: CrmProviderId) => useConsentStore.getState().set(provider, null);

/**
 * Connect a CRM: main opens its consent page in the system browser (desktop); in a browser tab
 * of the headless host (`opened: false`) the page is shown in a tab opened in the click itself,
 * as Plan & billing does for Stripe, and the card links to it if the browser blocked the tab.
 */
export function useConnect(provider: CrmProviderId) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const notify = useNotify();
  const connect = useConnectCrm();
  const remember = useConsentStore((state) => state.set);

  /** Call from the click handler itself. */
  const start = (loginUrl?: string) => {
    const crm = CRM_NAMES[provider];
    const tab = bridge.transport === "socket" ? openBlankTab(t("integrations.tabOpening", { crm })) : null;
    connect.mutate(
      { provider, ...(loginUrl ? { loginUrl } : {}) },
      {
        onSuccess: ({ url, opened }) => {
          if (!isWebUrl(url)) {
            tab?.close();
            notify.error(new BridgeError("INTERNAL", t("integrations.badUrl", { crm })));
            return;
          }
          if (opened) tab?.close();
          remember(provider, { url, shown: opened || showInTab(tab, url) });
        },
        onError: (error) => {
          tab?.close();
          notify.error(error);
        },
      },
    );
  };

  return { start, starting: connect.isPending };
}
