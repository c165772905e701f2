// PostgreSQL's client programs (pg_dump, pg_restore, psql) for backups: found, and run with the password kept off
// their command line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { MIN_POSTGRES_MAJOR } from './cluster';

export type PostgresTool = 'pg_dump' | 'pg_restore' | 'psql';

export const POSTGRES_CLIENT_MISSING =
  `PostgreSQL ${MIN_POSTGRES_MAJOR} or newer client programs (pg_dump, pg_restore, psql) are not installed. ` +
  "Install Debian's postgresql-client (`sudo apt-get install -y postgresql-client`), or point PG_BIN_DIR at the " +
  'folder that holds them. They must be at least as new as the server.';

/**
 * The folder holding pg_dump, pg_restore and psql of the newest PostgreSQL >= 15: PG_BIN_DIR, Debian's
 * /usr/lib/postgresql/N/bin, or the one on PATH. A client only needs the client package, not the server's initdb.
 */
export function findPostgresClientDir(env: Readonly<Record<string, string | undefined>> = {}): string {
  const candidates: string[] = [];
  if (env.PG_BIN_DIR) candidates.push(env.PG_BIN_DIR);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a))) {
      candidates.push(path.join(debian, version, 'bin'));
    }
  }
  const onPath = spawnSync('sh', ['-c', 'command -v pg_dump'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) candidates.push(path.dirname(onPath.stdout.trim()));
  for (const dir of candidates) {
    const tools: PostgresTool[] = ['pg_dump', 'pg_restore', 'psql'];
    if (!tools.every((tool) => existsSync(path.join(dir, tool)))) continue;
    const version = spawnSync(path.join(dir, 'pg_dump'), ['--version'], { encoding: 'utf8' });
    const major = Number(/(\d+)(\.\d+)?/.exec(version.stdout)?.[1] ?? 0);
    if (major >= MIN_POSTGRES_MAJOR) return dir;
  }
  throw new Error(POSTGRES_CLIENT_MISSING);
}

/**
 * How a client program is pointed at the database `url`: the URL without its password (which goes in PGPASSWORD,
 * so it never shows in the process list), and the environment to run it with.
 */
export function toolConnection(
  url: string,
  env: Readonly<Record<string, string | undefined>>,
): { dbname: string; env: Record<string, string> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const childEnv: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'PGSSLMODE', 'PGSSLROOTCERT', 'PGPASSFILE']) {
    const value = env[name];
    if (value !== undefined) childEnv[name] = value;
  }
  if (password) childEnv.PGPASSWORD = password;
  return { dbname: parsed.toString(), env: childEnv };
}

export interface ToolRun {
  code: number | null;
  stderr: string;
}

/** Runs a client program to its end; rejects with its error output when it fails. */
export async function runTool(
  dir: string,
  tool: PostgresTool,
  args: readonly string[],
  env: Record<string, string>,
): Promise<void> {
  const child = spawn(path.join(dir, tool), [...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const result = await finished(child);
  if (result.code !== 0) throw new Error(`${tool} failed (exit ${result.code}): ${result.stderr.trim()}`);
}

export function finished(child: ReturnType<typeof spawn>): Promise<ToolRun> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}
