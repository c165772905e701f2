import { describe, expect, it } from 'vitest';
import { issueSessionToken, judgeSession, SLIDE_EVERY_MS } from './session-tokens';
import { hashToken } from './tokens';

const HOUR = 60 * 60 * 1000;

describe('session tokens', () => {
  it('issues a random token whose hash is stored, expiring ttl after now', () => {
    const now = new Date('2026-11-21T08:00:00Z');
    const a = issueSessionToken(HOUR, now);
    const b = issueSessionToken(HOUR, now);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.tokenHash).toBe(hashToken(a.token));
    expect(a.expiresAt.getTime() - now.getTime()).toBe(HOUR);
    expect(a.lastUsedAt).toEqual(now);
  });

  it('refuses revoked and expired sessions', () => {
    const now = Date.parse('2026-11-21T08:00:00Z');
    const live = { expiresAt: new Date(now + HOUR), lastUsedAt: new Date(now), revokedAt: null };
    expect(judgeSession({ ...live, revokedAt: new Date(now - 1) }, HOUR, now)).toEqual({
      ok: false,
      reason: 'revoked',
    });
    expect(judgeSession({ ...live, expiresAt: new Date(now) }, HOUR, now)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('slides the expiry at most once a minute', () => {
    const now = Date.parse('2026-11-21T08:00:00Z');
    const fresh = {
      expiresAt: new Date(now + 10_000),
      lastUsedAt: new Date(now - SLIDE_EVERY_MS),
      revokedAt: null,
    };
    expect(judgeSession(fresh, HOUR, now)).toEqual({ ok: true, slide: null });
    const stale = { ...fresh, lastUsedAt: new Date(now - SLIDE_EVERY_MS - 1) };
    expect(judgeSession(stale, HOUR, now)).toEqual({
      ok: true,
      slide: { lastUsedAt: new Date(now), expiresAt: new Date(now + HOUR) },
    });
  });
});
