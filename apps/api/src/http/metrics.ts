import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { AppError } from '../errors';
import { observeRequest } from '../lib/metrics';

/**
 * Times every request into `shop_http_request_duration_seconds`, labelled with the route pattern @koa/router matched
 * (`ctx._matchedRoute`, set while the routers run, so read after `next()`), never the raw path. Mounted outside the
 * error middleware so the status is the one the client gets. It sits on every request's hot path: two clock reads
 * and one observation of a cached series.
 */
export function requestMetrics(): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
      observeRequest(ctx.method, route, ctx.status, (performance.now() - started) / 1000);
    }
  };
}

/** `Authorization: Bearer <token>`; the token's own rules are METRICS_TOKEN's (env.ts). */
const MetricsAuthorization = z
  .string()
  .regex(/^Bearer [\x21-\x7e]{1,512}$/i)
  .transform((header) => header.slice('Bearer '.length));

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Lets through only a request bearing the scrape token, compared in constant time (both sides hashed first, so
 * neither the token's content nor its length shows in the timing). Anything else is 401 with `WWW-Authenticate`.
 */
export function requireMetricsToken(token: string): Middleware {
  const expected = digest(token);
  return async (ctx, next) => {
    const parsed = MetricsAuthorization.safeParse(ctx.get('authorization'));
    if (!parsed.success || !timingSafeEqual(digest(parsed.data), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AppError('UNAUTHENTICATED', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    await next();
  };
}
