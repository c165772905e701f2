// A private PostgreSQL cluster in a temporary folder on a free port: what the tests, the end-to-end runs, the
// benchmarks and `pnpm db:migration` start and stop, so they never depend on (or disturb) the machine's own server.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { withDatabase } from './admin';

/** PostgreSQL 15 is the oldest release the shop supports (DESIGN.md, "Where it runs"). */
export const MIN_POSTGRES_MAJOR = 15;

export const POSTGRES_MISSING =
  `PostgreSQL ${MIN_POSTGRES_MAJOR} or newer is not installed, and the tests and \`--db postgres\` runs need it. ` +
  "Run `bash scripts/bootstrap.sh` (it installs Debian's postgresql package when missing), or " +
  '`sudo apt-get install -y postgresql`, or point PG_BIN_DIR at the folder holding initdb and pg_ctl.';

export interface PostgresCluster {
  /** The server's port on 127.0.0.1. */
  port: number;
  /** The cluster's folder (data, socket, log). */
  dir: string;
  /** The URL of a database on this server (default `postgres`), as the superuser `postgres`. */
  url(database?: string): string;
  /** Stops the server and deletes the folder. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /**
   * Server settings (`-c name=value`). The tests turn off fsync and synchronous_commit: the cluster is thrown away,
   * so durability costs time for nothing. Benchmarks pass none, to measure PostgreSQL's defaults.
   */
  settings?: Record<string, string>;
  /** Where the binaries are (initdb, pg_ctl); found on its own by default. */
  binDir?: string;
}

/** initdb and pg_ctl of the newest installed PostgreSQL >= 15: PG_BIN_DIR, Debian's /usr/lib/postgresql/N/bin, PATH. */
export function findPostgresBinDir(env: Readonly<Record<string, string | undefined>> = {}): string | null {
  const candidates: string[] = [];
  if (env.PG_BIN_DIR) candidates.push(env.PG_BIN_DIR);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian)
      .filter((name) => /^\d+$/.test(name) && Number(name) >= MIN_POSTGRES_MAJOR)
      .sort((a, b) => Number(b) - Number(a))) {
      candidates.push(path.join(debian, version, 'bin'));
    }
  }
  const onPath = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (onPath.status === 0) candidates.push(onPath.stdout.trim());
  for (const dir of candidates) {
    if (!existsSync(path.join(dir, 'initdb')) || !existsSync(path.join(dir, 'pg_ctl'))) continue;
    const version = spawnSync(path.join(dir, 'initdb'), ['--version'], { encoding: 'utf8' });
    const major = Number(/(\d+)(\.\d+)?/.exec(version.stdout)?.[1] ?? 0);
    if (major >= MIN_POSTGRES_MAJOR) return dir;
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Runs a PostgreSQL binary, as the `postgres` user when this process is root (initdb refuses to run as root). */
function run(binary: string, args: string[], asPostgres: boolean): void {
  const [command, argv] = asPostgres
    ? ['runuser', ['-u', 'postgres', '--', binary, ...args]]
    : [binary, args];
  const result = spawnSync(command, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(binary)} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

/**
 * Starts a private cluster: initdb into a fresh temporary folder (trust authentication for the superuser
 * `postgres`, UTF-8, the C locale so text sorts by code point as on SQLite), then the server on a free port of
 * 127.0.0.1 with its socket in that folder. Throws with POSTGRES_MISSING when no PostgreSQL >= 15 is installed.
 */
export async function startPostgresCluster(
  options: ClusterOptions = {},
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<PostgresCluster> {
  const binDir = options.binDir ?? findPostgresBinDir(env);
  if (!binDir) throw new Error(POSTGRES_MISSING);
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shop-pg-'));
  if (asPostgres) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  try {
    run(
      path.join(binDir, 'initdb'),
      ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
      asPostgres,
    );
    const settings = Object.entries(options.settings ?? {}).map(([name, value]) => `-c ${name}=${value}`);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        run(
          path.join(binDir, 'pg_ctl'),
          [
            '-D',
            data,
            '-l',
            path.join(dir, 'server.log'),
            '-o',
            [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', ...settings].join(' '),
            '-w',
            '-t',
            '60',
            'start',
          ],
          asPostgres,
        );
      } catch (error) {
        // Another process took the port between our probe and the server's bind: try another.
        if (attempt < 3) continue;
        throw error;
      }
      return {
        port,
        dir,
        url: (database = 'postgres') =>
          withDatabase(`postgresql://postgres@127.0.0.1:${port}/postgres`, database),
        stop() {
          try {
            run(path.join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], asPostgres);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
          return Promise.resolve();
        },
      };
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
export { databaseExists, dropDatabase, ensureDatabase } from './admin';
