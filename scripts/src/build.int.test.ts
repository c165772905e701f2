import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_BUYERS } from '@shop/dev-identity';
import { createTestDatabase, testEngine, type TestDatabase } from '@shop/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices, TARGETS } from './build';
import { BUILT_ENTRIES, BUILT_NODE_ARGS, REPO_ROOT, reportedAddress } from './system';

// `pnpm build`, then the built sandbox and API under plain node (no tsx, no NODE_OPTIONS) on a fresh database of
// the test project's engine: the API migrates it, answers its health checks, and signs a shopper in through the
// sandbox, so the bundled Prisma client, the WebAssembly schema engine, better-sqlite3 or pg, and the Alipay
// signing all run from the build.

const dataDir = mkdtempSync(join(tmpdir(), 'shop-build-'));
const children: ChildProcess[] = [];
let database: TestDatabase;
let apiUrl: string;
let sandboxUrl: string;
const logs = { api: '', sandbox: '' };

/** Starts a built entry point; resolves with the address it reports over its IPC channel once it listens. */
function startBuilt(name: 'api' | 'sandbox', env: Record<string, string>): Promise<string> {
  // Only what a deployment would set: no NODE_OPTIONS (vitest's or tsx's loader), no inherited test settings.
  const child = spawn(process.execPath, [...BUILT_NODE_ARGS, BUILT_ENTRIES[name]], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  for (const stream of [child.stdout!, child.stderr!])
    stream.on('data', (chunk: Buffer) => (logs[name] += chunk.toString('utf8')));
  children.push(child);
  return reportedAddress(child, {
    name,
    timeoutMs: 60_000,
    ended: once(child, 'close'),
    output: () => logs[name],
  });
}

async function waitFor(child: ChildProcess, url: string, name: 'api' | 'sandbox'): Promise<Response> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${logs[name]}`);
    const res = await fetch(url).catch(() => null);
    if (res) return res;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${name} did not answer at ${url}:\n${logs[name]}`);
}

beforeAll(async () => {
  await buildServices();
  database = await createTestDatabase({ dir: dataDir, migrate: false });
  // Port 0: each picks a free port and says which, so no other process can take it in between.
  sandboxUrl = await startBuilt('sandbox', {
    DATA_DIR: dataDir,
    SANDBOX_HOST: '127.0.0.1',
    SANDBOX_PORT: '0',
    SANDBOX_INSTANCE_ID: 'built-sandbox',
    SANDBOX_TIME_SCALE: '0.01',
  });
  apiUrl = await startBuilt('api', {
    DATA_DIR: dataDir,
    DATABASE_URL: database.location.url,
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    API_INSTANCE_ID: 'built-api',
    ALIPAY_GATEWAY: `${sandboxUrl}/gateway.do`,
    JOBS_ENABLED: 'false',
    SEED_DEMO_DATA: 'true',
  });
});

afterAll(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('pnpm build', () => {
  it('writes JavaScript beside each package that runs with node, importing no TypeScript', () => {
    for (const target of TARGETS) {
      for (const name of Object.keys(target.entries)) {
        const file = join(REPO_ROOT, target.dir, 'dist', `${name}.js`);
        expect(existsSync(file), file).toBe(true);
        // Every relative import is bundled; what remains are package names resolved by node.
        expect(readFileSync(file, 'utf8')).not.toMatch(/from ["'][^"']*\.ts["']/);
      }
      expect(readdirSync(join(REPO_ROOT, target.dir, 'dist')).some((f) => f.endsWith('.js.map'))).toBe(true);
    }
  });

  it('runs the built sandbox and API under plain node: healthy, ready, and naming themselves', async () => {
    const sandbox = await fetch(`${sandboxUrl}/healthz`);
    expect(sandbox.status).toBe(200);
    expect(await sandbox.json()).toMatchObject({ status: 'ok', instance: 'built-sandbox' });

    const apiChild = children[1]!;
    const health = await waitFor(apiChild, `${apiUrl}/healthz`, 'api');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', instance: 'built-api' });

    const ready = await fetch(`${apiUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', instance: 'built-api' });
    expect(logs.api).toContain(`"engine":"${testEngine()}"`);
  });

  it('serves the seeded catalog and signs a shopper in through the sandbox', async () => {
    const products = await fetch(`${apiUrl}/api/products?limit=5`);
    expect(products.status).toBe(200);
    const list = (await products.json()) as { items: Array<{ priceFen: number }> };
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((item) => Number.isInteger(item.priceFen))).toBe(true);

    const code = await fetch(`${sandboxUrl}/sandbox/auth-codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ buyerId: DEV_BUYERS[0]!.userId }),
    });
    const { authCode } = (await code.json()) as { authCode: string };
    const session = await fetch(`${apiUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authCode }),
    });
    expect(session.status).toBe(201);
    expect(((await session.json()) as { token: string }).token).toEqual(expect.any(String));
  });
});
