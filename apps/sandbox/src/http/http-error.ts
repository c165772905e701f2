import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { BusinessError, ConflictError, NotFoundError } from '../errors';

/** The error shape every JSON client of the sandbox gets: `{ "error": { "code", "message", "details" } }`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/**
 * Mounted first: maps known errors to their status and the error shape; anything else is a 500 with a generic
 * message, logged with the request id. Gateway and page routes answer their own errors before this sees them.
 */
export function errorMiddleware(logger: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = errorBody('NOT_FOUND', `no route for ${ctx.method} ${ctx.path}`);
      }
    } catch (error) {
      if (error instanceof HttpError) {
        ctx.status = error.status;
        ctx.body = errorBody(error.code, error.message, error.details);
      } else if (error instanceof BusinessError) {
        ctx.status = error.status;
        ctx.body = errorBody(error.subCode, error.subMsg);
      } else if (error instanceof NotFoundError) {
        ctx.status = 404;
        ctx.body = errorBody('NOT_FOUND', error.message);
      } else if (error instanceof ConflictError) {
        ctx.status = 409;
        ctx.body = errorBody('CONFLICT', error.message);
      } else {
        const requestId = ctx.state.requestId as string | undefined;
        logger.error({ err: error, requestId, method: ctx.method, path: ctx.path }, 'unhandled error');
        ctx.status = 500;
        ctx.body = errorBody('INTERNAL_ERROR', `internal error (request ${requestId ?? 'unknown'})`);
      }
    }
  };
}
