import type { Context } from 'koa';
import type { z } from 'zod';
import { validationError } from '../errors';

/** Parses the JSON body with a schema; failures are 400 VALIDATION_ERROR naming the fields. */
export function parseBody<T extends z.ZodType>(ctx: Context, schema: T): z.output<T> {
  const result = schema.safeParse((ctx.request as { body?: unknown }).body ?? {});
  if (!result.success) throw validationError(result.error, 'body');
  return result.data;
}

/** Parses the query string; repeated keys are refused rather than silently collapsed. */
export function parseQuery<T extends z.ZodType>(ctx: Context, schema: T): z.output<T> {
  const result = schema.safeParse({ ...ctx.query });
  if (!result.success) throw validationError(result.error, 'query');
  return result.data;
}

/** Parses route parameters (ids) so a malformed id is a 400, not a database miss. */
export function parseParams<T extends z.ZodType>(ctx: Context, schema: T): z.output<T> {
  const result = schema.safeParse((ctx as unknown as { params?: unknown }).params ?? {});
  if (!result.success) throw validationError(result.error, 'path');
  return result.data;
}
