import { QUESTION_TYPES, type Question, type QuestionInput, type QuestionType } from "@shared/contract";
import { newUid } from "../studies/reorder";

export interface OptionDraft {
  uid: string;
  text: string;
}

/** One question as the builder edits it: every type's fields kept, so switching type loses nothing. */
export interface QuestionDraft {
  uid: string;
  /** The stored id, sent back on save so results keep following the same question. */
  id?: string;
  type: QuestionType;
  text: string;
  required: boolean;
  options: OptionDraft[];
  multiple: boolean;
  maxSelections: string;
  min: string;
  max: string;
  minLabel: string;
  maxLabel: string;
  items: OptionDraft[];
}

export const isQuestionType = (value: unknown): value is QuestionType =>
  typeof value === "string" && (QUESTION_TYPES as readonly string[]).includes(value);

const rows = (values: readonly string[]): OptionDraft[] => values.map((text) => ({ uid: newUid(), text }));

export function blankQuestion(type: QuestionType = "multiple_choice"): QuestionDraft {
  return {
    uid: newUid(),
    type,
    text: "",
    required: true,
    options: rows(["", ""]),
    multiple: false,
    maxSelections: "2",
    min: "1",
    max: "5",
    minLabel: "",
    maxLabel: "",
    items: rows(["", ""]),
  };
}

export function questionDrafts(questions: readonly Question[]): QuestionDraft[] {
  return questions.map((question) => {
    const blank = blankQuestion(question.type);
    return {
      ...blank,
      id: question.id,
      text: question.text,
      required: question.required,
      options: question.options ? rows(question.options) : blank.options,
      multiple: (question.maxSelections ?? 1) > 1,
      maxSelections: String(Math.max(2, question.maxSelections ?? 2)),
      min: question.min === undefined ? blank.min : String(question.min),
      max: question.max === undefined ? blank.max : String(question.max),
      minLabel: question.minLabel ?? "",
      maxLabel: question.maxLabel ?? "",
      items: question.items ? rows(question.items) : blank.items,
    };
  });
}

/** A number field as typed; anything but an integer goes as NaN, for the server to name the field. */
const integer = (text: string) => (/^-?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

/**
 * What the server gets: only the fields of the question's type (the schema is strict). Empty
 * options stay in place so the server's issue indexes point at the right row.
 */
export function questionInput(draft: QuestionDraft): QuestionInput {
  const base = { ...(draft.id ? { id: draft.id } : {}), text: draft.text.trim(), required: draft.required };
  switch (draft.type) {
    case "multiple_choice":
      return {
        ...base,
        type: "multiple_choice",
        options: draft.options.map((option) => option.text.trim()),
        maxSelections: draft.multiple ? integer(draft.maxSelections) : 1,
      };
    case "rating_scale":
      return {
        ...base,
        type: "rating_scale",
        min: integer(draft.min),
        max: integer(draft.max),
        ...(draft.minLabel.trim() ? { minLabel: draft.minLabel.trim() } : {}),
        ...(draft.maxLabel.trim() ? { maxLabel: draft.maxLabel.trim() } : {}),
      };
    case "open_ended":
      return { ...base, type: "open_ended" };
    case "ranking":
      return { ...base, type: "ranking", items: draft.items.map((item) => item.text.trim()) };
  }
}

export type QuestionField =
  "text" | "type" | "options" | "maxSelections" | "min" | "max" | "minLabel" | "maxLabel" | "items" | "general";

const FIELDS: readonly QuestionField[] = [
  "text",
  "type",
  "options",
  "maxSelections",
  "min",
  "max",
  "minLabel",
  "maxLabel",
  "items",
];

export interface SurveyErrors {
  name?: string;
  /** About the list as a whole ("add at least one question", the plan's limit). */
  questions?: string;
  /** question uid → field → message. */
  byQuestion: Record<string, Partial<Record<QuestionField, string>>>;
  /** option or item uid → message. */
  byRow: Record<string, string>;
}

export const noSurveyErrors = (): SurveyErrors => ({ byQuestion: {}, byRow: {} });

/**
 * Places worded issues (the builder's own check, or the server's VALIDATION_FAILED), keyed by
 * dotted paths such as "questions.1.options" or "questions.1.items.0", next to the question,
 * field or row they are about.
 */
export function surveyErrorsFrom(fields: Record<string, string>, drafts: readonly QuestionDraft[]): SurveyErrors {
  const errors = noSurveyErrors();
  for (const [path, message] of Object.entries(fields)) {
    const [head, index, field, row] = path.split(".");
    if (head === "name") {
      errors.name ??= message;
      continue;
    }
    if (head !== "questions") continue;
    const draft = index === undefined ? undefined : drafts[Number(index)];
    if (!draft) {
      errors.questions ??= message;
      continue;
    }
    const own = (errors.byQuestion[draft.uid] ??= {});
    const rowList = field === "options" ? draft.options : field === "items" ? draft.items : null;
    const rowDraft = rowList && row !== undefined ? rowList[Number(row)] : undefined;
    if (rowDraft) errors.byRow[rowDraft.uid] ??= message;
    else if (field && (FIELDS as readonly string[]).includes(field)) own[field as QuestionField] ??= message;
    else own.general ??= message;
  }
  return errors;
}
