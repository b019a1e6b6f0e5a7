import type { AreaHandlers } from "../types";

type SurveyRoute =
  | "surveys.create"
  | "surveys.list"
  | "surveys.get"
  | "surveys.update"
  | "surveys.delete"
  | "surveys.run"
  | "surveys.responses"
  | "surveys.results";

export const surveyHandlers: AreaHandlers<SurveyRoute> = ({ surveys }) => ({
  "surveys.create": (input) => surveys.create(input),
  "surveys.list": (input) => surveys.list(input),
  "surveys.get": ({ id }) => surveys.get(id),
  "surveys.update": (input) => surveys.update(input),
  "surveys.delete": ({ id }) => surveys.remove(id),
  "surveys.run": (input) => surveys.run(input),
  "surveys.responses": (input) => surveys.responses(input),
  "surveys.results": (input) => surveys.results(input),
});
