import type { BundleModel, BundleStudy, LlmProviderId, LlmSettings, RunModel } from "../../../shared/contract";
import { MODERATOR_TEMPERATURE } from "../focus-groups/discussion-job";
import { THEMES_TEMPERATURE } from "../surveys/open-themes";

export interface ModelSettings {
  /** The provider in force (settings, or SIGHT_LLM_PROVIDER). */
  provider: LlmProviderId;
  /** The workspace's model per task. */
  models: LlmSettings["models"];
}

/**
 * The `models` of a bundle: which model each kind of call of the study used, at what temperature
 * and seed. What the study's last run recorded (`source: "run"`: the model the provider says
 * answered, the prompt version); for a run from before runs recorded models, or a study not run
 * yet, what the study's and the workspace's settings say (`source: "settings"`).
 */
export function studyModelRecords(study: BundleStudy, llm: ModelSettings, recorded: RunModel[] = []): BundleModel[] {
  if (recorded.length) return recorded.map((model) => fromRun(study, model));
  const record = (
    task: BundleModel["task"],
    role: BundleModel["role"],
    model: string,
    temperature: number,
    seed: number | null,
  ): BundleModel => ({
    task,
    role,
    provider: llm.provider,
    model,
    modelVersion: null,
    temperature,
    seed,
    promptVersion: null,
    source: "settings",
  });
  if (study.kind === "focusGroup") {
    const { settings } = study;
    const model = settings.model ?? llm.models.discussion;
    return [
      record("discussion", "participants", model, settings.temperature, settings.seed),
      ...(settings.moderatorFollowUps
        ? [record("discussion", "moderator", model, MODERATOR_TEMPERATURE, settings.seed)]
        : []),
    ];
  }
  const { settings } = study;
  return [
    record("discussion", "respondents", settings.model ?? llm.models.discussion, settings.temperature, settings.seed),
    // The open answers' themes: the run's model when it named one, else the analysis model.
    ...(study.questions.some((question) => question.type === "open_ended")
      ? [record("analysis", "open_themes", settings.model ?? llm.models.analysis, THEMES_TEMPERATURE, null)]
      : []),
  ];
}

/**
 * A run's record as a bundle entry. The record does not say which kind of call it was; within one
 * run the kinds differ by temperature (the moderator's and the themes' are fixed), so that names
 * the role; a run whose own temperature equals the fixed one reads as its participants'.
 */
function fromRun(study: BundleStudy, model: RunModel): BundleModel {
  const focusGroup = study.kind === "focusGroup";
  const role: BundleModel["role"] = focusGroup
    ? model.temperature === MODERATOR_TEMPERATURE && study.settings.temperature !== MODERATOR_TEMPERATURE
      ? "moderator"
      : "participants"
    : model.temperature === THEMES_TEMPERATURE && study.settings.temperature !== THEMES_TEMPERATURE
      ? "open_themes"
      : "respondents";
  return {
    task: role === "open_themes" ? "analysis" : "discussion",
    role,
    provider: model.provider,
    model: model.model,
    modelVersion: model.modelVersion,
    temperature: model.temperature ?? study.settings.temperature,
    seed: model.seed,
    promptVersion: model.promptVersion,
    source: "run",
  };
}
