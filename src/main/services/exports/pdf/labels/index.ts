import type { ExportScope, RefusalReason, RunModel } from "../../../../../shared/contract";
import type { Language } from "../../../../../shared/contract/settings";
import { en } from "./en";
import { pl } from "./pl";

/** Every fixed word a PDF report prints, in each report language. */
export interface Labels {
  reportKind: Record<ExportScope, string>;
  syntheticData: string;
  freeMark: string;
  page: (n: number, of: number) => string;
  contents: string;
  project: string;
  study: string;
  studies: string;
  exportDate: string;
  dataRange: string;
  noData: string;
  personas: string;
  participants: string;
  respondents: string;
  questions: string;
  messages: string;
  language: string;
  researchGoal: string;
  targetAudience: string;
  partialBanner: (status: string) => string;
  partialReport: string;
  status: Record<string, string>;
  focusGroup: string;
  survey: string;
  overview: string;
  executiveSummary: string;
  themes: string;
  sentiment: string;
  sentimentByQuestion: string;
  sentimentByPersona: string;
  sentimentOverall: string;
  sentimentScale: string;
  negative: string;
  positive: string;
  findings: string;
  agreements: string;
  disagreements: string;
  segmentDifferences: string;
  surprises: string;
  recommendations: string;
  transcript: string;
  question: (n: number) => string;
  probes: string;
  moderator: string;
  round: (n: number) => string;
  followUp: string;
  /** The moderator's line that asked a probe a co-moderator suggested in a live session. */
  probeSuggestedBy: (name: string) => string;
  repliesTo: (name: string) => string;
  moreEvidence: (n: number) => string;
  quoted: (text: string) => string;
  notAnalysed: string;
  noneFound: string;
  results: string;
  answered: (n: number, of: number) => string;
  questionType: Record<string, string>;
  multiSelect: (n: number) => string;
  statMean: string;
  statMedian: string;
  statSd: string;
  statMin: string;
  statMax: string;
  statN: string;
  meanRank: string;
  borda: string;
  firstChoice: string;
  item: string;
  option: string;
  share: string;
  count: string;
  themeCount: (n: number) => string;
  noOpenThemes: string;
  crosstab: (dimension: string) => string;
  chiSquare: string;
  df: string;
  pValue: string;
  total: string;
  smallCounts: string;
  noTest: string;
  multiSelectNoTest: string;
  /** A rating question's response style: middle and end answers against a uniform respondent and a human benchmark. */
  responseStyle: string;
  rsThisSurvey: string;
  rsUniform: string;
  rsBenchmark: string;
  rsOr: string;
  rsMiddle: (values: string) => string;
  rsEnds: (values: string) => string;
  rsOf: (count: number, n: number) => string;
  rsTestNote: string;
  /** `p` is the whole statement ("p < 0.001", "p = 0.004"). */
  rsMidpointCollapse: (share: string, values: string, reference: string, p: string) => string;
  /** `p` is the probability alone ("< 0.001", "0.004"). */
  rsNoExtremes: (n: number, ends: string, reference: string, p: string) => string;
  rsNoWarning: (minAnswers: number, alpha: string) => string;
  rsBenchmarkSource: (source: string) => string;
  rsNoBenchmark: (points: number) => string;
  /** The default benchmark's source (DEFAULT_BENCHMARK_SOURCE) in the report's language. */
  rsDefaultSource: string;
  appendix: string;
  age: string;
  gender: string;
  location: string;
  occupation: string;
  education: string;
  income: string;
  bigFive: string;
  traits: Record<"openness" | "conscientiousness" | "extraversion" | "agreeableness" | "neuroticism", string>;
  values: string;
  interests: string;
  story: string;
  communicationStyle: string;
  decisionMakingStyle: string;
  concerns: string;
  methodology: string;
  disclosureTitle: string;
  disclosureText: string;
  howPersonasWereMade: string;
  generationRun: (model: string, seed: string, n: number) => string;
  seedNone: string;
  /** The generation runs refused no draft, of `drafts` written. */
  refusalsNone: (drafts: number) => string;
  /** `refused` of `drafts` drafts were refused; the reasons follow. */
  refusalsText: (refused: number, drafts: number) => string;
  /** One reason a draft was refused: the slot dimension it disagreed with, or what else was wrong. */
  refusalReason: (reason: RefusalReason, dimension: string | null) => string;
  studySettings: string;
  model: string;
  modelDefault: string;
  /** One model a run recorded: which, as what it answered, with which settings, how many calls. */
  runModel: (m: RunModel) => string;
  /** A run from before Sight recorded models: what it asked for, if that is known. */
  modelNotRecorded: (asked: string | null) => string;
  /** Which run of the study a recorded model belongs to. */
  modelsOf: Record<"discussion" | "analysis" | "survey", string>;
  seed: string;
  seedDerived: string;
  temperature: string;
  discussionRounds: string;
  moderatorFollowUps: string;
  /** How many probes co-moderators suggested in a live session (shown when there was at least one). */
  coModeratorProbes: (n: number) => string;
  yes: string;
  no: string;
  validationTitle: string;
  validationText: (n: number, alpha: string) => string;
  dimension: string;
  categoryCounts: string;
  verdict: Record<string, string>;
  validationSmallCounts: string;
  validationNone: string;
  sampleOf: (name: string) => string;
  limitationsTitle: string;
  limitations: string[];
  generatedBy: (version: string) => string;
}

export const LABELS: Record<Language, Labels> = { en, pl };
