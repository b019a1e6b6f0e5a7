import { create } from "zustand";
import type { PROJECT_SORTS } from "@shared/contract";
import { safeStorageGet, safeStorageSet } from "../i18n";

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
  /** The project the Personas area shows; remembered across restarts (sidebar → last project). */
  personasProjectId: string | null;
  setPersonasProjectId(id: string | null): void;
  /** Search and filters of one project's persona list; kept while a persona is open. */
  personaQuery: PersonaQuery;
  setPersonaQuery(query: PersonaQuery): void;
  /** The project the Focus groups and Surveys areas open on; remembered across restarts. */
  studiesProjectId: string | null;
  setStudiesProjectId(id: string | null): void;
  /** Failed generation runs the user has read and put away (this session). */
  dismissedJobIds: readonly string[];
  dismissJob(id: string): void;
}

export interface PersonaQuery {
  projectId: string | null;
  q: string;
  /** dimension → category; a missing key means "any". */
  filters: Readonly<Record<string, string>>;
}

const PERSONAS_PROJECT_KEY = "sight.personasProject";
const STUDIES_PROJECT_KEY = "sight.studiesProject";

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
  personasProjectId: safeStorageGet(PERSONAS_PROJECT_KEY) || null,
  setPersonasProjectId: (personasProjectId) => {
    safeStorageSet(PERSONAS_PROJECT_KEY, personasProjectId ?? "");
    set({ personasProjectId });
  },
  personaQuery: { projectId: null, q: "", filters: {} },
  setPersonaQuery: (personaQuery) => set({ personaQuery }),
  studiesProjectId: safeStorageGet(STUDIES_PROJECT_KEY) || null,
  setStudiesProjectId: (studiesProjectId) => {
    safeStorageSet(STUDIES_PROJECT_KEY, studiesProjectId ?? "");
    set({ studiesProjectId });
  },
  dismissedJobIds: [],
  dismissJob: (id) => set((state) => ({ dismissedJobIds: [...state.dismissedJobIds, id] })),
}));
