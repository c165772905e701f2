import type { Middleware } from 'koa';
import { AppError } from '../errors';

/**
 * A fixed-window limiter per client address, kept in process memory. It guards session creation, where each
 * request costs a gateway call. Written here rather than taken from koa-ratelimit because that package's memory
 * driver keeps one timer per key and its errors bypass our error shape; this is twenty lines with the same effect.
 * Admin sign-in throttling is stricter and lives in the database (shared by every API process).
 */
export function rateLimit(options: {
  windowMs: number;
  max: number;
  key?: (ip: string) => string;
}): Middleware {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = Date.now();
  return async (ctx, next) => {
    const now = Date.now();
    if (now - lastSweep > options.windowMs) {
      for (const [key, window] of windows) if (now - window.start >= options.windowMs) windows.delete(key);
      lastSweep = now;
    }
    const key = options.key ? options.key(ctx.ip) : ctx.ip;
    let window = windows.get(key);
    if (!window || now - window.start >= options.windowMs) {
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count++;
    if (window.count > options.max) {
      const retryAfterSeconds = Math.max(1, Math.ceil((window.start + options.windowMs - now) / 1000));
      throw new AppError('TOO_MANY_REQUESTS', 'Too many attempts; try again shortly', {
        details: { retryAfterSeconds },
      });
    }
    await next();
  };
}
