import type { AreaHandlers } from "../types";

type RecipeRoute = "recipes.build" | "recipes.saveAs" | "recipes.import" | "recipes.importFile";

export const recipeHandlers: AreaHandlers<RecipeRoute> = ({ recipes }) => ({
  "recipes.build": ({ kind, id }) => recipes.build(kind, id),
  "recipes.saveAs": ({ kind, id }) => recipes.saveAs(kind, id),
  "recipes.import": ({ text }) => recipes.importText(text),
  "recipes.importFile": () => recipes.importFile(),
});
