import type { z } from "zod";
import type { RouteName, RouteParsedInput, Routes } from "../../shared/contract";
import type { Services } from "../services/create-services";

/** Who is calling: the desktop renderer over IPC, a REST client, or a socket.io client. */
export interface CallContext {
  transport: "ipc" | "rest" | "socket";
}

export type Handler<N extends RouteName> = (
  input: RouteParsedInput<N>,
  ctx: CallContext,
) => Promise<z.input<Routes[N]["output"]>>;

export type HandlerMap<N extends RouteName = RouteName> = { [K in N]: Handler<K> };

/** One area's handlers: a function of the services, returning handlers for exactly its routes. */
export type AreaHandlers<N extends RouteName> = (services: Services) => HandlerMap<N>;
