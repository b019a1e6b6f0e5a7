import type {
  BigFive,
  ExportScope,
  PersonaValidation,
  Question,
  RefusalSummary,
  RunModel,
  StabilitySnapshot,
} from "../../../../shared/contract";
import type { Language } from "../../../../shared/contract/settings";
import type { PlanId } from "../../../../shared/domain/plans";
import type { Crosstab, QuestionResult } from "../../../../shared/domain/survey-stats";

/**
 * The report model: everything a PDF report shows, read from the database on the main thread and
 * posted to the layout worker. Plain serialisable data (structured clone), no Dates, no classes.
 */
export interface ReportModel {
  language: Language;
  scope: ExportScope;
  /** ISO time of the export (ctx.now). */
  exportedAt: string;
  appVersion: string;
  plan: PlanId;
  project: { id: string; name: string; description: string; researchGoal: string; targetAudience: string };
  /** Any included study did not finish. */
  partial: boolean;
  sections: StudyReport[];
  /** Every persona a section or the appendix refers to, by id. */
  personas: Record<string, PersonaBrief>;
  /** Full persona cards, or null when the appendix is not wanted. */
  appendix: PersonaCard[] | null;
  /** The personas the whole report covers (project: all; personas: the selection). */
  sample: Sample;
  /** How the personas were generated: one entry per generation run that made a persona in the report. */
  generation: GenerationRun[];
  /** The drafts those runs refused (they disagreed with their slot or repeated a persona), by reason. */
  refusals: RefusalSummary;
}

export interface Sample {
  personaCount: number;
  validation: PersonaValidation | null;
}

export interface GenerationRun {
  model: string;
  /** What the run recorded it used (empty: a run from before models were recorded). */
  models: RunModel[];
  seed: number | null;
  personas: number;
}

export interface PersonaBrief {
  id: string;
  name: string;
  age: number;
  gender: string;
  location: string;
  occupation: string;
}

export interface PersonaCard extends PersonaBrief {
  demographics: Record<string, string>;
  education: string;
  income: string;
  bigFive: BigFive;
  values: string[];
  interests: string[];
  backgroundStory: string;
  communicationStyle: string;
  decisionMakingStyle: string;
  concerns: string[];
}

export interface StudyMeta {
  id: string;
  name: string;
  /** The study's status when exported (completed, paused, failed…). */
  status: string;
  partial: boolean;
  /** First and last saved message or response (ISO), null when there is none. */
  dataFrom: string | null;
  dataTo: string | null;
  /** The personas this study heard from, with the validation of that sample against the target. */
  sample: Sample;
}

export type StudyReport = FocusGroupReport | SurveyReport;

export interface Quote {
  text: string;
  /** null for the moderator or a persona that no longer exists. */
  personaId: string | null;
  speakerName: string;
}

export interface InsightBlock {
  title: string;
  text: string;
  quotes: Quote[];
  /** Evidence beyond the quotes shown. */
  moreQuotes: number;
}

export interface TranscriptLine {
  seq: number;
  phase: "question" | "answer" | "reaction" | "followup" | "followup_answer";
  speakerType: "moderator" | "persona";
  speakerName: string;
  personaId: string | null;
  round: number;
  text: string;
  sentiment: number | null;
  /** The speaker this line answers (reactions, follow-up answers). */
  replyToName: string | null;
  /** A moderator's line that asked a probe a co-moderator suggested in a live session: who suggested it. */
  suggestedBy: string | null;
}

export interface TranscriptQuestion {
  index: number;
  question: string;
  probes: string[];
  lines: TranscriptLine[];
}

export interface SentimentRow {
  label: string;
  mean: number | null;
  messages: number;
}

export interface FocusGroupReport {
  kind: "focusGroup";
  study: StudyMeta;
  participantIds: string[];
  guide: { question: string; probes: string[] }[];
  settings: {
    /** null: the provider's default discussion model at run time (not pinned on the study). */
    model: string | null;
    seed: number;
    /** false: no seed was set, the engine derived this one from the study id. */
    seedPinned: boolean;
    discussionRounds: number;
    moderatorFollowUps: boolean;
    temperature: number;
    language: string;
  };
  /** The models the discussion and its analysis recorded (empty: not recorded, or not run). */
  models: { discussion: RunModel[]; analysis: RunModel[] };
  messageCount: number;
  /** Probes co-moderators suggested in a live session that the moderator asked. */
  coModeratorProbes: number;
  /** An analysis has run (insights and sentiment exist). */
  analysed: boolean;
  summary: InsightBlock[];
  themes: InsightBlock[];
  agreements: InsightBlock[];
  disagreements: InsightBlock[];
  segmentDifferences: InsightBlock[];
  surprises: InsightBlock[];
  recommendations: InsightBlock[];
  sentiment: { byQuestion: SentimentRow[]; byPersona: SentimentRow[]; overall: number | null };
  /** null when the transcript is not wanted. */
  transcript: TranscriptQuestion[] | null;
  /** The latest finished stability check of the analysis (absent or null: none). */
  stability?: StabilitySnapshot | null;
}

export interface SurveyQuestionReport {
  number: number;
  question: Question;
  result: QuestionResult;
  /** One per dimension of the target audience (cross-tabbable questions only). */
  crosstabs: Crosstab[];
}

export interface SurveyReport {
  kind: "survey";
  study: StudyMeta;
  /** null: the provider's default model at run time. */
  model: string | null;
  /** The models the run recorded (empty: not recorded, or not run). */
  models: RunModel[];
  respondents: number;
  questions: SurveyQuestionReport[];
  /** The latest finished stability check (absent or null: none). */
  stability?: StabilitySnapshot | null;
}

/** Worker → main messages. */
export type WorkerMessage =
  | { type: "progress"; stage: "layout" | "write"; pages: number }
  | { type: "done"; pages: number; bytes: number }
  | { type: "error"; error: { name: string; message: string; code?: string; stack?: string } };

/** Main → worker: what to render and where (the file must not exist yet). */
export interface WorkerJob {
  model: ReportModel;
  target: string;
}
