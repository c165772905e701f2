import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_BUYERS } from '@shop/dev-identity';
import { createTestDatabase, type TestDatabase } from '@shop/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from './system';

// startSystem on ports of 0, as the end-to-end tests and the benchmarks start it: the sandbox and the API each pick
// a free port and say which over their IPC channel, so no other process can take the port between a check and the
// listen. The API is told the sandbox's reported address, and a restart comes back where the process listened.

const root = mkdtempSync(join(tmpdir(), 'shop-system-'));
let database: TestDatabase;
let system: RunningSystem;

beforeAll(async () => {
  database = await createTestDatabase({ dir: root, migrate: false });
  system = await startSystem({
    dataDir: join(root, 'system'),
    host: '127.0.0.1',
    ports: { api: 0, sandbox: 0, shop: 0, admin: 0 },
    serveH5: false,
    apiEnv: { DATABASE_URL: database.location.url, JOBS_ENABLED: 'false' },
  });
});

afterAll(async () => {
  await system?.stop();
  await database?.drop();
  rmSync(root, { recursive: true, force: true });
});

async function health(url: string): Promise<{ status: number; instance: unknown }> {
  const res = await fetch(`${url}/healthz`);
  const body = (await res.json()) as { instance?: unknown };
  return { status: res.status, instance: body.instance };
}

describe('startSystem on ports of 0', () => {
  it('runs each part on the port it reports, and points the API at the sandbox there', async () => {
    for (const url of [system.urls.api, system.urls.sandbox])
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    expect(system.urls.api).not.toBe(system.urls.sandbox);
    expect(await health(system.urls.api)).toEqual({ status: 200, instance: system.apis[0]!.instanceId() });
    expect((await health(system.urls.sandbox)).status).toBe(200);
    // The API's public URL is its own address (it builds notify_url from it).
    expect(readFileSync(system.apis[0]!.logFile, 'utf8')).toContain(`"url":"${system.urls.api}"`);

    // A sign-in goes through the sandbox the API was told of.
    const code = await fetch(`${system.urls.sandbox}/sandbox/auth-codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ buyerId: DEV_BUYERS[0]!.userId }),
    });
    const { authCode } = (await code.json()) as { authCode: string };
    const session = await fetch(`${system.urls.api}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authCode }),
    });
    expect(session.status).toBe(201);
  });

  it('restarts an API process on the port it listened on, as a new instance', async () => {
    const [api] = system.apis;
    const before = api!.instanceId();
    expect(await api!.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    await api!.restart();
    expect(api!.instanceId()).not.toBe(before);
    expect(await health(system.urls.api)).toEqual({ status: 200, instance: api!.instanceId() });
  });
});

describe('a part that exits before it listens', () => {
  it('fails the start with what it printed last', async () => {
    const dataDir = join(root, 'broken');
    const error = await startSystem({
      dataDir,
      host: '127.0.0.1',
      ports: { api: 0, sandbox: 0, shop: 0, admin: 0 },
      serveH5: false,
      sandboxEnv: { SANDBOX_TIME_SCALE: 'fast' },
    }).then(
      async (started) => {
        await started.stop();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^sandbox exited \(code 1\) before it listened:/);
    expect((error as Error).message).toContain('SANDBOX_TIME_SCALE');
  });
});
