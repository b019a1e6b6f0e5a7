import type { Format } from "../format";
import type { Labels } from "../labels";
import type { ReportModel } from "../model";

/** What every part of the document reads: the model, the labels and formats of its language. */
export interface RenderContext {
  model: ReportModel;
  t: Labels;
  fmt: Format;
  /**
   * Section id → the page it starts on, filled while react-pdf paginates (each section is its
   * own <Page>, so its first dynamic node is first resolved with its first page number) and read
   * by the contents page when page numbers are resolved for the last time.
   */
  anchors: Map<string, number>;
  /** Called as pages are laid out (progress). */
  onPage(pageNumber: number): void;
}
