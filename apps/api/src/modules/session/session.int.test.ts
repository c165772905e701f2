import type { ErrorBody, SessionResponse } from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/tokens';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { startOfRateWindow } from '../../testing/rate-windows';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys.close());

async function authCode(buyerId = DEV_BUYERS[1]!.userId): Promise<string> {
  const res = await sys.sandbox<{ authCode: string }>('POST', '/sandbox/auth-codes', { buyerId });
  return res.body.authCode;
}

describe('POST /api/session', () => {
  it('exchanges an auth code for a session, creating the user once', async () => {
    const first = await sys.request<SessionResponse>('POST', '/api/session', {
      body: { authCode: await authCode() },
    });
    expect(first.status).toBe(201);
    expect(first.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(first.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const second = await sys.request<SessionResponse>('POST', '/api/session', {
      body: { authCode: await authCode() },
    });
    expect(second.body.user.id).toBe(first.body.user.id);
    // The shopper's own Alipay user id, which the H5 shop names them by on the sandbox's subscribe page.
    expect(first.body.user.alipayUserId).toBe(DEV_BUYERS[1]!.userId);
    const user = await sys.db.user.findUniqueOrThrow({ where: { id: first.body.user.id } });
    expect(user.alipayUserId).toBe(DEV_BUYERS[1]!.userId);
  });

  it('stores only the token hash', async () => {
    const res = await sys.request<SessionResponse>('POST', '/api/session', {
      body: { authCode: await authCode() },
    });
    const row = await sys.db.session.findUnique({ where: { tokenHash: hashToken(res.body.token) } });
    expect(row).not.toBeNull();
    const all = await sys.db.session.findMany();
    expect(all.some((s) => s.tokenHash === res.body.token)).toBe(false);
  });

  it('refuses a reused auth code with 401 AUTH_CODE_INVALID', async () => {
    const code = await authCode();
    expect((await sys.request('POST', '/api/session', { body: { authCode: code } })).status).toBe(201);
    const reused = await sys.request<ErrorBody>('POST', '/api/session', { body: { authCode: code } });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('AUTH_CODE_INVALID');
  });

  it('refuses an unknown auth code with 401 AUTH_CODE_INVALID', async () => {
    const res = await sys.request<ErrorBody>('POST', '/api/session', {
      body: { authCode: 'never-issued-code' },
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH_CODE_INVALID');
  });
});

describe('session tokens', () => {
  it('an expired session is refused with 401 SESSION_EXPIRED', async () => {
    const token = await sys.signIn(DEV_BUYERS[2]!.userId);
    expect((await sys.request('GET', '/api/cart', { token })).status).toBe(200);
    await sys.db.session.update({
      where: { tokenHash: hashToken(token) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const res = await sys.request<ErrorBody>('GET', '/api/cart', { token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SESSION_EXPIRED');
  });

  it('a missing, malformed or unknown token is 401 UNAUTHENTICATED', async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${'x'.repeat(43)}` },
    ];
    for (const headers of cases) {
      const res = await sys.request<ErrorBody>('GET', '/api/cart', { headers });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('use slides the expiry forward', async () => {
    const token = await sys.signIn(DEV_BUYERS[3]!.userId);
    const tokenHash = hashToken(token);
    const stale = new Date(Date.now() - 5 * 60_000);
    const soon = new Date(Date.now() + 60_000);
    await sys.db.session.update({ where: { tokenHash }, data: { lastUsedAt: stale, expiresAt: soon } });
    expect((await sys.request('GET', '/api/cart', { token })).status).toBe(200);
    const row = await sys.db.session.findUniqueOrThrow({ where: { tokenHash } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(soon.getTime() + 60_000);
  });

  it('sign-out revokes the token', async () => {
    const token = await sys.signIn(DEV_BUYERS[3]!.userId);
    expect((await sys.request('DELETE', '/api/session', { token })).status).toBe(204);
    expect((await sys.request<ErrorBody>('GET', '/api/cart', { token })).body.error.code).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('session rate limit', () => {
  it('limits session creation per client and answers 429 with Retry-After', async () => {
    const limited = await startTestSystem({ env: { SESSION_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      await startOfRateWindow(20_000);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (await limited.request('POST', '/api/session', { body: { authCode: `bogus-${i}` } })).status,
        );
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      const res = await limited.request<ErrorBody>('POST', '/api/session', { body: { authCode: 'bogus-x' } });
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('TOO_MANY_REQUESTS');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
