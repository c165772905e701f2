import { AdminMeResponse, AdminSessionResponse, ROLE_PERMISSIONS, type ErrorBody } from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../../env';
import { hashPassword } from '../../../lib/password';
import { hashToken } from '../../../lib/tokens';
import { startTestSystem, type TestSystem } from '../../../testing/harness';
import { startApi } from '../../../server';
import { pruneAdminRecords } from '../jobs';
import { createAdmin, signInAdmin } from '../test-support';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys.close());

async function attempt(system: TestSystem, username: string, password: string) {
  return system.request<AdminSessionResponse & ErrorBody>('POST', '/api/admin/session', {
    body: { username, password },
  });
}

describe('POST /api/admin/session', () => {
  it('signs in with the right password: an opaque token stored only as its hash, the profile, an audit row', async () => {
    const admin = await createAdmin(sys, { role: 'owner', displayName: '王店主' });
    const res = await attempt(sys, admin.username.toUpperCase(), admin.password);
    expect(res.status, res.text).toBe(201);
    const body = AdminSessionResponse.parse(res.body);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.admin).toEqual({
      id: admin.id,
      username: admin.username,
      role: 'owner',
      displayName: '王店主',
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const session = await sys.db.adminSession.findUniqueOrThrow({
      where: { tokenHash: hashToken(body.token) },
    });
    expect(session.adminId).toBe(admin.id);
    expect(session.expiresAt.toISOString()).toBe(body.expiresAt);
    expect(await sys.db.adminSession.count({ where: { tokenHash: body.token } })).toBe(0);
    const row = await sys.db.admin.findUniqueOrThrow({ where: { id: admin.id } });
    expect(row.lastLoginAt).not.toBeNull();
    const log = await sys.db.auditLog.findFirstOrThrow({
      where: { action: 'admin.sign-in', adminId: admin.id },
    });
    expect(log.ip).toBeTruthy();
    expect(JSON.parse(log.afterJson!)).toMatchObject({ sessionId: session.id });
  });

  it('answers a wrong password, an unknown username and a deactivated account alike: 401 with one message', async () => {
    const admin = await createAdmin(sys);
    const inactive = await createAdmin(sys, { active: false });
    const answers = [
      await attempt(sys, admin.username, 'not-the-password'),
      await attempt(sys, 'nobody-by-this-name', 'whatever-password'),
      await attempt(sys, inactive.username, inactive.password),
    ];
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({ code: 'INVALID_CREDENTIALS', message: 'Wrong username or password' });
    }
    const failures = await sys.db.auditLog.findMany({ where: { action: 'admin.sign-in-failed' } });
    expect(failures.map((f) => f.targetId)).toEqual(
      expect.arrayContaining([admin.id, 'nobody-by-this-name', inactive.id]),
    );
    expect(failures.every((f) => f.adminId === null)).toBe(true);
    // Nothing about the password typed is kept.
    expect(failures.some((f) => `${f.afterJson}`.includes('not-the-password'))).toBe(false);
  });

  it('re-hashes a password stored with weaker scrypt parameters on a successful sign-in', async () => {
    const admin = await createAdmin(sys);
    await sys.db.admin.update({
      where: { id: admin.id },
      data: { passwordHash: await hashPassword(admin.password, { ln: 12, r: 8, p: 1 }) },
    });
    await signInAdmin(sys, admin);
    const row = await sys.db.admin.findUniqueOrThrow({ where: { id: admin.id } });
    expect(row.passwordHash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$/);
    await signInAdmin(sys, admin);
  });
});

describe('admin sessions', () => {
  it('GET /api/admin/me gives the profile, the role permissions and the expiry', async () => {
    const admin = await createAdmin(sys, { role: 'staff' });
    const token = await signInAdmin(sys, admin);
    const res = await sys.request<AdminMeResponse>('GET', '/api/admin/me', { token });
    expect(res.status).toBe(200);
    const me = AdminMeResponse.parse(res.body);
    expect(me.admin.id).toBe(admin.id);
    expect(me.permissions).toEqual(ROLE_PERMISSIONS.staff);
  });

  it('use slides the expiry forward; an expired session is 401 SESSION_EXPIRED', async () => {
    const admin = await createAdmin(sys);
    const token = await signInAdmin(sys, admin);
    const tokenHash = hashToken(token);
    const soon = new Date(Date.now() + 60_000);
    await sys.db.adminSession.update({
      where: { tokenHash },
      data: { lastUsedAt: new Date(Date.now() - 5 * 60_000), expiresAt: soon },
    });
    expect((await sys.request('GET', '/api/admin/me', { token })).status).toBe(200);
    const slid = await sys.db.adminSession.findUniqueOrThrow({ where: { tokenHash } });
    expect(slid.expiresAt.getTime()).toBeGreaterThan(soon.getTime() + 60 * 60_000);

    await sys.db.adminSession.update({ where: { tokenHash }, data: { expiresAt: new Date(Date.now() - 1) } });
    const expired = await sys.request<ErrorBody>('GET', '/api/admin/me', { token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('SESSION_EXPIRED');
  });

  it('sign-out revokes the token and is audited; a shopper token is no admin token', async () => {
    const admin = await createAdmin(sys);
    const token = await signInAdmin(sys, admin);
    expect((await sys.request('DELETE', '/api/admin/session', { token })).status).toBe(204);
    const after = await sys.request<ErrorBody>('GET', '/api/admin/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
    expect(await sys.db.auditLog.count({ where: { action: 'admin.sign-out', adminId: admin.id } })).toBe(1);

    const shopperToken = await sys.signIn();
    expect((await sys.request('GET', '/api/admin/me', { token: shopperToken })).status).toBe(401);
  });
});

describe('sign-in throttling', () => {
  it('after 5 failures for a username refuses even the right password with 429 and Retry-After', async () => {
    const admin = await createAdmin(sys);
    for (let i = 0; i < 5; i++) {
      expect((await attempt(sys, admin.username, `wrong-${i}`)).status).toBe(401);
    }
    const refused = await attempt(sys, admin.username, admin.password);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('TOO_MANY_REQUESTS');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Refused attempts are not counted, and nothing else was signed in.
    expect(await sys.db.loginAttempt.count({ where: { username: admin.username } })).toBe(5);
    expect(await sys.db.adminSession.count({ where: { adminId: admin.id } })).toBe(0);

    // Once the failures are older than the window, the right password works again.
    await sys.db.loginAttempt.updateMany({
      where: { username: admin.username },
      data: { createdAt: new Date(Date.now() - 16 * 60_000) },
    });
    await signInAdmin(sys, admin);
  });

  it('an unknown username is throttled the same way, so throttling tells nobody which names exist', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await attempt(sys, 'ghost-user', `wrong-${i}`)).status).toBe(401);
    }
    expect((await attempt(sys, 'ghost-user', 'another-guess')).status).toBe(429);
  });

  it('a success resets the username count', async () => {
    const admin = await createAdmin(sys);
    for (let i = 0; i < 4; i++) await attempt(sys, admin.username, `wrong-${i}`);
    await signInAdmin(sys, admin);
    for (let i = 0; i < 4; i++) {
      expect((await attempt(sys, admin.username, `again-${i}`)).status).toBe(401);
    }
    await signInAdmin(sys, admin);
  });
});

describe('sign-in throttling per address, across API processes', () => {
  it('counts failures from one address over every username and both processes sharing the database', async () => {
    const limited = await startTestSystem({
      env: { ADMIN_SIGNIN_MAX_FAILURES_PER_IP: '6', ADMIN_SIGNIN_MAX_FAILURES_PER_USER: '5' },
    });
    // A second API process on the same database, as a deployment with two instances would have.
    const second = await startApi(
      loadEnv({
        NODE_ENV: 'test',
        API_HOST: '127.0.0.1',
        API_PORT: '0',
        DATA_DIR: limited.dataDir,
        DATABASE_URL: limited.api.deps.env.DATABASE_URL,
        LOG_LEVEL: 'silent',
        ALIPAY_GATEWAY: `${limited.sandboxUrl}/gateway.do`,
        JOBS_ENABLED: 'false',
        ADMIN_SIGNIN_MAX_FAILURES_PER_IP: '6',
      }),
      { migrate: false },
    );
    try {
      const admin = await createAdmin(limited);
      const post = (url: string, username: string, password: string) =>
        fetch(`${url}/api/admin/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const url = i % 2 === 0 ? limited.apiUrl : second.url;
        statuses.push((await post(url, `guess-${i}`, 'wrong-password')).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
      for (const url of [limited.apiUrl, second.url]) {
        const res = await post(url, admin.username, admin.password);
        expect(res.status).toBe(429);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    } finally {
      await second.close();
      await limited.close();
    }
  });

  it('lets concurrent guesses through no further than the limit', async () => {
    const limited = await startTestSystem();
    try {
      const admin = await createAdmin(limited);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => attempt(limited, admin.username, `parallel-${i}`)),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    } finally {
      await limited.close();
    }
  });
});

describe('housekeeping', () => {
  it('deletes sign-in attempts and ended sessions older than 30 days, lock keys older than a day, and nothing newer', async () => {
    const admin = await createAdmin(sys);
    const live = await signInAdmin(sys, admin);
    const old = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    const oldAttempt = await sys.db.loginAttempt.create({
      data: { username: admin.username, ip: '10.0.0.1', success: false, createdAt: old },
    });
    const oldSession = await sys.db.adminSession.create({
      data: { tokenHash: hashToken('old-session'), adminId: admin.id, expiresAt: old, lastUsedAt: old },
    });
    await sys.db.lockKey.create({ data: { key: 'signin-ip:10.0.0.1', createdAt: old } });
    const attemptsBefore = await sys.db.loginAttempt.count();
    const result = await pruneAdminRecords(sys.db);
    expect(result).toEqual({ loginAttempts: 1, sessions: 1, lockKeys: 1 });
    // The sign-in above locked its own keys a moment ago: those stay.
    expect(await sys.db.lockKey.count({ where: { key: `signin-user:${admin.username}` } })).toBe(1);
    expect(await sys.db.loginAttempt.findUnique({ where: { id: oldAttempt.id } })).toBeNull();
    expect(await sys.db.adminSession.findUnique({ where: { id: oldSession.id } })).toBeNull();
    expect(await sys.db.loginAttempt.count()).toBe(attemptsBefore - 1);
    expect((await sys.request('GET', '/api/admin/me', { token: live })).status).toBe(200);
  });
});
