import { AppError } from "../../../shared/contract";
import type { Logger } from "../logger";
import { createCrmPolicy, type BreakerState, type CrmPolicy, type CrmPolicyOptions } from "./call-policy";
import {
  TARGET_KINDS,
  type CrmProviderId,
  type PersonaRecord,
  type TargetKind,
  type UpsertOutcome,
} from "./crm-provider";
import { CRM_LABEL } from "./crm-failure";
import { TokenKeeper, type TokenEndpoint, type TokenSet } from "./token-keeper";

export interface CrmConnectionOptions {
  tokens: TokenSet;
  /** The CRM's token endpoint, or for HubSpot in the app Sight Cloud's broker in front of it. */
  tokenEndpoint: TokenEndpoint;
  /** Called with every refreshed token set, a rotated refresh token included. */
  persistTokens(tokens: TokenSet): Promise<void>;
  policy?: Partial<CrmPolicyOptions>;
  now?: () => number;
  logger?: Logger;
}

/**
 * What both providers do around each CRM call: the policy (retries, bucket, breaker) outside,
 * the token (refreshed once, shared, on a 401) inside, so a refresh never costs a retry.
 */
export class CrmConnection {
  readonly now: () => number;
  private readonly keeper: TokenKeeper;
  private readonly policy: CrmPolicy;

  constructor(
    readonly provider: CrmProviderId,
    private readonly options: CrmConnectionOptions,
    extra: { refreshAheadMs?: number; policy?: Partial<CrmPolicyOptions> } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.keeper = new TokenKeeper({
      provider,
      tokens: options.tokens,
      refresh: (refreshToken) => options.tokenEndpoint.refresh(refreshToken),
      persist: options.persistTokens,
      refreshAheadMs: extra.refreshAheadMs,
      now: this.now,
      logger: options.logger,
    });
    this.policy = createCrmPolicy(provider, {
      now: this.now,
      logger: options.logger,
      ...extra.policy,
      ...options.policy,
    });
  }

  run<T>(operation: string, call: (token: string, tokens: TokenSet) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.policy.run(
      operation,
      () => this.keeper.withToken((token) => call(token, this.keeper.current())),
      signal,
    );
  }

  breakerState(): BreakerState {
    return this.policy.state();
  }

  revoke(signal?: AbortSignal): Promise<void> {
    return this.policy.run("revoke", () => this.options.tokenEndpoint.revoke(this.keeper.current()), signal);
  }

  checkTarget(kind: TargetKind): void {
    checkTargetKind(this.provider, kind);
  }

  checkBatch(records: PersonaRecord[], batchSize: number): void {
    if (records.length > batchSize)
      throw new AppError("VALIDATION_FAILED", `At most ${batchSize} records per ${CRM_LABEL[this.provider]} batch.`);
  }
}

/** A note links to what the CRM has (HubSpot company, deal, contact; Salesforce account, opportunity). */
export function checkTargetKind(provider: CrmProviderId, kind: TargetKind): void {
  const allowed: readonly string[] = TARGET_KINDS[provider];
  if (!allowed.includes(kind))
    throw new AppError("VALIDATION_FAILED", `${CRM_LABEL[provider]} notes link to ${allowed.join(", ")}, not ${kind}.`);
}

/**
 * The CRM refused a whole batch (an unknown field, duplicate ids): every record failed with its
 * message, so the sync records them and goes on. Any other error (rate limit, outage, auth) is
 * not the records' fault and propagates.
 */
export async function outcomesOrWholeBatchFailure(
  records: PersonaRecord[],
  upsert: () => Promise<UpsertOutcome[]>,
): Promise<UpsertOutcome[]> {
  try {
    return await upsert();
  } catch (error) {
    if (!(error instanceof AppError && (error.details as { reason?: string } | undefined)?.reason === "rejected"))
      throw error;
    return records.map((record) => ({
      externalId: record.externalId,
      status: "failed",
      message: error.message,
      code: null,
    }));
  }
}
