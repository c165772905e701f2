import getRawBody from 'raw-body';
import type { Context } from 'koa';
import type { z } from 'zod';
import { HttpError } from './http-error';

/** Reads a request body as bytes (raw-body enforces the size limit and the declared length). */
export async function readRawBody(ctx: Context, limit = '1mb'): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit });
  } catch (error) {
    const err = error as { type?: string; status?: number; message?: string };
    if (err.type === 'entity.too.large')
      throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `body larger than ${limit}`);
    throw new HttpError(err.status ?? 400, 'BAD_REQUEST', err.message ?? 'could not read the request body');
  }
}

function issues(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

function describe(error: z.ZodError, what: string): string {
  const first = error.issues[0];
  if (!first) return `invalid ${what}`;
  const path = first.path.join('.');
  return `invalid ${what}: ${path ? `${path}: ` : ''}${first.message}`;
}

/** Parses a JSON body with a zod schema; an empty body reads as `{}`. Bad input is a 400 naming the field. */
export async function readJson<T extends z.ZodType>(ctx: Context, schema: T): Promise<z.infer<T>> {
  const raw = await readRawBody(ctx);
  let value: unknown = {};
  if (raw.length > 0) {
    if (!ctx.is('application/json')) {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    }
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'VALIDATION_ERROR', 'body is not valid JSON');
    }
  }
  const result = schema.safeParse(value);
  if (!result.success)
    throw new HttpError(400, 'VALIDATION_ERROR', describe(result.error, 'body'), issues(result.error));
  return result.data;
}

/** Parses the query string with a zod schema (values are strings). */
export function readQuery<T extends z.ZodType>(ctx: Context, schema: T): z.infer<T> {
  const result = schema.safeParse({ ...ctx.query });
  if (!result.success)
    throw new HttpError(400, 'VALIDATION_ERROR', describe(result.error, 'query'), issues(result.error));
  return result.data;
}

/** Parses route parameters with a zod schema. */
export function readParams<T extends z.ZodType>(params: Record<string, string>, schema: T): z.infer<T> {
  const result = schema.safeParse(params);
  if (!result.success) {
    throw new HttpError(400, 'VALIDATION_ERROR', describe(result.error, 'path'), issues(result.error));
  }
  return result.data;
}
