import type { AppScheme } from "../../shared/cloud/contract";
import path from "node:path";
import type { AppInfo } from "../../shared/contract";
import type { PlanId } from "../../shared/domain/plans";
import { openDatabase, type Database } from "./db/open";
import { openDatabaseInWorker } from "./db/worker-client";
import { createWorkerAdapters } from "./llm/providers/worker-adapters";
import { migrate, type MigrationReport } from "./db/migrate";
import { createEventBus, type EventBus } from "./events/bus";
import { createJobRunner, type JobRunner } from "./jobs/runner";
import type { PolicyOptions } from "./llm/call-policy";
import { createLlmService } from "./llm/llm-service";
import { createLlmSettingsStore, type LlmSettingsStore } from "./llm/settings-store";
import type { LlmService } from "./llm/types";
import { demoCountJob } from "./jobs/demo-count";
import type { Logger } from "./logger";
import { createProjectsService, type ProjectsService } from "./projects/projects-service";
import { createEntitlements, type Entitlements } from "./billing/entitlements";
import { createBillingService, type BillingService } from "./billing/billing-service";
import { NO_CLOUD, type CloudConfig } from "./billing/cloud-config";
import { personaGenerationJob } from "./personas/generate-job";
import { createPersonasService, type PersonasService } from "./personas/personas-service";
import { AppError } from "../../shared/contract";
import { analysisJob } from "./focus-groups/analysis-job";
import { discussionJob } from "./focus-groups/discussion-job";
import { createFocusGroupsService, type FocusGroupsService } from "./focus-groups/focus-groups-service";
import { surveyRunJob } from "./surveys/run-job";
import { createSurveysService, type SurveysService } from "./surveys/surveys-service";
import { stabilityJob } from "./stability/stability-job";
import { createStabilityService, type StabilityService } from "./stability/stability-service";
import type { PreferencesStore } from "./settings/preferences-store";
import { createResponseStyleStore, type ResponseStyleStore } from "./settings/response-style-store";
import type { SecretStore } from "./secrets/secret-store";
import type { ExportFormat } from "../../shared/contract";
import type { AtomicFs } from "./exports/atomic-file";
import { exportJob } from "./exports/export-job";
import { createExportsService, sweepTemporary, type ExportsService } from "./exports/exports-service";
import { PRODUCERS } from "./exports/producers";
import { ensureRevisionTriggers } from "./exports/revision";
import type { Producer } from "./exports/types";
import { createRecipesService, type RecipesService } from "./reproducibility/recipes-service";
import { createLiveService, type LiveService } from "./live/live-service";
import { createCrmService, type CrmService, type CrmServiceDeps } from "./crm/crm-service";
import { crmSyncJob } from "./crm/sync-job";

/** What the host (Electron shell or headless server) gives the services. */
export interface ServiceDeps {
  dataDir: string;
  migrationsDir: string;
  host: AppInfo["host"];
  version: string;
  logger: Logger;
  preferences: PreferencesStore;
  secrets: SecretStore;
  now?: () => Date;
  /**
   * A fixed plan instead of the licence, with no Cloud: tests and benchmarks inject a higher plan
   * here. Without it the plan comes from the licence Sight Cloud issued (Free when there is none).
   */
  plan?: PlanId;
  /** Sight Cloud's URL and the licence keys this build trusts (resolveCloudConfig); none when absent. */
  cloud?: CloudConfig;
  /** Desktop: opens a URL in the system browser (checkout, billing portal); resolves to whether it did. */
  openInBrowser?: (url: string) => Promise<boolean>;
  /** Desktop: the deep-link scheme this build registered (sight, or sight-dev unpackaged). */
  appScheme?: AppScheme;
  /** Tests: Sight Cloud request timeout and the licence refresh interval (24 h). */
  billingTimings?: { requestTimeoutMs?: number; refreshIntervalMs?: number };
  /** The built renderer (out/renderer): a live session served directly gives browsers its viewer. */
  rendererDir?: string;
  /** Native folder opening, where the host has one (desktop). */
  openPath?: (target: string) => Promise<boolean>;
  /** Registers the diagnostics.count job kind (tests and benchmarks only). */
  diagnosticJobs?: boolean | ((unit: number) => void);
  maxConcurrentJobs?: number;
  /** Environment overrides for the LLM layer (GEMINI_API_KEY, SIGHT_*); process.env when absent. */
  env?: Record<string, string | undefined>;
  /** LLM retry/backoff/breaker tuning (tests and benchmarks shorten the waits). */
  llmPolicy?: Partial<PolicyOptions>;
  /**
   * Where the database runs: a worker thread (the default) or the main thread (benchmarks compare
   * the two; a one-off script may want it).
   */
  databaseThread?: "worker" | "main";
  /** Where the LLM providers' HTTP calls run: a worker thread (the default) or the main thread. */
  llmThread?: "worker" | "main";
  /** Slots per persona-generation call (benchmarks compare against 1). */
  personaSlotsPerCall?: number;
  /** Desktop: the native save dialog for exports (resolves to the chosen path, null when cancelled). */
  chooseSavePath?: (defaultName: string, format: ExportFormat) => Promise<string | null>;
  /** Desktop: the native open dialog for a study bundle (resolves to the chosen path, null when cancelled). */
  chooseOpenPath?: () => Promise<string | null>;
  /** Desktop: reveal a saved file in the system file manager. */
  showItemInFolder?: (file: string) => void;
  /** Tests: inject file-system failures into the exports' atomic writes. */
  exportAtomicFs?: AtomicFs;
  /** Tests: CRM app registrations, retry policy and HubSpot's rate limit (the fakes'). */
  crm?: Pick<CrmServiceDeps, "apps" | "policy" | "hubspotRateLimit">;
  /** Tests: replace a format's producer (e.g. one that fails half-way). */
  exportProducers?: Partial<Record<ExportFormat, Producer>>;
}

export interface Services {
  deps: Required<Pick<ServiceDeps, "dataDir" | "host" | "version">> & ServiceDeps;
  db: Database;
  bus: EventBus;
  jobs: JobRunner;
  projects: ProjectsService;
  llm: LlmService;
  llmSettings: LlmSettingsStore;
  /** The response-style warnings' human benchmarks and thresholds (`<dataDir>/response-style.json`). */
  responseStyle: ResponseStyleStore;
  entitlements: Entitlements;
  billing: BillingService;
  personas: PersonasService;
  focusGroups: FocusGroupsService;
  surveys: SurveysService;
  stability: StabilityService;
  exports: ExportsService;
  /** Reproducibility bundles: a study's recipe exported as one JSON file, and imported to rerun it. */
  recipes: RecipesService;
  /** Live sessions: teammates watch a focus group as it happens and co-moderators whisper probes. */
  live: LiveService;
  /** CRM sync: HubSpot and Salesforce connections, field mapping, syncs and their ledger. */
  crm: CrmService;
  migrations: MigrationReport;
  now: () => Date;
  /** The plan in force now (a licence can change it at any moment): read it at every use. */
  plan: () => PlanId;
  /**
   * Starts the provider workers now rather than at the first LLM call (hosts call it at start-up,
   * unawaited: they load the SDKs off the main thread while the window opens).
   */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, "sight.db");
}

export async function createServices(deps: ServiceDeps): Promise<Services> {
  const now = deps.now ?? (() => new Date());
  const file = databaseFile(deps.dataDir);
  // The database lives in a worker thread (db/db-worker.ts) so that Prisma's query planning and
  // SQLite's synchronous calls never hold up the main event loop; "main" keeps it in-process.
  const db =
    deps.databaseThread === "main"
      ? await openDatabase(file)
      : await openDatabaseInWorker(file, {
          onCrash: (error) => deps.logger.error("db.worker_stopped", { error }),
        });
  let migrations: MigrationReport;
  try {
    migrations = await migrate(db.raw, {
      migrationsDir: deps.migrationsDir,
      backupsDir: path.join(deps.dataDir, "backups"),
      now,
      logger: deps.logger,
    });
    await ensureRevisionTriggers(db.raw);
  } catch (error) {
    await db.close();
    throw error;
  }
  const bus = createEventBus((error) => deps.logger.error("events.listener_failed", { error }));
  const jobs = createJobRunner({ db, bus, logger: deps.logger, now, maxConcurrent: deps.maxConcurrentJobs });
  if (deps.diagnosticJobs) {
    jobs.register(demoCountJob(typeof deps.diagnosticJobs === "function" ? deps.diagnosticJobs : undefined));
  }
  await jobs.recover();
  const projects = createProjectsService({ db, bus, now });
  const llmSettings = createLlmSettingsStore(path.join(deps.dataDir, "llm-settings.json"));
  const responseStyle = createResponseStyleStore(path.join(deps.dataDir, "response-style.json"));
  // Provider HTTP calls (SDKs, fetch, SSE parsing) run in a worker thread too; "main" keeps them here.
  const net =
    deps.llmThread === "main"
      ? null
      : createWorkerAdapters({ onCrash: (error) => deps.logger.error("llm.worker_stopped", { error }) });
  const llm = createLlmService({
    adapters: net?.adapters,
    settings: llmSettings,
    secrets: deps.secrets,
    env: deps.env ?? process.env,
    logger: deps.logger,
    policy: deps.llmPolicy,
  });
  // Before any service reads the plan: the stored licence is verified again at every start.
  const billing = await createBillingService({
    dataDir: deps.dataDir,
    host: deps.host,
    secrets: deps.secrets,
    bus,
    logger: deps.logger,
    now,
    cloud: deps.cloud ?? NO_CLOUD,
    fixedPlan: deps.plan,
    openInBrowser: deps.openInBrowser,
    appScheme: deps.appScheme,
    requestTimeoutMs: deps.billingTimings?.requestTimeoutMs,
    refreshIntervalMs: deps.billingTimings?.refreshIntervalMs,
  });
  const plan = () => billing.plan();
  const entitlements = createEntitlements({ db, plan });
  jobs.register(
    personaGenerationJob({ db, llm, logger: deps.logger, now, slotsPerCall: deps.personaSlotsPerCall, entitlements }),
  );
  const assertProviderReady = async () => {
    const status = await llm.status();
    if (!status.configured) {
      throw new AppError("PROVIDER_UNAVAILABLE", status.missing ?? "No AI provider is configured.", {
        provider: status.provider,
      });
    }
  };
  const personas = createPersonasService({ db, bus, jobs, entitlements, now, assertProviderReady });
  jobs.register(discussionJob({ db, bus, llm, now }));
  jobs.register(analysisJob({ db, bus, llm, now }));
  const focusGroups = createFocusGroupsService({ db, bus, jobs, llmSettings, now, assertProviderReady });
  jobs.register(surveyRunJob({ db, llm, logger: deps.logger, now }));
  const surveys = createSurveysService({
    db,
    bus,
    jobs,
    plan,
    now,
    logger: deps.logger,
    assertProviderReady,
    responseStyle: () => responseStyle.get(),
  });
  jobs.register(stabilityJob({ db, llm, now }));
  const stability = createStabilityService({ db, jobs, llmSettings, assertProviderReady });
  const exports = createExportsService({
    db,
    bus,
    jobs,
    logger: deps.logger,
    secrets: deps.secrets,
    dataDir: deps.dataDir,
    now,
    atomicFs: deps.exportAtomicFs,
    chooseSavePath: deps.chooseSavePath,
    showItemInFolder: deps.showItemInFolder,
  });
  // Before any export job runs: temporary files and rows or files left by a crash or a deleted project.
  await sweepTemporary(exports.folder);
  await exports.sweep();
  jobs.register(
    exportJob({
      db,
      bus,
      now,
      plan,
      responseStyle: () => responseStyle.get(),
      version: deps.version,
      folder: exports.folder,
      producers: { ...PRODUCERS, ...deps.exportProducers },
      atomicFs: deps.exportAtomicFs,
      logger: deps.logger,
      enforceLimit: (keep) => exports.enforceLimit(keep),
    }),
  );
  const recipes = createRecipesService({
    db,
    bus,
    entitlements,
    plan,
    now,
    version: deps.version,
    modelSettings: async () => {
      const status = await llm.status();
      return { provider: status.provider, models: status.models };
    },
    exportsFolder: exports.folder,
    atomicFs: deps.exportAtomicFs,
    chooseSavePath: deps.chooseSavePath,
    chooseOpenPath: deps.chooseOpenPath,
  });
  const live = createLiveService({
    db,
    bus,
    secrets: deps.secrets,
    logger: deps.logger,
    now,
    focusGroups,
    cloudAccess: () => billing.cloudAccess(),
    ...(deps.rendererDir ? { rendererDir: deps.rendererDir } : {}),
    ...(deps.appScheme ? { appScheme: deps.appScheme } : {}),
  });
  const crm = createCrmService({
    db,
    focusGroupInsights: async (id) => (await focusGroups.insights(id)).items,
    bus,
    jobs,
    secrets: deps.secrets,
    logger: deps.logger,
    now,
    dataDir: deps.dataDir,
    env: deps.env ?? process.env,
    cloudUrl: (deps.cloud ?? NO_CLOUD).url,
    appScheme: deps.appScheme,
    openInBrowser: deps.openInBrowser,
    ...deps.crm,
  });
  jobs.register(crmSyncJob({ db, crm: () => crm, now }));
  // Not awaited: startup never waits for the network; a new licence applies when it arrives.
  billing.start();

  return {
    deps,
    db,
    bus,
    jobs,
    projects,
    llm,
    llmSettings,
    responseStyle,
    entitlements,
    billing,
    personas,
    focusGroups,
    surveys,
    stability,
    exports,
    recipes,
    live,
    crm,
    migrations,
    now,
    plan,
    warmUp: async () => net?.warm(),
    async close() {
      await live.close();
      crm.close();
      await billing.close();
      await jobs.close();
      await net?.close();
      await db.close();
    },
  };
}
