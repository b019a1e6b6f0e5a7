import { create } from "zustand";
import type { PROJECT_SORTS } from "@shared/contract";

export type ProjectStatusFilter = "active" | "archived" | "all";
export type ProjectSort = (typeof PROJECT_SORTS)[number];

interface UiState {
  sidebarCollapsed: boolean;
  toggleSidebar(): void;
  /** Filters of the projects list; kept while the user visits a project and comes back. */
  projectSearch: string;
  projectStatus: ProjectStatusFilter;
  projectSort: ProjectSort;
  setProjectSearch(q: string): void;
  setProjectStatus(status: ProjectStatusFilter): void;
  setProjectSort(sort: ProjectSort): void;
  /** Set by the "/" shortcut when it has to navigate to the list first. */
  focusSearchRequested: boolean;
  requestSearchFocus(requested: boolean): void;
}

export const useUiStore = create<UiState>()((set) => ({
  sidebarCollapsed: false,
  toggleSidebar: () => set((state) => ({ sidebarCollapsed: !state.sidebarCollapsed })),
  projectSearch: "",
  projectStatus: "active",
  projectSort: "updated",
  setProjectSearch: (projectSearch) => set({ projectSearch }),
  setProjectStatus: (projectStatus) => set({ projectStatus }),
  setProjectSort: (projectSort) => set({ projectSort }),
  focusSearchRequested: false,
  requestSearchFocus: (focusSearchRequested) => set({ focusSearchRequested }),
}));
