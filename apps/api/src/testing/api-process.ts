import { spawn, type ChildProcess } from 'node:child_process';
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

/**
 * Starts the API with `env` (DATA_DIR, DATABASE_URL, ALIPAY_GATEWAY ...) and waits until /healthz answers; on `port`
 * when given (a restart where the last one listened, so the sandbox's notify retries find it), else on a port the
 * process picks itself (API_PORT=0) and reports over its IPC channel: a port found free here and handed over could
 * be taken by another test's process in between.
 */
export async function startApiProcess(env: Record<string, string>, port?: number): Promise<ApiProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      // eslint-disable-next-line no-restricted-properties -- the child process needs the PATH tsx runs under
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      API_HOST: '127.0.0.1',
      API_PORT: String(port ?? 0),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<ApiExit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  // The URL the process reports once it listens. Its output is read to the end ('close') before an early exit is
  // reported, so the error carries what it printed.
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the API process did not start listening within 60 s:\n${output}`));
    }, 60_000);
    child.on('message', (message: { listening?: unknown }) => {
      if (typeof message.listening !== 'string') return;
      clearTimeout(timer);
      done(message.listening);
    });
    child.once('close', () => {
      clearTimeout(timer);
      fail(new Error(`the API process exited early:\n${output}`));
    });
  });
  const deadline = Date.now() + 10_000;
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
