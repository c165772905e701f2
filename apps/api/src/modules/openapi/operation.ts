import type { z } from 'zod';

/** Who may call an operation: anyone, a signed-in shopper, or a signed-in merchant (admin) with a permission. */
export type Auth = 'none' | 'shopper' | 'admin';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A body that is not JSON: an image, a CSV file, the notify's form, an HTML page. */
export interface RawContent {
  contentType: string;
  /** What the bytes are, for the reader. */
  description: string;
  /** A schema for the text, when there is one (the notify's `success`). */
  schema?: z.ZodType;
}

/** A response: a zod schema for JSON, raw content, or `null` for no body (204, 304). */
export type ResponseSpec = z.ZodType | RawContent | null;

/**
 * One route as the API serves it, described with the schemas its handler parses and answers with. The OpenAPI
 * document is generated from these (document.ts), and openapi.int.test.ts checks them against the routers: every
 * registered route has exactly one operation here and every operation here is a registered route.
 */
export interface Operation {
  method: HttpMethod;
  /** The path as @koa/router registers it (`/api/orders/:id`). */
  path: string;
  tag: string;
  summary: string;
  auth: Auth;
  /** The permission an admin operation needs (`orders.refund`), shown in the description. */
  permission?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType | RawContent;
  /** Optional request headers the handler reads, with their schema. */
  headers?: Record<string, { schema: z.ZodType; description: string }>;
  /** Success responses by status; every operation also answers the error body for any other status. */
  responses: Record<number, ResponseSpec>;
  description?: string;
}

export function isRawContent(value: unknown): value is RawContent {
  return typeof value === 'object' && value !== null && 'contentType' in value && !('_zod' in value);
}

/** `/api/orders/:id` -> `/api/orders/{id}` (OpenAPI's path template). */
export function openApiPath(koaPath: string): string {
  return koaPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
