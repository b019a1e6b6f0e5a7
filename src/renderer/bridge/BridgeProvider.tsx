import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { Bridge, ConnectionState } from "./bridge";

const BridgeContext = createContext<Bridge | null>(null);

export function BridgeProvider({ bridge, children }: { bridge: Bridge; children: ReactNode }) {
  return <BridgeContext.Provider value={bridge}>{children}</BridgeContext.Provider>;
}

export function useBridge(): Bridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error("useBridge needs a <BridgeProvider>.");
  return bridge;
}

export function useConnection(): ConnectionState {
  const { connection } = useBridge();
  return useSyncExternalStore(connection.subscribe, connection.get);
}
