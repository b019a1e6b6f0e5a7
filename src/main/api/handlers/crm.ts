import type { AreaHandlers } from "../types";

type CrmRoute =
  | "crm.status"
  | "crm.connect"
  | "crm.cancelConnect"
  | "crm.disconnect"
  | "crm.fields"
  | "crm.mapping"
  | "crm.saveMapping"
  | "crm.resetMapping"
  | "crm.targets"
  | "crm.preview"
  | "crm.sync"
  | "crm.history"
  | "crm.syncRecords";

/** CRM sync: every route answers from the CRM service; none returns a token. */
export const crmHandlers: AreaHandlers<CrmRoute> = ({ crm }) => ({
  "crm.status": () => crm.status(),
  "crm.connect": (input) => crm.connect(input),
  "crm.cancelConnect": ({ provider }) => crm.cancelConnect(provider),
  "crm.disconnect": ({ provider }) => crm.disconnect(provider),
  "crm.fields": ({ provider, refresh }) => crm.fields(provider, refresh),
  "crm.mapping": ({ provider }) => crm.mapping(provider),
  "crm.saveMapping": ({ provider, entries }) => crm.saveMapping(provider, entries),
  "crm.resetMapping": ({ provider }) => crm.resetMapping(provider),
  "crm.targets": (input) => crm.targets(input),
  "crm.preview": (input) => crm.preview(input),
  "crm.sync": (input) => crm.startSync(input),
  "crm.history": (input) => crm.history(input),
  "crm.syncRecords": (input) => crm.syncRecords(input),
});
