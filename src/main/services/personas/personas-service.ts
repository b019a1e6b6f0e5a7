import crypto from "node:crypto";
import {
  AppError,
  type Persona,
  type PersonaValidation,
  type RouteOutput,
  type RouteParsedInput,
} from "../../../shared/contract";
import { parseAgeBracket, type TargetDemographics } from "../../../shared/domain/demographics";
import { allocateTopUp } from "../../../shared/domain/quotas";
import { personaLocaleOf } from "../../../shared/domain/persona-locale";
import { foldForSearch } from "../../../shared/domain/text";
import { toProject } from "../projects/projects-service";
import type { Entitlements } from "../billing/entitlements";
import type { Prisma } from "../db/generated/client";
import type { Database } from "../db/open";
import type { EventBus } from "../events/bus";
import type { JobRunner } from "../jobs/runner";
import { PERSONA_GENERATION_KIND } from "../billing/entitlements";
import { personaSearchText, toPersona } from "./persona-row";
import type { GenerateParams } from "./generate-job";
import { summariseRefusals } from "./refusals";
import { validatePersonas } from "./validation";

export interface PersonasServiceDeps {
  db: Database;
  bus: EventBus;
  jobs: JobRunner;
  entitlements: Entitlements;
  now: () => Date;
  /** Throws PROVIDER_UNAVAILABLE (saying what to set) when no LLM provider is usable. */
  assertProviderReady: () => Promise<void>;
}

export function createPersonasService(deps: PersonasServiceDeps) {
  const { prisma } = deps.db;

  const findProject = async (id: string) => {
    const project = await prisma.project.findUnique({ where: { id } });
    if (!project) throw new AppError("NOT_FOUND", `No project with id ${id}.`, { id });
    return project;
  };
  const find = async (id: string) => {
    const row = await prisma.persona.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", `No persona with id ${id}.`, { id });
    return row;
  };
  const changed = () => deps.bus.emit("db.changed", { tables: ["Persona"] });

  return {
    async generate(input: RouteParsedInput<"personas.generate">): Promise<RouteOutput<"personas.generate">> {
      const project = await findProject(input.projectId);
      // Quota check, conflict check and enqueue are one step: the job row is what reserves places.
      // Plan first, then provider: neither costs an LLM call.
      return deps.entitlements.reservePersonas(input.count, async () => {
        await deps.assertProviderReady();
        const running = await prisma.job.findFirst({
          where: { kind: PERSONA_GENERATION_KIND, projectId: project.id, status: { in: ["queued", "running"] } },
        });
        if (running) {
          throw new AppError(
            "CONFLICT",
            "Personas are already being generated for this project; wait for that run or cancel it.",
            {
              jobId: running.id,
            },
          );
        }
        const seed = input.seed ?? crypto.randomInt(0, 2 ** 31 - 1);
        const existing = await prisma.persona.findMany({
          where: { projectId: project.id },
          select: { demographics: true },
        });
        const slots = allocateTopUp(
          JSON.parse(project.targetDemographics) as TargetDemographics,
          existing.map((p) => ({ demographics: JSON.parse(p.demographics) as Record<string, string> })),
          input.count,
          seed,
        );
        const params: GenerateParams = {
          projectId: project.id,
          count: input.count,
          seed,
          // Unless asked otherwise: the project's choice, else the country its target names.
          locale: input.locale ?? personaLocaleOf(toProject(project), "en-US"),
          model: input.model,
          slots,
        };
        const job = await deps.jobs.enqueue(PERSONA_GENERATION_KIND, params, { projectId: project.id });
        return { jobId: job.id, seed, slots: slots.length };
      });
    },

    async list(input: RouteParsedInput<"personas.list">): Promise<RouteOutput<"personas.list">> {
      await findProject(input.projectId);
      const where: Prisma.PersonaWhereInput = {
        projectId: input.projectId,
        ...(input.runId === undefined ? {} : { runId: input.runId }),
      };
      const conditions: string[] = [];
      const args: string[] = [input.projectId];
      for (const filter of input.filter ?? []) {
        const colon = filter.indexOf(":");
        // The dimension matches [a-z][a-z0-9_]* (checked by the contract), so it is safe in the path.
        conditions.push(`json_extract(demographics, '$.${filter.slice(0, colon)}') = ?`);
        args.push(filter.slice(colon + 1));
      }
      const q = input.q?.trim();
      if (q) {
        conditions.push("instr(searchText, ?) > 0");
        args.push(foldForSearch(q));
      }
      if (conditions.length) {
        const matches = await deps.db.raw.execute({
          sql: `SELECT id FROM "Persona" WHERE projectId = ? AND ${conditions.join(" AND ")}`,
          args,
        });
        where.id = { in: matches.rows.map((row) => String(row.id)) };
      }
      if (input.cursor !== undefined && !/^[0-9a-z]{26}$/.test(input.cursor)) {
        throw new AppError("VALIDATION_FAILED", "The cursor is not valid for this list.", {
          issues: [{ path: ["cursor"], message: "invalid cursor" }],
        });
      }
      // Ids are time-ordered, so (id) alone is a keyset in creation order, either way.
      const after = input.order === "desc" ? { lt: input.cursor } : { gt: input.cursor };
      const [rows, total] = await Promise.all([
        prisma.persona.findMany({
          where: input.cursor ? { AND: [where, { id: after }] } : where,
          orderBy: { id: input.order },
          take: input.limit + 1,
        }),
        prisma.persona.count({ where }),
      ]);
      const page = rows.slice(0, input.limit);
      return {
        items: page.map(toPersona),
        nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
        total,
      };
    },

    async get(id: string): Promise<Persona> {
      return toPersona(await find(id));
    },

    async update(id: string, patch: Omit<RouteParsedInput<"personas.update">, "id">): Promise<Persona> {
      const row = await find(id);
      const demographics = JSON.parse(row.demographics) as Record<string, string>;
      if (patch.age !== undefined && demographics.age_group) {
        const bracket = parseAgeBracket(demographics.age_group);
        if (bracket && (patch.age < bracket.min || patch.age > bracket.max)) {
          throw new AppError(
            "VALIDATION_FAILED",
            `Age must stay within the persona's ${demographics.age_group} bracket.`,
            {
              issues: [
                {
                  path: ["age"],
                  code: "custom",
                  reason: "outside_age_group",
                  minimum: bracket.min,
                  maximum: bracket.max,
                  message: `must be between ${bracket.min} and ${bracket.max}`,
                },
              ],
            },
          );
        }
      }
      const next = { ...toPersona(row), ...patch };
      const updated = await prisma.persona.update({
        where: { id },
        data: {
          name: next.name,
          age: next.age,
          location: next.location,
          occupation: next.occupation,
          bigFive: JSON.stringify(next.bigFive),
          values: JSON.stringify(next.values),
          interests: JSON.stringify(next.interests),
          backgroundStory: next.backgroundStory,
          communicationStyle: next.communicationStyle,
          decisionMakingStyle: next.decisionMakingStyle,
          concerns: JSON.stringify(next.concerns),
          searchText: personaSearchText(next),
          updatedAt: deps.now(),
        },
      });
      changed();
      return toPersona(updated);
    },

    async remove(id: string): Promise<{ ok: true }> {
      await find(id);
      await prisma.persona.delete({ where: { id } });
      changed();
      return { ok: true };
    },

    async validation(projectId: string): Promise<PersonaValidation> {
      const project = await findProject(projectId);
      const personas = await prisma.persona.findMany({ where: { projectId }, select: { demographics: true } });
      return validatePersonas(
        projectId,
        JSON.parse(project.targetDemographics) as TargetDemographics,
        personas.map((p) => ({ demographics: JSON.parse(p.demographics) as Record<string, string> })),
        deps.now(),
      );
    },

    async refusals(input: RouteParsedInput<"personas.refusals">): Promise<RouteOutput<"personas.refusals">> {
      await findProject(input.projectId);
      if (input.runId === undefined) {
        return { projectId: input.projectId, ...(await summariseRefusals(deps.db, { projectId: input.projectId })) };
      }
      const run = await prisma.job.findFirst({
        where: { id: input.runId, projectId: input.projectId, kind: PERSONA_GENERATION_KIND },
        select: { id: true },
      });
      if (!run)
        throw new AppError("NOT_FOUND", `No generation run ${input.runId} in this project.`, { id: input.runId });
      return { projectId: input.projectId, ...(await summariseRefusals(deps.db, { jobId: run.id })) };
    },

    quota: () => deps.entitlements.personaQuota(),
  };
}

export type PersonasService = ReturnType<typeof createPersonasService>;
