import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { Project } from "@shared/contract";

interface Props {
  label: string;
  projects: readonly Project[];
  /** The chosen project's id; null selects the empty option. */
  value: string | null;
  /** The option for "none chosen" ("Choose a project…", "All projects"); null leaves it out. */
  emptyLabel: string | null;
  onChange(projectId: string | null): void;
}

/** A labelled project dropdown; archived projects say so. */
export function ProjectSelect({ label, projects, value, emptyLabel, onChange }: Props) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field project-picker">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="select" value={value ?? ""} onChange={(event) => onChange(event.target.value || null)}>
        {emptyLabel === null ? null : <option value="">{emptyLabel}</option>}
        {projects.map((project) => (
          <option key={project.id} value={project.id}>
            {project.status === "archived" ? t("personas.archivedOption", { name: project.name }) : project.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The list with `current` first when the list leaves it out (an archived project opened by link). */
export function withCurrent(projects: readonly Project[], current: Project | null): readonly Project[] {
  return current && !projects.some((project) => project.id === current.id) ? [current, ...projects] : projects;
}
