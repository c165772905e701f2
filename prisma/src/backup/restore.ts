// `pnpm db:restore`: a backup back into an empty database, checked against its manifest afterwards.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';

import { describeLocation, toLocation, type DbLocation } from '../location';
import { migrationsDirFor } from '../paths';
import { databaseExists, ensureDatabase } from '../postgres/admin';
import { findPostgresClientDir, finished, toolConnection } from '../postgres/tools';
import { compareFacts, postgresFacts, sqliteFacts, type DatabaseFacts } from './facts';
import { fileDigest, manifestFacts, ManifestError, readManifest, type BackupManifest } from './manifest';

/** The restore was not attempted: the message says why, and the target was not touched. */
export class RestoreRefused extends Error {
  override readonly name = 'RestoreRefused';
}

export interface RestoreOptions {
  /** The backup: its folder, or its manifest.json. */
  backup: string;
  /** The database to restore into: a SQLite path or `file:` URL, or `postgresql://...` (created when missing). */
  to: string | DbLocation;
  /** Replace a target that holds rows (they are lost). Without it such a target is refused. */
  force?: boolean;
  /** The environment the PostgreSQL client programs are looked up in and run with (PG_BIN_DIR, PATH). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Called with a line at each step. */
  progress?: (line: string) => void;
}

export interface RestoreReport {
  backup: string;
  manifest: BackupManifest;
  to: string;
  /** The target's tables that held rows before, replaced because `force` was given. */
  replaced: Array<{ table: string; rows: number }>;
  /** The restored database's migrations, tables and figures. */
  facts: DatabaseFacts;
  /** How the restored database differs from the manifest (empty when it matches). */
  differences: string[];
  /** What the integrity checks found (empty when they pass). */
  integrity: string[];
  /** Migrations of this checkout the backup predates: `pnpm db:migrate` (or the API's start) applies them. */
  pendingMigrations: string[];
  /** Counts, figures and migrations equal the manifest's, and the integrity checks pass. */
  matches: boolean;
  durationMs: number;
}

/**
 * Restores the backup at `options.backup` into `options.to`: verifies the data file's SHA-256 against the manifest
 * before touching the target, refuses a backup of the other engine, one taken by a checkout with migrations this one
 * does not know, and a target that holds rows (unless `force`); then restores (SQLite: the online backup API into
 * the file; PostgreSQL: pg_restore's script run by psql in one transaction that first empties the schema, so a
 * failure leaves the target as it was), runs the integrity checks and compares every table's rows, the figures and
 * the migrations with the manifest. Throws RestoreRefused when it did not start; otherwise returns the report.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const startedAt = Date.now();
  const progress = options.progress ?? (() => {});
  const to = toLocation(options.to);
  let read: { dir: string; manifest: BackupManifest };
  try {
    read = await readManifest(options.backup);
  } catch (error) {
    if (error instanceof ManifestError) throw new RestoreRefused(error.message);
    throw error;
  }
  const { dir, manifest } = read;
  const dataPath = path.join(dir, manifest.file);
  if (!existsSync(dataPath)) throw new RestoreRefused(`the backup's data file ${dataPath} is missing`);
  const digest = await fileDigest(dataPath);
  if (digest.sha256 !== manifest.sha256 || digest.bytes !== manifest.bytes) {
    throw new RestoreRefused(
      `${dataPath} does not match its manifest (sha256 ${digest.sha256}, ${digest.bytes} bytes; the manifest says ` +
        `${manifest.sha256}, ${manifest.bytes} bytes): the backup is damaged; nothing was restored`,
    );
  }
  progress(`checksum verified: ${manifest.file}, ${digest.bytes} bytes, sha256 ${digest.sha256}`);
  if (manifest.engine !== to.engine) {
    throw new RestoreRefused(
      `the backup is of a ${manifest.engine} database and the target ${describeLocation(to)} is ${to.engine}: ` +
        'restore into the same engine (a SQLite shop moves to PostgreSQL with `pnpm db:copy`)',
    );
  }
  const known = await migrationNames(to.engine === 'sqlite' ? 'sqlite' : 'postgresql');
  const unknown = manifest.migrations.applied.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new RestoreRefused(
      `the backup has migrations this checkout does not know (${unknown.join(', ')}): restore it with the ` +
        'checkout that took it, or a newer one',
    );
  }
  const held = await rowsInTarget(to);
  if (held.length > 0 && !options.force) {
    throw new RestoreRefused(
      `the target ${describeLocation(to)} is not empty (${held.map((h) => `${h.table} ${h.rows}`).join(', ')}); ` +
        'nothing was restored: restore into an empty database, or pass --force to replace what it holds',
    );
  }
  if (held.length > 0)
    progress(`replacing what the target held: ${held.map((h) => `${h.table} ${h.rows}`).join(', ')}`);

  const restored =
    to.engine === 'sqlite'
      ? await restoreSqlite(dataPath, to.file)
      : await restorePostgres(dataPath, to.url, options.env ?? {});
  progress(`restored ${Object.keys(restored.facts.tables).length} tables into ${describeLocation(to)}`);
  const differences = compareFacts(manifestFacts(manifest), restored.facts);
  return {
    backup: dir,
    manifest,
    to: describeLocation(to),
    replaced: held,
    facts: restored.facts,
    differences,
    integrity: restored.integrity,
    pendingMigrations: known.filter((name) => !manifest.migrations.applied.includes(name)),
    matches: differences.length === 0 && restored.integrity.length === 0,
    durationMs: Date.now() - startedAt,
  };
}

async function migrationNames(engine: 'sqlite' | 'postgresql'): Promise<string[]> {
  const entries = await readdir(migrationsDirFor(engine), { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Every table of the target but the migration history that holds rows (any table, the shop's or not). */
async function rowsInTarget(to: DbLocation): Promise<Array<{ table: string; rows: number }>> {
  if (to.engine === 'sqlite') {
    if (!existsSync(to.file)) return [];
    const database = new Database(to.file, { fileMustExist: true });
    try {
      const names = database
        .prepare(
          `SELECT "name" FROM "sqlite_master" WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite\\_%' ESCAPE '\\'
           AND "name" <> '_prisma_migrations' ORDER BY "name"`,
        )
        .pluck()
        .all() as string[];
      return names
        .map((table) => ({
          table,
          rows: Number(
            database
              .prepare(`SELECT count(*) FROM ${quoted(table)}`)
              .pluck()
              .get(),
          ),
        }))
        .filter((t) => t.rows > 0);
    } finally {
      database.close();
    }
  }
  if (!(await databaseExists(to.url))) return [];
  return withClient(to.url, async (client) => {
    const facts = await postgresFacts(client).catch(() => null);
    const names = (
      await client.query<{ name: string }>(
        `SELECT "table_name" AS "name" FROM information_schema.tables
         WHERE "table_schema" = current_schema() AND "table_type" = 'BASE TABLE'
           AND "table_name" <> '_prisma_migrations' ORDER BY "table_name"`,
      )
    ).rows.map((row) => row.name);
    const held: Array<{ table: string; rows: number }> = [];
    for (const table of names) {
      const rows =
        facts?.tables[table] ??
        Number(
          (await client.query<{ n: string }>(`SELECT count(*) AS "n" FROM ${quoted(table)}`)).rows[0]?.n,
        );
      if (rows > 0) held.push({ table, rows });
    }
    return held;
  });
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'shop-restore' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function restoreSqlite(
  dataPath: string,
  target: string,
): Promise<{ facts: DatabaseFacts; integrity: string[] }> {
  await mkdir(path.dirname(target), { recursive: true });
  const backup = new Database(dataPath, { readonly: true, fileMustExist: true });
  try {
    // The online backup API in the other direction: page by page into the target through SQLite's own locking, so
    // a target left in WAL mode by an earlier process is written correctly.
    await backup.backup(target, { progress: () => 0x7fffffff });
  } finally {
    backup.close();
  }
  const database = new Database(target, { fileMustExist: true });
  try {
    const integrity: string[] = [];
    const check = database.pragma('integrity_check', { simple: true });
    if (check !== 'ok') integrity.push(`integrity_check: ${String(check)}`);
    const orphans = database.pragma('foreign_key_check') as Array<{ table: string; parent: string }>;
    for (const row of orphans.slice(0, 10)) {
      integrity.push(`foreign_key_check: a row of "${row.table}" points to a missing "${row.parent}"`);
    }
    return { facts: sqliteFacts(database), integrity };
  } finally {
    database.close();
  }
}

/** What runs before pg_restore's script, in the same transaction: the schema emptied of whatever it held. */
const EMPTY_SCHEMA = 'DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n';

async function restorePostgres(
  dataPath: string,
  url: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ facts: DatabaseFacts; integrity: string[] }> {
  const binDir = findPostgresClientDir(env);
  await ensureDatabase(url);
  const connection = toolConnection(url, env);
  // pg_restore writes the archive as one SQL script; psql runs it after emptying the schema, all in one transaction
  // (ON_ERROR_STOP), committed only once pg_restore has written all of it: a failure anywhere, or a script cut
  // short, ends the session without COMMIT, which rolls everything back and leaves the target unchanged.
  const psql = spawn(
    path.join(binDir, 'psql'),
    ['-X', '-q', '--no-password', '-v', 'ON_ERROR_STOP=1', '-d', connection.dbname],
    { env: connection.env, stdio: ['pipe', 'ignore', 'pipe'] },
  );
  const restore = spawn(
    path.join(binDir, 'pg_restore'),
    ['--no-owner', '--no-privileges', '--file=-', dataPath],
    { env: connection.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const psqlDone = finished(psql);
  const restoreDone = finished(restore);
  psql.stdin.on('error', () => {
    // psql stopped reading (it failed); its exit status says why.
  });
  psql.stdin.write(`BEGIN;\n${EMPTY_SCHEMA}`);
  restore.stdout.pipe(psql.stdin, { end: false });
  const restored = await restoreDone;
  if (restored.code === 0) psql.stdin.end('COMMIT;\n');
  else psql.stdin.end();
  const applied = await psqlDone;
  if (restored.code !== 0) {
    throw new Error(
      `pg_restore failed (exit ${restored.code}), the target is unchanged: ${restored.stderr.trim()}`,
    );
  }
  if (applied.code !== 0) {
    throw new Error(`psql failed (exit ${applied.code}), the target is unchanged: ${applied.stderr.trim()}`);
  }
  return withClient(url, async (client) => {
    const integrity: string[] = [];
    // Every constraint was checked as the script added it; none may be left NOT VALID.
    const unchecked = await client.query<{ name: string }>(
      `SELECT "conname" AS "name" FROM pg_constraint
       WHERE NOT "convalidated" AND "connamespace" = current_schema()::regnamespace`,
    );
    for (const row of unchecked.rows) integrity.push(`constraint ${row.name} is not validated`);
    return { facts: await postgresFacts(client), integrity };
  });
}
