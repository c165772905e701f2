import { hashToken, newToken } from './tokens';

/**
 * The life of an opaque session token, shared by shopper sessions (`Session`) and admin sessions (`AdminSession`):
 * a random token handed out once and stored only as its hash, an expiry that slides forward while the session is
 * used, and revocation. The two tables differ only in whom the session belongs to.
 */

/** How stale lastUsedAt may get before a request slides the expiry (one write per minute, not per request). */
export const SLIDE_EVERY_MS = 60_000;

export interface IssuedToken {
  /** Given to the client once; never stored. */
  token: string;
  tokenHash: string;
  lastUsedAt: Date;
  expiresAt: Date;
}

export function issueSessionToken(ttlMs: number, now: Date = new Date()): IssuedToken {
  const token = newToken();
  return {
    token,
    tokenHash: hashToken(token),
    lastUsedAt: now,
    expiresAt: new Date(now.getTime() + ttlMs),
  };
}

export interface SessionTimes {
  expiresAt: Date;
  lastUsedAt: Date;
  revokedAt: Date | null;
}

export type SessionVerdict =
  | { ok: false; reason: 'revoked' | 'expired' }
  /** `slide` is the update to write (new lastUsedAt and expiresAt), or null when the session was used just now. */
  | { ok: true; slide: { lastUsedAt: Date; expiresAt: Date } | null };

/** Whether a stored session admits a request now, and whether its expiry should slide forward. */
export function judgeSession(session: SessionTimes, ttlMs: number, now: number = Date.now()): SessionVerdict {
  if (session.revokedAt) return { ok: false, reason: 'revoked' };
  if (session.expiresAt.getTime() <= now) return { ok: false, reason: 'expired' };
  if (now - session.lastUsedAt.getTime() <= SLIDE_EVERY_MS) return { ok: true, slide: null };
  return { ok: true, slide: { lastUsedAt: new Date(now), expiresAt: new Date(now + ttlMs) } };
}
