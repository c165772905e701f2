import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { testEngine } from '@shop/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../env';
import { startApi } from '../../server';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { shippedMigrations } from './service';

interface ReadyBody {
  status: string;
  instance: string;
  migrations?: number;
  reason?: string;
  message?: string;
  pending?: string[];
}

let sys: TestSystem;
const shipped = shippedMigrations(testEngine());

beforeAll(async () => {
  sys = await startTestSystem({ env: { API_INSTANCE_ID: 'readiness-test-1' } });
});
afterAll(() => sys.close());

/** A port nothing listens on: bound once by the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('GET /healthz and GET /readyz', () => {
  it('name the process that answers', async () => {
    const health = await sys.request<{ status: string; instance: string }>('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', instance: 'readiness-test-1' });
  });

  it('is ready on a migrated database, counting the migrations this build ships', async () => {
    expect(shipped.length).toBeGreaterThanOrEqual(5);
    const res = await sys.request<ReadyBody>('GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', instance: 'readiness-test-1', migrations: shipped.length });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses query parameters like every other route', async () => {
    const res = await sys.request<{ error: { code: string } }>('GET', '/readyz?verbose=1');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('is not ready, naming the migration, when the database lacks one the build ships', async () => {
    const latest = shipped.at(-1)!;
    const deleted = await sys.db.$executeRaw`DELETE FROM _prisma_migrations WHERE migration_name = ${latest}`;
    expect(deleted).toBe(1);
    const res = await sys.request<ReadyBody>('GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'not-ready', reason: 'MIGRATIONS_PENDING', pending: [latest] });
    expect(res.body.message).toContain(latest);
    // Liveness is a different question: the process and its database still answer.
    expect((await sys.request('GET', '/healthz')).status).toBe(200);
  });

  it('is not ready when the database cannot be reached', async () => {
    // PostgreSQL: a server address nothing listens on. SQLite: a file whose folder is a regular file.
    let databaseUrl: string;
    if (testEngine() === 'postgresql') {
      databaseUrl = `postgresql://postgres@127.0.0.1:${await closedPort()}/shop_unreachable`;
    } else {
      const notAFolder = join(sys.dataDir, 'not-a-folder');
      writeFileSync(notAFolder, 'a file, not a folder\n');
      databaseUrl = `file:${join(notAFolder, 'shop.db')}`;
    }
    const env = loadEnv({
      NODE_ENV: 'test',
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      DATA_DIR: sys.dataDir,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      ALIPAY_GATEWAY: `${sys.sandboxUrl}/gateway.do`,
      JOBS_ENABLED: 'false',
      API_INSTANCE_ID: 'readiness-test-2',
    });
    const api = await startApi(env, { migrate: false });
    try {
      const started = Date.now();
      const res = await fetch(`${api.url}/readyz`);
      const body = (await res.json()) as ReadyBody;
      expect(res.status).toBe(503);
      expect(body).toMatchObject({
        status: 'not-ready',
        instance: 'readiness-test-2',
        reason: 'DATABASE_UNREACHABLE',
      });
      expect(body.message).toMatch(/^the database did not answer: /);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await api.close().catch(() => undefined);
    }
  });
});
