import { STATUS_CODES } from 'node:http';
import * as contract from '@shop/contract';
import { z } from 'zod';
import { ADMIN_OPERATIONS } from './admin-operations';
import { isRawContent, openApiPath, type Operation, type ResponseSpec } from './operation';
import {
  HealthResponse,
  NotReadyResponse,
  PingResponse,
  ReadyResponse,
  SHOP_OPERATIONS,
} from './shop-operations';

/** Every route the API serves, described; openapi.int.test.ts keeps this list and the routers equal. */
export const OPERATIONS: readonly Operation[] = [
  ...SHOP_OPERATIONS,
  ...ADMIN_OPERATIONS,
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'documentation',
    summary: 'This description of the API (OpenAPI 3.1), generated from the zod contract',
    auth: 'none',
    query: contract.NoQuery,
    responses: { 200: { contentType: 'application/json', description: 'the OpenAPI 3.1 document' } },
  },
  {
    method: 'get',
    path: '/api/docs',
    tag: 'documentation',
    summary: 'This description as a page to read',
    auth: 'none',
    query: contract.NoQuery,
    responses: { 200: { contentType: 'text/html', description: 'an HTML page, no scripts' } },
  },
];

export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

const COMPONENT_PREFIX = '#/components/schemas/';

/** Contract exports that describe what a client sends are inlined where used (as input), not made components. */
const INPUT_NAME = /(Body|Query|Params|Header)$/;

/** Schemas answered by the API itself rather than taken from the contract, named for the document. */
const API_SCHEMAS: Record<string, z.ZodType> = {
  HealthResponse,
  ReadyResponse,
  NotReadyResponse,
  PingResponse,
};

function isZodSchema(value: unknown): value is z.ZodType {
  return value instanceof z.ZodType;
}

/** The document's named schemas: every response schema of the contract, keyed by its export name. */
function componentRegistry(operations: readonly Operation[]): {
  registry: z.core.$ZodRegistry<{ id: string }>;
  nameOf: Map<z.ZodType, string>;
} {
  const registry = z.registry<{ id: string }>();
  const nameOf = new Map<z.ZodType, string>();
  const add = (name: string, schema: z.ZodType) => {
    if (nameOf.has(schema)) return;
    registry.add(schema, { id: name });
    nameOf.set(schema, name);
  };
  for (const [name, value] of Object.entries(contract)) {
    if (isZodSchema(value) && !INPUT_NAME.test(name)) add(name, value);
  }
  for (const [name, schema] of Object.entries(API_SCHEMAS)) add(name, schema);
  // A response schema that is neither in the contract nor above is named after its operation.
  for (const operation of operations) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (isZodSchema(response) && !nameOf.has(response)) add(`${operationId(operation)}${status}`, response);
    }
  }
  return { registry, nameOf };
}

/** `post /api/orders/:id/cancel` -> `postApiOrdersByIdCancel`. */
export function operationId(operation: Pick<Operation, 'method' | 'path'>): string {
  const words = operation.path
    .split(/[/.-]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `By${capitalise(part.slice(1))}` : capitalise(part)));
  return `${operation.method}${words.join('')}`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A request-side schema, inlined as the client must send it (defaults make fields optional). */
function inputSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  delete json.$schema;
  return json;
}

function parameters(operation: Operation): JsonSchema[] {
  const list: JsonSchema[] = [];
  const fromObject = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return;
    const json = inputSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const required = where === 'path' || (json.required ?? []).includes(name);
      list.push({ name, in: where, required, schema: property });
    }
  };
  fromObject(operation.params, 'path');
  fromObject(operation.query, 'query');
  for (const [name, header] of Object.entries(operation.headers ?? {})) {
    list.push({
      name,
      in: 'header',
      required: false,
      description: header.description,
      schema: inputSchema(header.schema),
    });
  }
  return list;
}

function responseObject(status: string, spec: ResponseSpec, nameOf: Map<z.ZodType, string>): JsonSchema {
  const description = STATUS_CODES[Number(status)] ?? status;
  if (spec === null) return { description };
  if (isRawContent(spec)) {
    const schema = spec.schema
      ? inputSchema(spec.schema)
      : { type: 'string', contentMediaType: spec.contentType };
    return {
      description: `${description}: ${spec.description}`,
      content: { [spec.contentType]: { schema } },
    };
  }
  const name = nameOf.get(spec);
  if (!name) throw new Error(`response schema ${status} has no component name`);
  return { description, content: { 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}${name}` } } } };
}

function operationObject(operation: Operation, nameOf: Map<z.ZodType, string>): JsonSchema {
  const who =
    operation.auth === 'none'
      ? 'No sign-in.'
      : operation.auth === 'shopper'
        ? 'A signed-in shopper (`Authorization: Bearer <token>` from `POST /api/session`).'
        : `A signed-in merchant (\`Authorization: Bearer <token>\` from \`POST /api/admin/session\`)${
            operation.permission ? ` whose role has \`${operation.permission}\`` : ''
          }.`;
  const responses: JsonSchema = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    responses[status] = responseObject(status, spec, nameOf);
  }
  responses.default = {
    description: 'An error: `VALIDATION_ERROR` (400) naming the fields, or the code of what went wrong',
    content: { 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}ErrorResponse` } } },
  };
  const object: JsonSchema = {
    operationId: operationId(operation),
    tags: [operation.tag],
    summary: operation.summary,
    description: [who, operation.description].filter(Boolean).join('\n\n'),
    parameters: parameters(operation),
    responses,
  };
  if (operation.auth !== 'none') object.security = [{ [`${operation.auth}Token`]: [] }];
  if (operation.body) {
    object.requestBody = isRawContent(operation.body)
      ? {
          required: true,
          description: operation.body.description,
          content: {
            [operation.body.contentType]: {
              schema: { type: 'string', contentMediaType: operation.body.contentType },
            },
          },
        }
      : { required: true, content: { 'application/json': { schema: inputSchema(operation.body) } } };
  }
  return object;
}

/**
 * The OpenAPI 3.1 document, generated from the operations and the zod schemas they name: response schemas become
 * components (output types, `z.toJSONSchema` with JSON Schema 2020-12, OpenAPI 3.1's dialect), request bodies,
 * path and query parameters are inlined as input types. Nothing in it is written by hand but the summaries.
 */
export function buildOpenApiDocument(operations: readonly Operation[] = OPERATIONS): OpenApiDocument {
  const { registry, nameOf } = componentRegistry(operations);
  const generated = z.toJSONSchema(registry, {
    io: 'output',
    unrepresentable: 'any',
    target: 'draft-2020-12',
    uri: (id) => `${COMPONENT_PREFIX}${id}`,
  }).schemas;
  const schemas: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(generated)) {
    // Each component is a subschema of the document: its own $schema and $id (a fragment) do not belong there.
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
    schemas[name] = rest;
  }
  const paths: OpenApiDocument['paths'] = {};
  for (const operation of operations) {
    const path = openApiPath(operation.path);
    paths[path] ??= {};
    paths[path][operation.method] = operationObject(operation, nameOf);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Alipay mini-program shop API',
      version: '1',
      description:
        'The shop API, the merchant admin API, the Alipay notify endpoint and health probes. Money is integer fen, ' +
        'times are ISO 8601 UTC. Every error is `{ "error": { "code", "message", "details" } }` with a code from ' +
        'the closed list in `ErrorResponse`.',
    },
    tags: [...new Set(operations.map((operation) => operation.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        shopperToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A shopper session token (POST /api/session)',
        },
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A merchant session token (POST /api/admin/session)',
        },
      },
    },
  };
}
