import type { ReactElement } from "react";

/** One <Page> of the report and, when it starts a section, its line in the contents. */
export interface PageSpec {
  id: string;
  toc?: { title: string; level: 0 | 1 | 2 };
  element: ReactElement;
}
