import type { ErrorBody } from '@shop/contract';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError, validationError } from '../errors';

/** Maps the HTTP errors Koa and its middleware raise (ctx.throw, body parser limits) to our codes. */
function fromHttpStatus(status: number, message: string): AppError {
  switch (status) {
    case 400:
      return new AppError('VALIDATION_ERROR', message || 'Bad request');
    case 401:
      return new AppError('UNAUTHENTICATED', message || 'Sign in required');
    case 403:
      return new AppError('FORBIDDEN', message || 'Forbidden');
    case 404:
      return new AppError('NOT_FOUND', message || 'Not found');
    case 405:
      return new AppError('METHOD_NOT_ALLOWED', message || 'Method not allowed');
    case 413:
      return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    case 415:
      return new AppError('UNSUPPORTED_MEDIA_TYPE', message || 'Unsupported content type');
    case 429:
      return new AppError('TOO_MANY_REQUESTS', message || 'Too many requests');
    default:
      return new AppError('INTERNAL_ERROR', 'Something went wrong on our side', { status: 500 });
  }
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return validationError(error, 'input');
  const http = error as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
    message?: unknown;
    type?: unknown;
  };
  const status =
    typeof http.status === 'number'
      ? http.status
      : typeof http.statusCode === 'number'
        ? http.statusCode
        : 500;
  if (status >= 400 && status < 500) {
    // Body parser failures (invalid JSON, wrong encoding) are client errors with safe messages.
    const message = http.expose === true && typeof http.message === 'string' ? http.message : '';
    return fromHttpStatus(
      status,
      http.type === 'entity.parse.failed' ? 'Request body is not valid JSON' : message,
    );
  }
  return new AppError('INTERNAL_ERROR', 'Something went wrong on our side', { status: 500, cause: error });
}

/** Mounted first: every failure leaves as `{ error: { code, message, details } }`. */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError('NOT_FOUND', `No route for ${ctx.method} ${ctx.path}`);
      }
    } catch (error) {
      const appError = toAppError(error);
      const requestId = ctx.state.requestId as string | undefined;
      if (appError.status >= 500) {
        logger.error(
          { err: appError.cause ?? error, requestId, method: ctx.method, path: ctx.path },
          'request failed',
        );
      }
      const body: ErrorBody = {
        error: {
          code: appError.code,
          message: appError.message,
          ...(appError.details === undefined ? {} : { details: appError.details }),
        },
      };
      ctx.status = appError.status;
      ctx.body = body;
      if (appError.code === 'TOO_MANY_REQUESTS' && appError.details && typeof appError.details === 'object') {
        const retry = (appError.details as { retryAfterSeconds?: number }).retryAfterSeconds;
        if (retry) ctx.set('Retry-After', String(retry));
      }
    }
  };
}
