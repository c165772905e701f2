import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorBody } from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { sql } from '../db';
import { loadEnv } from '../env';
import { createAdmin } from '../modules/admin/test-support';
import { startApi, type ApiServer } from '../server';
import { startApiProcess } from '../testing/api-process';
import { startTestSystem, type TestSystem } from '../testing/harness';
import { startOfRateWindow } from '../testing/rate-windows';

/**
 * TRUSTED_PROXIES on the real API, on both engines: which address the session limiter, the admin sign-in throttle
 * and the audit log see, with and without a trusted proxy in front, and the session limit counted in the database
 * across two API instances. 127.0.0.1 plays the proxy; 127.0.0.2 (`localAddress`, the same loopback range) a client
 * that connects to the API directly and forges the headers.
 */

interface Answer {
  status: number;
  body: ErrorBody;
  retryAfter: string | undefined;
}

function post(
  baseUrl: string,
  path: string,
  body: unknown,
  options: { from?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const payload = JSON.stringify(body);
  return new Promise((done, fail) => {
    const req = request(
      new URL(path, baseUrl),
      {
        method: 'POST',
        localAddress: options.from ?? '127.0.0.1',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(payload)),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            body: (text ? JSON.parse(text) : {}) as ErrorBody,
            retryAfter: res.headers['retry-after'],
          }),
        );
      },
    );
    req.once('error', fail);
    req.end(payload);
  });
}

/** A session request with an auth code the sandbox never issued: 401 when let through, 429 when limited. */
function signInAttempt(baseUrl: string, i: number, options: Parameters<typeof post>[3] = {}) {
  return post(baseUrl, '/api/session', { authCode: `never-issued-${i}` }, options);
}

/** The addresses on an admin's sign-in audit rows. */
async function signInIps(sys: TestSystem, adminId: string): Promise<Array<string | null>> {
  const rows = await sys.db.auditLog.findMany({
    where: { adminId, action: 'admin.sign-in' },
    select: { ip: true },
  });
  return rows.map((r) => r.ip);
}

describe('no proxy trusted (the default)', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem({ env: { SESSION_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => sys.close());

  it('counts sign-ins by the socket address: a forged X-Forwarded-For per request changes nothing', async () => {
    await startOfRateWindow(20_000);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await signInAttempt(sys.apiUrl, i, {
        headers: { 'x-forwarded-for': `203.0.113.${i + 1}`, 'x-forwarded-proto': 'https' },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const windows = await sys.db.rateLimitWindow.findMany();
    expect(windows.map((w) => [w.key, w.count])).toEqual([['session:127.0.0.1', 5]]);
  });

  it('writes the socket address, not the forged one, to the sign-in throttle and the audit log', async () => {
    const admin = await createAdmin(sys);
    const forged = { 'x-forwarded-for': '198.51.100.77' };
    const wrong = await post(
      sys.apiUrl,
      '/api/admin/session',
      { username: admin.username, password: 'not-the-password' },
      { headers: forged },
    );
    expect(wrong.status).toBe(401);
    const right = await post(
      sys.apiUrl,
      '/api/admin/session',
      { username: admin.username, password: admin.password },
      { headers: forged },
    );
    expect(right.status).toBe(201);
    expect(await signInIps(sys, admin.id)).toEqual(['127.0.0.1']);
    const failed = await sys.db.auditLog.findFirstOrThrow({
      where: { action: 'admin.sign-in-failed', actorName: admin.username },
    });
    expect(failed.ip).toBe('127.0.0.1');
    const attempts = await sys.db.loginAttempt.findMany({ where: { username: admin.username } });
    expect(attempts.map((a) => a.ip)).toEqual(['127.0.0.1', '127.0.0.1']);
  });
});

describe('127.0.0.1 trusted as the proxy', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    // The default session limit (30 a minute) and a small address limit for admin sign-in failures.
    sys = await startTestSystem({
      env: {
        TRUSTED_PROXIES: '127.0.0.1',
        SESSION_RATE_LIMIT_PER_MINUTE: '30',
        ADMIN_SIGNIN_MAX_FAILURES_PER_IP: '3',
      },
    });
  });
  afterAll(() => sys.close());

  it('lets 40 sign-ins from 40 forwarded addresses through, and limits 40 from one address after 30', async () => {
    await startOfRateWindow();
    const many: number[] = [];
    for (let i = 0; i < 40; i++) {
      many.push(
        (await signInAttempt(sys.apiUrl, i, { headers: { 'x-forwarded-for': `203.0.113.${i + 1}` } })).status,
      );
    }
    expect(many).toEqual(Array<number>(40).fill(401));

    const one: Answer[] = [];
    for (let i = 0; i < 40; i++) {
      // The client's own forgery on the left is not believed: the proxy appended the address it saw.
      one.push(
        await signInAttempt(sys.apiUrl, 100 + i, {
          headers: { 'x-forwarded-for': `10.9.9.${i}, 198.51.100.9` },
        }),
      );
    }
    expect(one.map((a) => a.status)).toEqual([
      ...Array<number>(30).fill(401),
      ...Array<number>(10).fill(429),
    ]);
    const limited = one[39]!;
    expect(limited.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(limited.body.error.details).toEqual({ retryAfterSeconds: Number(limited.retryAfter) });
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);

    const counts = await sys.db.rateLimitWindow.findMany({ select: { key: true, count: true } });
    expect(counts.find((c) => c.key === 'session:198.51.100.9')?.count).toBe(40);
    expect(counts.filter((c) => c.key.startsWith('session:203.0.113.')).map((c) => c.count)).toEqual(
      Array<number>(40).fill(1),
    );
    expect(counts.some((c) => c.key.startsWith('session:10.9.9.'))).toBe(false);
  });

  it('ignores X-Forwarded-For from a peer that is not the proxy (a client calling the API directly)', async () => {
    await startOfRateWindow(20_000);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await signInAttempt(sys.apiUrl, 200 + i, {
        from: '127.0.0.2',
        headers: { 'x-forwarded-for': `192.0.2.${i + 1}` },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array<number>(30).fill(401), 429]);
    const counts = await sys.db.rateLimitWindow.findMany({ select: { key: true, count: true } });
    expect(counts.find((c) => c.key === 'session:127.0.0.2')?.count).toBe(31);
    expect(counts.some((c) => c.key.startsWith('session:192.0.2.'))).toBe(false);
  });

  it('throttles admin sign-in failures per forwarded address, so one address cannot lock the others out', async () => {
    const admin = await createAdmin(sys);
    const via = (client: string) => ({ headers: { 'x-forwarded-for': client } });
    const guesses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post(
        sys.apiUrl,
        '/api/admin/session',
        { username: `guess-${i}-${admin.username}`, password: 'wrong-password' },
        via('198.51.100.66'),
      );
      guesses.push(res.status);
    }
    expect(guesses).toEqual([401, 401, 401, 429]);
    const body = { username: admin.username, password: admin.password };
    expect((await post(sys.apiUrl, '/api/admin/session', body, via('198.51.100.66'))).status).toBe(429);
    expect((await post(sys.apiUrl, '/api/admin/session', body, via('203.0.113.200'))).status).toBe(201);

    const attempts = await sys.db.loginAttempt.findMany({
      where: { username: { contains: admin.username } },
      select: { ip: true },
    });
    expect(attempts.map((a) => a.ip).sort()).toEqual([
      '198.51.100.66',
      '198.51.100.66',
      '198.51.100.66',
      '203.0.113.200',
    ]);
  });

  it('writes the forwarded address to the audit log through the proxy, and the peer address otherwise', async () => {
    const admin = await createAdmin(sys);
    const body = { username: admin.username, password: admin.password };
    expect(
      (
        await post(sys.apiUrl, '/api/admin/session', body, {
          headers: { 'x-forwarded-for': '203.0.113.201' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await post(sys.apiUrl, '/api/admin/session', body, {
          from: '127.0.0.2',
          headers: { 'x-forwarded-for': '203.0.113.202' },
        })
      ).status,
    ).toBe(201);
    expect((await signInIps(sys, admin.id)).sort()).toEqual(['127.0.0.2', '203.0.113.201']);
  });

  it("gives the API's own app the https scheme from a trusted X-Forwarded-Proto, and http from anyone else", async () => {
    // The API's app as createApp builds it, with one more middleware at the end that shows what a handler sees.
    const app = createApp(sys.api.deps);
    app.use((ctx) => {
      if (ctx.path !== '/__seen') return;
      ctx.body = { ip: ctx.ip, protocol: ctx.protocol, secure: ctx.secure };
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const headers = { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' };
      const viaProxy = await post(base, '/__seen', {}, { headers });
      expect(viaProxy.body).toEqual({ ip: '203.0.113.9', protocol: 'https', secure: true });
      const direct = await post(base, '/__seen', {}, { from: '127.0.0.2', headers });
      expect(direct.body).toEqual({ ip: '127.0.0.2', protocol: 'http', secure: false });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});

describe('two API instances on one database', () => {
  let sys: TestSystem;
  let second: ApiServer;
  beforeAll(async () => {
    const env = { TRUSTED_PROXIES: '127.0.0.1', SESSION_RATE_LIMIT_PER_MINUTE: '4' };
    sys = await startTestSystem({ env });
    second = await startApi(
      loadEnv({
        NODE_ENV: 'test',
        API_HOST: '127.0.0.1',
        API_PORT: '0',
        DATA_DIR: sys.dataDir,
        DATABASE_URL: sys.api.deps.env.DATABASE_URL,
        LOG_LEVEL: 'silent',
        ALIPAY_GATEWAY: `${sys.sandboxUrl}/gateway.do`,
        JOBS_ENABLED: 'false',
        ...sys.alipayEnv,
        ...env,
      }),
      { migrate: false },
    );
  });
  afterAll(async () => {
    await second.close();
    await sys.close();
  });

  it('sweeps ended windows and keeps the current ones', async () => {
    const now = Date.now();
    await sql(sys.db).transaction(async (tx) => {
      await tx.insert('RateLimitWindow', {
        key: 'session:192.0.2.50',
        windowStart: new Date(now - 180_000),
        count: 7,
        expiresAt: new Date(now - 120_000),
      });
      await tx.insert('RateLimitWindow', {
        key: 'session:192.0.2.51',
        windowStart: new Date(now - 30_000),
        count: 2,
        expiresAt: new Date(now + 30_000),
      });
    });
    // Each instance sweeps on its first limited request.
    await signInAttempt(second.url, 0, { headers: { 'x-forwarded-for': '192.0.2.52' } });
    const keys = (await sys.db.rateLimitWindow.findMany({ select: { key: true } })).map((w) => w.key).sort();
    expect(keys).toEqual(['session:192.0.2.51', 'session:192.0.2.52']);
  });

  it('counts one limit across both: alternating instances, the fifth request is refused on either', async () => {
    await startOfRateWindow(20_000);
    const client = { headers: { 'x-forwarded-for': '198.51.100.20' } };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await signInAttempt(i % 2 === 0 ? sys.apiUrl : second.url, i, client)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('lets exactly the limit through when 24 requests arrive at both at once', async () => {
    await startOfRateWindow(20_000);
    const client = { headers: { 'x-forwarded-for': '198.51.100.21' } };
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => signInAttempt(i % 2 === 0 ? sys.apiUrl : second.url, i, client)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    const row = await sys.db.rateLimitWindow.findFirstOrThrow({ where: { key: 'session:198.51.100.21' } });
    expect(row.count).toBe(24);
  });
});

describe('a malformed TRUSTED_PROXIES', () => {
  it('is refused by the configuration, naming the variable and the entry', () => {
    for (const [value, entry] of [
      ['127.0.0.1,nginx', '"nginx" is not an IP address'],
      ['10.0.0.0/33', '"10.0.0.0/33": invalid range on address'],
      ['fd00::/200', '"fd00::/200": invalid range on address'],
    ] as const) {
      expect(() => loadEnv({ NODE_ENV: 'test', TRUSTED_PROXIES: value })).toThrow(
        new RegExp(`TRUSTED_PROXIES: ${entry.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
      );
    }
  });

  it('stops the API process at start-up with that message', async () => {
    const dataDir = `/tmp/shop-trusted-proxies-${process.pid}`;
    const started = startApiProcess({ DATA_DIR: dataDir, TRUSTED_PROXIES: '10.0.0.0/8,10.0.0.300' });
    await expect(started).rejects.toThrow(/TRUSTED_PROXIES: "10\.0\.0\.300" is not an IP address/);
  });
});
