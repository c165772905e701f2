import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import getRawBody from 'raw-body';
import { AppError } from '../errors';

/** JSON request bodies: objects and arrays only, at most 64 KiB; other content types are left unparsed. */
export function jsonBody(options: { skipPaths: readonly string[] }): Middleware {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: '64kb',
    jsonStrict: true,
  }) as unknown as Middleware;
  const skip = new Set(options.skipPaths);
  return async (ctx, next) => {
    if (skip.has(ctx.path)) {
      await next();
      return;
    }
    if (['POST', 'PUT', 'PATCH'].includes(ctx.method) && ctx.request.length && !ctx.is('json')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json');
    }
    await parse(ctx, next);
  };
}

/**
 * Reads a request body as raw bytes, whatever its Content-Type claims. Alipay's notify has arrived with
 * `application/x-www-form-urlencoded; text/html; charset=utf-8`, which body parsers refuse or skip.
 */
export async function readRawBody(ctx: Context, limitBytes: number): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit: limitBytes, length: ctx.get('content-length') || undefined });
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 413) throw new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    throw new AppError('VALIDATION_ERROR', 'Could not read the request body', { cause: error });
  }
}
