import {
  AppError,
  type Project,
  type ProjectPatch,
  type RouteOutput,
  type RouteParsedInput,
} from "../../../shared/contract";
import { findDemographicsProblem, type TargetDemographics } from "../../../shared/domain/demographics";
import { foldForSearch } from "../../../shared/domain/text";
import { PERSONA_LOCALES } from "../../../shared/contract";
import type { Database } from "../db/open";
import type { Project as ProjectRow, Prisma } from "../db/generated/client";
import type { EventBus } from "../events/bus";
import { newId } from "../ids";
import { decodeCursor, encodeCursor } from "./cursor";

export interface ProjectsServiceDeps {
  db: Database;
  bus: EventBus;
  now: () => Date;
}

type ListInput = RouteParsedInput<"projects.list">;
type CreateInput = RouteParsedInput<"projects.create">;

const SORT_COLUMN = { updated: "updatedAt", created: "createdAt", name: "name" } as const;
const DEFAULT_ORDER = { updated: "desc", created: "desc", name: "asc" } as const;

export function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    researchGoal: row.researchGoal,
    targetAudience: row.targetAudience,
    targetDemographics: JSON.parse(row.targetDemographics) as TargetDemographics,
    targetSampleSize: row.targetSampleSize,
    personaLocale: isPersonaLocale(row.personaLocale) ? row.personaLocale : null,
    status: row.status === "archived" ? "archived" : "active",
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A stored locale the app still offers (one dropped from the list reads as "follow the target"). */
const isPersonaLocale = (value: string | null): value is Project["personaLocale"] & string =>
  value !== null && (PERSONA_LOCALES as readonly string[]).includes(value);

export function assertDemographics(value: unknown): void {
  const problem = findDemographicsProblem(value);
  if (problem) {
    // The reason and the sum let the app say it in the user's language (and in percent).
    throw new AppError("INVALID_DEMOGRAPHICS", problem.message, {
      reason: problem.reason,
      dimension: problem.dimension,
      ...(problem.category === undefined ? {} : { category: problem.category }),
      ...(problem.sumPercent === undefined ? {} : { sumPercent: problem.sumPercent }),
      ...(problem.suggestion === undefined ? {} : { suggestion: problem.suggestion }),
    });
  }
}

export function createProjectsService(deps: ProjectsServiceDeps) {
  const { prisma } = deps.db;
  const changed = () => deps.bus.emit("db.changed", { tables: ["Project"] });

  const find = async (id: string): Promise<ProjectRow> => {
    const row = await prisma.project.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", `No project with id ${id}.`, { id });
    return row;
  };

  const setStatus = async (id: string, status: "active" | "archived") => {
    await find(id);
    const row = await prisma.project.update({ where: { id }, data: { status } });
    changed();
    return toProject(row);
  };

  return {
    async list(input: ListInput): Promise<RouteOutput<"projects.list">> {
      const column = SORT_COLUMN[input.sort];
      const order = input.order ?? DEFAULT_ORDER[input.sort];
      const where: Prisma.ProjectWhereInput = {};
      if (input.status !== "all") where.status = input.status;
      const q = input.q?.trim();
      if (q) {
        // instr, not Prisma's `contains`: SQLite's LIKE would read % and _ in the query as wildcards.
        const matches = await deps.db.raw.execute({
          sql: 'SELECT id FROM "Project" WHERE instr(searchText, ?) > 0',
          args: [foldForSearch(q)],
        });
        where.id = { in: matches.rows.map((row) => String(row.id)) };
      }

      // Keyset pagination: (sort value, id) of the last row seen; offset scans grow with the table.
      let seek: Prisma.ProjectWhereInput | undefined;
      if (input.cursor) {
        const cursor = decodeCursor(input.cursor, input.sort);
        const cmp = order === "asc" ? "gt" : "lt";
        const value = column === "name" ? cursor.value : new Date(cursor.value);
        seek = {
          OR: [{ [column]: { [cmp]: value } }, { [column]: value, id: { [cmp]: cursor.id } }],
        };
      }
      const [rows, total] = await Promise.all([
        prisma.project.findMany({
          where: seek ? { AND: [where, seek] } : where,
          orderBy: [{ [column]: order }, { id: order }],
          take: input.limit + 1,
        }),
        prisma.project.count({ where }),
      ]);
      const page = rows.slice(0, input.limit);
      const last = page[page.length - 1];
      const nextCursor =
        rows.length > input.limit && last
          ? encodeCursor(input.sort, column === "name" ? last.name : last[column].toISOString(), last.id)
          : null;
      return { items: page.map(toProject), nextCursor, total };
    },

    async get(id: string): Promise<Project> {
      return toProject(await find(id));
    },

    async create(input: CreateInput): Promise<Project> {
      assertDemographics(input.targetDemographics);
      const now = deps.now();
      const row = await prisma.project.create({
        data: {
          id: newId(now.getTime()),
          name: input.name,
          description: input.description,
          researchGoal: input.researchGoal,
          targetAudience: input.targetAudience,
          targetDemographics: JSON.stringify(input.targetDemographics),
          targetSampleSize: input.targetSampleSize,
          personaLocale: input.personaLocale ?? null,
          searchText: foldForSearch(`${input.name}\n${input.description}`),
          createdAt: now,
          updatedAt: now,
        },
      });
      changed();
      return toProject(row);
    },

    async update(id: string, patch: ProjectPatch): Promise<Project> {
      const current = await find(id);
      if (patch.targetDemographics !== undefined) assertDemographics(patch.targetDemographics);
      const name = patch.name ?? current.name;
      const description = patch.description ?? current.description;
      const row = await prisma.project.update({
        where: { id },
        data: {
          ...patch,
          targetDemographics:
            patch.targetDemographics === undefined ? undefined : JSON.stringify(patch.targetDemographics),
          searchText: foldForSearch(`${name}\n${description}`),
          updatedAt: deps.now(),
        },
      });
      changed();
      return toProject(row);
    },

    async duplicate(id: string, name?: string): Promise<Project> {
      const source = toProject(await find(id));
      return this.create({
        name: name ?? `${source.name} (copy)`.slice(0, 120),
        description: source.description,
        researchGoal: source.researchGoal,
        targetAudience: source.targetAudience,
        targetDemographics: source.targetDemographics,
        targetSampleSize: source.targetSampleSize,
        personaLocale: source.personaLocale,
      });
    },

    archive: (id: string) => setStatus(id, "archived"),
    unarchive: (id: string) => setStatus(id, "active"),

    async remove(id: string): Promise<{ ok: true }> {
      await find(id);
      const active = await prisma.job.count({ where: { projectId: id, status: { in: ["queued", "running"] } } });
      if (active > 0) {
        throw new AppError(
          "CONFLICT",
          "Work is still running in this project; cancel it (or wait for it) before deleting.",
          {
            activeJobs: active,
          },
        );
      }
      // Jobs and (later) personas, studies and exports go with it through ON DELETE CASCADE.
      await prisma.project.delete({ where: { id } });
      changed();
      return { ok: true };
    },
  };
}

export type ProjectsService = ReturnType<typeof createProjectsService>;
