import type { RouteName } from "@shared/contract";

/**
 * Which routes read each table, so a `db.changed { tables }` event refetches exactly those.
 * The single place to extend when a service starts writing a new table.
 */
export const ROUTE_PREFIXES_BY_TABLE: Readonly<Record<string, readonly string[]>> = {
  // Exports list their project's name, and a deleted project takes its exports and CRM syncs with it.
  Project: ["projects.", "exports.", "crm.history", "crm.syncRecords"],
  Preferences: ["settings."],
  // Not a table: the response-style benchmarks and thresholds, which survey results are judged against.
  ResponseStyleSettings: ["settings.getResponseStyle", "surveys.results"],
  // llm.status reports whether a provider has its key.
  Secrets: ["secrets.", "llm."],
  Job: ["jobs."],
  JobUnit: ["jobs."],
  Persona: ["personas."],
  PersonaRefusal: ["personas.refusals"],
  LlmSettings: ["llm."],
  FocusGroup: ["focusGroups."],
  // A saved line changes the transcript and the message counts; its sentiment arrives with Insight.
  FocusGroupMessage: ["focusGroups.messages", "focusGroups.get", "focusGroups.list"],
  // A new analysis or survey run can make a stability report stale.
  Insight: ["focusGroups.insights", "stability.latest"],
  Survey: ["surveys.", "stability.latest"],
  SurveyResponse: ["surveys."],
  Export: ["exports."],
  // Not a table: the plan, licence or Cloud account changed. app.info shows the plan and the
  // persona quota its limit.
  Billing: ["billing.", "app.info", "personas.quota"],
  // A live session's invites, viewers (presence changes write these too) and co-moderators' probes.
  LiveSession: ["live.status"],
  LiveInvite: ["live.status"],
  LiveProbe: ["live.status"],
  // A sign-in finished or a CRM was disconnected: what can be read from it changed too.
  CrmConnection: ["crm.status", "crm.fields", "crm.mapping", "crm.targets"],
  CrmSync: ["crm.history", "crm.syncRecords"],
  // Each record a sync writes moves its counts.
  CrmSyncRecord: ["crm.syncRecords", "crm.history"],
  // The ledger only feeds previews, which are asked for afresh each time (never cached).
  CrmLink: [],
};

/**
 * Routes whose answers depend on the state of a kind of job, refetched when such a job changes
 * status: the persona quota counts the slots that unfinished generation runs hold, and a focus
 * group's status is its discussion job's status (pause, finish and failure write no table).
 */
export const ROUTE_PREFIXES_BY_JOB_KIND: Readonly<Record<string, readonly string[]>> = {
  // The drafts a run refused after its last saved persona show once it ends.
  "personas.generate": ["personas.quota", "personas.refusals"],
  "focusGroups.run": ["focusGroups.get", "focusGroups.list"],
  "focusGroups.analyze": ["focusGroups.insights"],
  // A finished export adds a file to the list and to the cache's usage.
  "export.create": ["exports.list", "exports.cache"],
  // A stability check that finishes brings its report.
  "stability.run": ["stability.latest"],
  // A sync's status is its job's status (CrmSync has no column of its own).
  "crm.sync": ["crm.history", "crm.syncRecords"],
};

/** Route prefixes to refetch for a set of changed tables; null means "unknown table: refetch everything". */
export function prefixesForTables(tables: readonly string[]): string[] | null {
  const prefixes = new Set<string>();
  for (const table of tables) {
    const mapped = ROUTE_PREFIXES_BY_TABLE[table];
    // A table nobody mapped yet: prefer a stale-free UI over a cheap one.
    if (!mapped) return null;
    for (const prefix of mapped) prefixes.add(prefix);
  }
  return [...prefixes];
}

/** Every query key is `[routeName, input, ...variant]`, so the route name is always first. */
export function routeOfKey(queryKey: readonly unknown[]): RouteName | null {
  const first = queryKey[0];
  return typeof first === "string" ? (first as RouteName) : null;
}
