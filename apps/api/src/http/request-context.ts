import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Gives every request an id (the caller's X-Request-Id when well-formed) and logs one line when it ends. */
export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      const level = ctx.status >= 500 ? 'error' : 'info';
      // Only the path: query strings can carry search words and cursors, never worth logging. The address is the
      // client's as TRUSTED_PROXIES allows (http/client-address.ts), so refused requests (429) can be traced.
      logger[level](
        { requestId, method: ctx.method, path: ctx.path, status: ctx.status, durationMs, ip: ctx.ip },
        'request',
      );
    }
  };
}
