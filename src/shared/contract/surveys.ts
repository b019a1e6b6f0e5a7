import { z } from "zod";
import { route } from "./define";
import { idSchema, isoDateSchema, okSchema, pageOf, intParam } from "./common";
import { because } from "./issues";
import { responseStyleSchema } from "./response-style";

export const QUESTION_TYPES = ["multiple_choice", "rating_scale", "open_ended", "ranking"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Questions per survey by plan (Free keeps surveys short; higher plans allow long instruments). */
export const MAX_QUESTIONS_BY_PLAN = { free: 10, professional: 50, enterprise: 200 } as const;

const questionText = z.string().trim().min(1, "question text is required").max(1000);
const optionText = z.string().trim().min(1).max(200);
const questionId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "question ids are lower-case letters, digits, _ and -")
  .optional();

/** No two entries alike (case-insensitively). Empty entries are not compared: min(1) already names each. */
function unique(values: string[]) {
  const filled = values.filter((value) => value.trim() !== "").map((value) => value.toLowerCase());
  return new Set(filled).size === filled.length;
}

const base = { id: questionId, text: questionText, required: z.boolean().default(true) };

export const multipleChoiceSchema = z
  .strictObject({
    ...base,
    type: z.literal("multiple_choice"),
    options: z
      .array(optionText)
      .min(2, "at least 2 options")
      .max(20, "at most 20 options")
      .refine(unique, { message: "options must be unique", ...because("duplicate") }),
    /** 1 = single choice. */
    maxSelections: z.number().int().min(1).default(1),
  })
  .refine((q) => q.maxSelections <= q.options.length, {
    message: "maxSelections cannot exceed the number of options",
    path: ["maxSelections"],
    ...because("more_than_options"),
  });

export const ratingScaleSchema = z
  .strictObject({
    ...base,
    type: z.literal("rating_scale"),
    min: z.number().int().min(-10).max(100),
    max: z.number().int().min(-10).max(100),
    minLabel: z.string().trim().max(100).optional(),
    maxLabel: z.string().trim().max(100).optional(),
  })
  .refine((q) => q.min < q.max, {
    message: "min must be less than max",
    path: ["min"],
    ...because("min_not_below_max"),
  })
  .refine((q) => q.max - q.min <= 20, {
    message: "a scale has at most 21 points",
    path: ["max"],
    ...because("too_many_points"),
  });

export const openEndedSchema = z.strictObject({ ...base, type: z.literal("open_ended") });

export const rankingSchema = z.strictObject({
  ...base,
  type: z.literal("ranking"),
  items: z
    .array(optionText)
    .min(2, "at least 2 items")
    .max(10, "at most 10 items")
    .refine(unique, { message: "items must be unique", ...because("duplicate") }),
});

export const questionInputSchema = z.discriminatedUnion("type", [
  multipleChoiceSchema,
  ratingScaleSchema,
  openEndedSchema,
  rankingSchema,
]);
export type QuestionInput = z.input<typeof questionInputSchema>;

/** A stored question always has an id (assigned on save when the input had none). */
export const questionSchema = z.object({
  id: z.string(),
  type: z.enum(QUESTION_TYPES),
  text: z.string(),
  required: z.boolean(),
  options: z.array(z.string()).optional(),
  maxSelections: z.number().int().optional(),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  minLabel: z.string().optional(),
  maxLabel: z.string().optional(),
  items: z.array(z.string()).optional(),
});
export type Question = z.infer<typeof questionSchema>;

export const SURVEY_STATUSES = ["draft", "running", "completed", "failed", "cancelled", "interrupted"] as const;

export const surveySchema = z.object({
  id: idSchema,
  projectId: idSchema,
  name: z.string(),
  status: z.enum(SURVEY_STATUSES),
  questions: z.array(questionSchema),
  /** Personas the last run went over (empty before the first run). */
  personaIds: z.array(z.string()),
  jobId: z.string().nullable(),
  responseCount: z.number().int(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
});
export type Survey = z.infer<typeof surveySchema>;

/** An answer value: options chosen, an integer rating, free text, or the full ranking order. */
export const answerValueSchema = z.union([z.array(z.string()), z.number().int(), z.string()]);

export const surveyResponseSchema = z.object({
  id: idSchema,
  personaId: idSchema,
  answers: z.record(z.string(), answerValueSchema.nullable()),
  createdAt: isoDateSchema,
});

const countRow = z.object({ value: z.string(), count: z.number().int(), percent: z.number() });

export const questionResultSchema = z.object({
  questionId: z.string(),
  type: z.enum(QUESTION_TYPES),
  text: z.string(),
  answered: z.number().int(),
  /** multiple_choice: per option; rating_scale: per scale point; ranking: first choices. */
  counts: z.array(countRow),
  rating: z
    .object({ mean: z.number(), median: z.number(), stdDev: z.number(), min: z.number(), max: z.number() })
    .nullable(),
  /** rating_scale: middle and end answers against a uniform respondent and a human benchmark, with flags. */
  responseStyle: responseStyleSchema.nullable(),
  ranking: z
    .array(z.object({ item: z.string(), meanRank: z.number(), borda: z.number(), firstChoiceShare: z.number() }))
    .nullable(),
  openThemes: z
    .array(
      z.object({
        theme: z.string(),
        count: z.number().int(),
        quotes: z.array(z.object({ personaId: z.string(), text: z.string() })),
      }),
    )
    .nullable(),
});

export const crosstabSchema = z.object({
  questionId: z.string(),
  dimension: z.string(),
  /** Row labels: answer values (options, scale points, first-ranked items). */
  rows: z.array(z.string()),
  /** Column labels: the dimension's categories. */
  columns: z.array(z.string()),
  counts: z.array(z.array(z.number().int())),
  statistic: z.number().nullable(),
  df: z.number().int(),
  pValue: z.number().nullable(),
  minExpected: z.number(),
  /** True when an expected count is below 5: the chi-square approximation is unreliable. */
  smallExpectedWarning: z.boolean(),
  /** Why there is no test although rows and columns have answers (multi-select: several answers per respondent). */
  note: z.string().optional(),
});

export const surveyResultsSchema = z.object({
  surveyId: idSchema,
  respondents: z.number().int(),
  questions: z.array(questionResultSchema),
  crosstabs: z.array(crosstabSchema),
});
export type SurveyResults = z.infer<typeof surveyResultsSchema>;

const name = z.string().trim().min(1, "name is required").max(200);

/**
 * `details.reason` of the CONFLICT that refuses to lose a survey's responses without being told
 * to: changed questions would delete them (surveys.update without discardResponses), or a new run
 * would replace them (surveys.run without replaceResponses). `details.responses` says how many.
 */
export const RESPONSES_WOULD_BE_DELETED = "responses_would_be_deleted";
export const RESPONSES_WOULD_BE_REPLACED = "responses_would_be_replaced";
export type ResponsesAtStakeReason = typeof RESPONSES_WOULD_BE_DELETED | typeof RESPONSES_WOULD_BE_REPLACED;

export const surveyRoutes = {
  "surveys.create": route({
    summary: "Create a survey from its questions.",
    input: z.strictObject({
      projectId: idSchema,
      name,
      questions: z.array(questionInputSchema).min(1, "add at least one question"),
    }),
    output: surveySchema,
    rest: { method: "POST", path: "/projects/{projectId}/surveys", status: 201 },
  }),
  "surveys.list": route({
    summary: "List a project's surveys, newest first.",
    input: z.strictObject({
      projectId: idSchema,
      limit: intParam(1, 100).default(50),
      cursor: z.string().max(100).optional(),
    }),
    output: pageOf(surveySchema),
    rest: { method: "GET", path: "/projects/{projectId}/surveys" },
  }),
  "surveys.get": route({
    summary: "Read one survey.",
    input: z.strictObject({ id: idSchema }),
    output: surveySchema,
    rest: { method: "GET", path: "/surveys/{id}" },
  }),
  "surveys.update": route({
    summary:
      "Rename a survey or replace its questions (not while it runs). Changed questions delete the survey's " +
      "responses, so while it has any the change is refused with CONFLICT (details.reason " +
      `"${RESPONSES_WOULD_BE_DELETED}", details.responses) unless discardResponses is true.`,
    input: z.strictObject({
      id: idSchema,
      name: name.optional(),
      questions: z.array(questionInputSchema).min(1).optional(),
      /**
       * Confirms that changed questions may delete the survey's responses (they answered other
       * questions). Without it, a change that would delete responses is refused and changes nothing.
       */
      discardResponses: z.boolean().optional(),
    }),
    output: surveySchema,
    rest: { method: "PATCH", path: "/surveys/{id}" },
  }),
  "surveys.delete": route({
    summary: "Delete a survey and its responses.",
    input: z.strictObject({ id: idSchema }),
    output: okSchema,
    rest: { method: "DELETE", path: "/surveys/{id}" },
  }),
  "surveys.run": route({
    summary:
      "Ask the selected personas (default: all of the project's) every question, as a job. A new run replaces " +
      "the previous run's responses, so on a survey that has responses it is refused with CONFLICT " +
      `(details.reason "${RESPONSES_WOULD_BE_REPLACED}", details.responses) unless replaceResponses is true.`,
    input: z.strictObject({
      id: idSchema,
      personaIds: z.array(idSchema).min(1).max(1000).optional(),
      model: z.string().trim().min(1).max(200).optional(),
      /**
       * Confirms that this run may replace the responses of the previous run (they are deleted when
       * the new run saves its first response). Not needed for a first run; resuming a stopped run
       * (jobs.resume) keeps its responses and needs nothing.
       */
      replaceResponses: z.boolean().optional(),
    }),
    output: z.object({ jobId: idSchema }),
    rest: { method: "POST", path: "/surveys/{id}/run", status: 202 },
  }),
  "surveys.responses": route({
    summary: "The survey's responses, one per persona.",
    input: z.strictObject({
      id: idSchema,
      limit: intParam(1, 1000).default(200),
      cursor: z.string().max(100).optional(),
    }),
    output: pageOf(surveyResponseSchema),
    rest: { method: "GET", path: "/surveys/{id}/responses" },
  }),
  "surveys.results": route({
    summary: "Aggregates per question, and an optional cross-tab by a demographic dimension with a chi-square test.",
    input: z.strictObject({
      id: idSchema,
      crosstab: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,39}$/)
        .optional(),
    }),
    output: surveyResultsSchema,
    rest: { method: "GET", path: "/surveys/{id}/results" },
  }),
};
