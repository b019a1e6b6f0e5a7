import { z } from "zod";
import {
  ERROR_CODES,
  EXPORT_DOWNLOAD_PATH,
  EXPORT_JSON_SCHEMA_PATH,
  SHARED_DOWNLOAD_PATH,
  ERROR_DESCRIPTIONS,
  HTTP_STATUS_BY_CODE,
  routes,
  wireErrorSchema,
  type RouteDef,
} from "../../shared/contract";

/** Converts "/projects/{id}" into the list of its parameter names. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((match) => match[1]!);
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

export const errorResponse = {
  description: "A typed error",
  content: {
    "application/json": { schema: { type: "object", properties: { error: jsonSchema(wireErrorSchema, "output") } } },
  },
};

/** OpenAPI path items for a map of contract routes (the app's, or Sight Cloud's). */
export function restPaths(
  routeMap: Record<string, RouteDef>,
  prefix = "/api/v1",
): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, def] of Object.entries(routeMap)) {
    if (def.desktopOnly) continue;
    const { method, path, status = 200 } = def.rest;
    const params = pathParams(path);
    const input = jsonSchema(def.input, "input");
    const properties = (input.properties ?? {}) as Record<string, unknown>;
    const required = new Set((input.required as string[] | undefined) ?? []);
    const parameters: unknown[] = params.map((param) => ({
      name: param,
      in: "path",
      required: true,
      schema: properties[param] ?? { type: "string" },
    }));
    const operation: Record<string, unknown> = {
      operationId: name,
      summary: def.summary,
      tags: [name.split(".")[0]],
      parameters,
      responses: {
        [String(status)]: {
          description: "Success",
          content: { "application/json": { schema: jsonSchema(def.output, "output") } },
        },
        default: errorResponse,
      },
    };
    const rest = Object.fromEntries(Object.entries(properties).filter(([key]) => !params.includes(key)));
    if (method === "GET" || method === "DELETE") {
      for (const [key, schema] of Object.entries(rest)) {
        parameters.push({ name: key, in: "query", required: required.has(key), schema });
      }
    } else if (Object.keys(rest).length > 0) {
      operation.requestBody = {
        required: [...required].some((key) => !params.includes(key)),
        content: {
          "application/json": {
            schema: { ...input, properties: rest, required: [...required].filter((key) => !params.includes(key)) },
          },
        },
      };
    }
    const openApiPath = `${prefix}${path}`;
    paths[openApiPath] = { ...(paths[openApiPath] ?? {}), [method.toLowerCase()]: operation };
  }
  return paths;
}

/** The OpenAPI 3.1 document of the REST surface, generated from the same zod contract. */
export function buildOpenApi(version: string): Record<string, unknown> {
  const paths = restPaths(routes);
  const idParameter = { name: "id", in: "path", required: true, schema: { type: "string" } };
  const fileResponse = {
    description: "The file, with Content-Disposition naming it",
    content: {
      "application/pdf": { schema: { type: "string", format: "binary" } },
      "text/csv": { schema: { type: "string", format: "binary" } },
      "application/json": { schema: { type: "string", format: "binary" } },
    },
  };
  paths[EXPORT_DOWNLOAD_PATH] = {
    get: {
      operationId: "exports.download",
      summary: "Download an export's file.",
      tags: ["exports"],
      parameters: [idParameter],
      responses: { "200": fileResponse, default: errorResponse },
    },
  };
  paths[SHARED_DOWNLOAD_PATH] = {
    get: {
      operationId: "exports.sharedDownload",
      summary:
        "Download an export through a share link; the signature authorises it (no bearer token). 403 when expired or altered.",
      tags: ["exports"],
      security: [],
      parameters: [
        idParameter,
        ...["expires", "kid", "sig"].map((name) => ({ name, in: "query", required: true, schema: { type: "string" } })),
      ],
      responses: { "200": fileResponse, default: errorResponse },
    },
  };
  paths[EXPORT_JSON_SCHEMA_PATH] = {
    get: {
      operationId: "schemas.export",
      summary: "The JSON Schema (draft 2020-12) of JSON exports.",
      tags: ["exports"],
      responses: {
        "200": { description: "JSON Schema", content: { "application/json": { schema: { type: "object" } } } },
      },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Sight API",
      version,
      description:
        "REST surface of the Sight headless host. Every call needs `Authorization: Bearer <token>` " +
        "(or the session cookie set by the printed URL). Errors: " +
        ERROR_CODES.map((code) => `${code} (HTTP ${HTTP_STATUS_BY_CODE[code]}): ${ERROR_DESCRIPTIONS[code]}`).join(" "),
    },
    servers: [{ url: "/" }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}
