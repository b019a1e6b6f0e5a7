import type { FocusGroup, Insight, Job, Message } from "../../../shared/contract";
import { readProgressLabel } from "../jobs/stored-label";
import type {
  FocusGroup as FocusGroupRow,
  FocusGroupMessage as MessageRow,
  Insight as InsightRow,
  Job as JobRow,
} from "../db/generated/client";

export type { FocusGroupRow, MessageRow, InsightRow };

/**
 * The focus group's status is its run job's status, so the two can never disagree. Takes the job
 * row (its stored label) or the job as the contract has it (its label).
 */
export function statusFromJob(
  job: Pick<JobRow, "status" | "progressLabel"> | (Pick<Job, "status"> & { label: Job["progress"]["label"] }) | null,
): FocusGroup["status"] {
  if (!job) return "draft";
  switch (job.status) {
    case "queued":
    case "running":
      return "running";
    case "succeeded":
      return "completed";
    case "interrupted": {
      const label = "label" in job ? job.label : readProgressLabel(job.progressLabel);
      return label?.key === "jobs.paused" ? "paused" : "interrupted";
    }
    default:
      return job.status as FocusGroup["status"];
  }
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    focusGroupId: row.focusGroupId,
    seq: row.seq,
    questionIndex: row.questionIndex,
    round: row.round,
    phase: row.phase as Message["phase"],
    speakerType: row.speakerType as Message["speakerType"],
    ...(row.personaId ? { personaId: row.personaId } : {}),
    speakerName: row.speakerName,
    ...(row.replyToId ? { replyToId: row.replyToId } : {}),
    text: row.text,
    ...(row.suggestedBy ? { suggestedBy: row.suggestedBy } : {}),
    ...(row.sentiment === null ? {} : { sentiment: row.sentiment }),
    tokens: { input: row.inputTokens, output: row.outputTokens },
    createdAt: row.createdAt.toISOString(),
  };
}

export function toInsight(row: InsightRow): Insight {
  return {
    id: row.id,
    kind: row.kind as Insight["kind"],
    title: row.title,
    text: row.text,
    evidence: JSON.parse(row.evidence) as string[],
    createdAt: row.createdAt.toISOString(),
  };
}
