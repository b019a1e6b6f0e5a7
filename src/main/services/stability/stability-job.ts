import { STABILITY_JOB_KIND, stabilityReportSchema, type StabilityReport } from "../../../shared/contract";
import type { JobHandler } from "../jobs/runner";
import { analysisReplicates } from "./analysis-replicates";
import { stabilityParamsSchema, type StabilityParams } from "./params";
import { surveyReplicates, type ReplicateDeps } from "./survey-replicates";

/**
 * One durable job per stability check (contract/stability.ts): the replicate runs are its units,
 * and its result is the report, checked against the contract before it is stored.
 */
export function stabilityJob(deps: ReplicateDeps): JobHandler<StabilityParams> {
  return {
    kind: STABILITY_JOB_KIND,
    params: stabilityParamsSchema,
    async run(ctx): Promise<StabilityReport> {
      const { params } = ctx;
      const report =
        params.study === "survey"
          ? await surveyReplicates(ctx, params, deps)
          : await analysisReplicates(ctx, params, deps);
      return stabilityReportSchema.parse(report);
    },
  };
}
