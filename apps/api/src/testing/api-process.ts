import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/**
 * The API in a process of its own (`apps/api/src/main.ts` through tsx, as `pnpm start` runs it), for the tests that
 * kill it: SIGKILL leaves whatever it was doing half done, exactly as a crash would.
 */

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

export interface ApiExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ApiProcess {
  url: string;
  pid: number;
  /** Sends `signal` and resolves once the process has exited, with how it exited. */
  kill(signal: NodeJS.Signals): Promise<ApiExit>;
  /** Resolves once the process has exited, however. */
  exited: Promise<ApiExit>;
  /** What the process printed, for a failing test's message. */
  output(): string;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? done(address.port) : fail(new Error('no port')),
      );
    });
  });
}

/**
 * Starts the API with `env` (DATA_DIR, DATABASE_URL, ALIPAY_GATEWAY ...) and waits until /healthz answers; on `port`
 * when given (a restart where the last one listened, so the sandbox's notify retries find it), else on a free one.
 */
export async function startApiProcess(env: Record<string, string>, port?: number): Promise<ApiProcess> {
  port ??= await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: REPO_ROOT,
    // eslint-disable-next-line no-restricted-properties -- the child process needs the PATH tsx runs under
    env: { PATH: process.env.PATH, NODE_ENV: 'test', API_HOST: '127.0.0.1', API_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<ApiExit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API process exited early:\n${output}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API process did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    exited,
    output: () => output,
  };
}
