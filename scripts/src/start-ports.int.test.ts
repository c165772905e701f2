import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import getPort from 'get-port';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { assertPortsFree, PortInUseError } from './ports';
import { REPO_ROOT, startSystem } from './system';

// Another program on a port `pnpm start` or `pnpm dev` needs: they stop at once, non-zero, naming the port and the
// variable that moves it. And a health check answered by someone else is never taken for ours.

const dataDir = mkdtempSync(join(tmpdir(), 'shop-ports-'));
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Another program: a plain node server that even answers /healthz with 200, as another API might. */
async function occupy(port: number): Promise<void> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', time: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  servers.push(server);
}

async function freePorts() {
  const pick = () => getPort({ host: '127.0.0.1' });
  return { api: await pick(), sandbox: await pick(), shop: await pick(), admin: await pick() };
}

function run(command: 'start' | 'dev', ports: Awaited<ReturnType<typeof freePorts>>) {
  const started = Date.now();
  const child = spawn('pnpm', command === 'start' ? ['start', '--no-build'] : ['dev'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      API_PORT: String(ports.api),
      SANDBOX_PORT: String(ports.sandbox),
      SHOP_PORT: String(ports.shop),
      ADMIN_PORT: String(ports.admin),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
    // Whatever it does, it must not run on: a start that went ahead is stopped here and fails the test below.
    const guard = setTimeout(() => child.kill('SIGTERM'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('a port another program holds', () => {
  it('stops pnpm start at once, naming the API port and API_PORT, before building or starting anything', async () => {
    const ports = await freePorts();
    await occupy(ports.api);
    const result = await run('start', ports);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toContain(
      `port ${ports.api} on 127.0.0.1 (the API) is already in use by another program`,
    );
    expect(result.stderr).toContain('API_PORT=');
    expect(result.stdout).not.toContain('is running');
    expect(result.ms).toBeLessThan(20_000);
    // Nothing of ours was left listening on the ports that were free.
    await expect(
      assertPortsFree('127.0.0.1', [{ part: 'sandbox', port: ports.sandbox, variable: 'X' }]),
    ).resolves.toBe(undefined);
  });

  it('names each taken port: the shop H5 with SHOP_PORT', async () => {
    const ports = await freePorts();
    await occupy(ports.shop);
    const result = await run('start', ports);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`port ${ports.shop} on 127.0.0.1 (the shop H5)`);
    expect(result.stderr).toContain('SHOP_PORT=');
    expect(result.stderr).not.toContain('API_PORT');
  });

  it('stops pnpm dev at once too, naming the sandbox port and SANDBOX_PORT', async () => {
    const ports = await freePorts();
    await occupy(ports.sandbox);
    const result = await run('dev', ports);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toContain(`port ${ports.sandbox} on 127.0.0.1 (the Alipay sandbox)`);
    expect(result.stderr).toContain('SANDBOX_PORT=');
    expect(result.stdout).not.toContain('Development mode');
    expect(result.ms).toBeLessThan(20_000);
  });

  it('is reported by assertPortsFree with every taken port, and port 0 is never taken', async () => {
    const [a, b] = [await getPort({ host: '127.0.0.1' }), await getPort({ host: '127.0.0.1' })];
    await occupy(a);
    const error = await assertPortsFree('127.0.0.1', [
      { part: 'API', port: a, variable: 'API_PORT' },
      { part: 'admin H5', port: b, variable: 'ADMIN_PORT' },
      { part: 'shop H5', port: 0, variable: 'SHOP_PORT' },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as PortInUseError).taken.map((p) => p.port)).toEqual([a]);
  });
});

describe('the health check of a started part', () => {
  it('refuses an answer from another program on the port instead of taking it for the sandbox', async () => {
    const ports = await freePorts();
    await occupy(ports.sandbox);
    const started = Date.now();
    const error = await startSystem({
      dataDir: join(dataDir, 'system'),
      host: '127.0.0.1',
      ports,
      serveH5: false,
      runtime: 'source',
      removeDataDirOnStop: true,
    }).then(
      async (system) => {
        await system.stop();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    // The first health request goes out as the sandbox starts, long before it could fail to bind and exit: the
    // answer comes from the other program, and is recognised as not ours (it names no instance).
    expect((error as Error).message).toContain(
      `http://127.0.0.1:${ports.sandbox}/healthz is answered by another program, not the sandbox just started`,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
