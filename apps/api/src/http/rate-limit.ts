import type { Middleware } from 'koa';
import type { Db } from '../db';
import { AppError } from '../errors';
import { countRequest, sweepRateLimitWindows } from '../lib/rate-limits';

/**
 * A fixed-window limiter per client address (`ctx.ip`, which follows TRUSTED_PROXIES), counted in the database
 * (lib/rate-limits.ts) so N API processes allow the limit once, not N times. It guards session creation, where each
 * request costs a gateway call. Written here rather than taken from koa-ratelimit because that package's drivers are
 * process memory (one timer per key), Redis and MongoDB, none of them our database, and its errors bypass our error
 * shape. Admin sign-in throttling is stricter (a sliding window over failures) and lives in `LoginAttempt`.
 */
export function rateLimit(
  db: Db,
  options: {
    /** Names the limiter, so two limiters never share a counter. */
    name: string;
    windowMs: number;
    max: number;
    key?: (ip: string) => string;
  },
): Middleware {
  let lastSweep = 0;
  return async (ctx, next) => {
    const now = new Date();
    // Each process sweeps ended windows at most once a window; the DELETE is idempotent across processes.
    if (now.getTime() - lastSweep >= options.windowMs) {
      lastSweep = now.getTime();
      await sweepRateLimitWindows(db, now);
    }
    const client = options.key ? options.key(ctx.ip) : ctx.ip;
    const { count, resetsAt } = await countRequest(db, `${options.name}:${client}`, options.windowMs, now);
    if (count > options.max) {
      const retryAfterSeconds = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
      throw new AppError('TOO_MANY_REQUESTS', 'Too many attempts; try again shortly', {
        details: { retryAfterSeconds },
      });
    }
    await next();
  };
}
