import type { Middleware } from 'koa';
import type { Db } from '../db';
import { bearerToken } from '../lib/tokens';
import { authenticate, type AuthenticatedUser, type SessionSettings } from '../modules/session/service';
import { AppError } from '../errors';

/** Requires a shopper session; sets ctx.state.user. */
export function requireShopper(db: Db, settings: SessionSettings): Middleware {
  return async (ctx, next) => {
    const token = bearerToken(ctx.get('authorization'));
    if (!token) throw new AppError('UNAUTHENTICATED', 'Sign in required');
    ctx.state.user = await authenticate(db, settings, token);
    await next();
  };
}

export function currentUser(state: Record<string, unknown>): AuthenticatedUser {
  const user = state.user as AuthenticatedUser | undefined;
  if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in required');
  return user;
}
