// `pnpm db:backup`: a consistent backup of a live shop, taken while it serves, with a manifest to check it by.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';

import { describeLocation, toLocation, type DbLocation } from '../location';
import { findPostgresClientDir, runTool, toolConnection } from '../postgres/tools';
import { postgresFacts, sqliteFacts, type DatabaseFacts } from './facts';
import { factsToManifestFields, fileDigest, MANIFEST_FILE, type BackupManifest } from './manifest';

/*
 * How each engine gives one consistent snapshot while the API keeps writing:
 * - SQLite: the online backup API (https://www.sqlite.org/backup.html) through better-sqlite3's `backup()`. Asked to
 *   copy every remaining page in one step, it reads them all under one read transaction, so the copy is one
 *   committed state; writers go on meanwhile (WAL). The counts and figures are then read from the copy itself.
 * - PostgreSQL: a REPEATABLE READ transaction exports its snapshot (pg_export_snapshot) and `pg_dump --snapshot`
 *   dumps exactly that snapshot, while the same transaction reads the counts and figures: the manifest describes
 *   what the dump holds, not what the database held a moment later.
 *   https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-SNAPSHOT-SYNCHRONIZATION
 */

/** The backup could not be taken: the message says why. Nothing is left behind in the output folder. */
export class BackupFailed extends Error {
  override readonly name = 'BackupFailed';
}

export interface BackupOptions {
  /** The database to back up: a SQLite path or `file:` URL, or `postgresql://...`. */
  from: string | DbLocation;
  /** The folder the backup's own folder is made in (created when missing). */
  outDir: string;
  /** The environment the PostgreSQL client programs are looked up in and run with (PG_BIN_DIR, PATH). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The clock (UTC), for the folder's name and `createdAt`. */
  now?: () => Date;
}

export interface BackupResult {
  /** The backup's folder: manifest.json and the data file. */
  dir: string;
  manifest: BackupManifest;
  durationMs: number;
}

/** A backup folder's name: `shop-<engine>-<UTC time>`, so names sort by time. */
export const BACKUP_NAME = /^shop-(sqlite|postgresql)-(\d{8}T\d{9}Z)$/;

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

/**
 * Takes a backup of `from` into a new folder under `outDir`: the data file (a SQLite database, or a pg_dump archive)
 * and manifest.json (engine, migration level, every table's rows, orders, paid and refunded totals, the data file's
 * SHA-256). The folder is written under a temporary name and renamed when complete, so a backup folder with its
 * final name is always whole. Safe to run while the API serves.
 */
export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  const startedAt = Date.now();
  const from = toLocation(options.from);
  const createdAt = (options.now ?? (() => new Date()))();
  const name = `shop-${from.engine}-${stamp(createdAt)}`;
  const outDir = path.resolve(options.outDir);
  const dir = path.join(outDir, name);
  if (existsSync(dir)) throw new BackupFailed(`${dir} already exists`);
  await mkdir(outDir, { recursive: true });
  const partial = path.join(outDir, `.${name}.partial-${randomBytes(4).toString('hex')}`);
  await mkdir(partial);
  try {
    const file = from.engine === 'sqlite' ? 'shop.db' : 'shop.pgdump';
    const dataPath = path.join(partial, file);
    const facts =
      from.engine === 'sqlite'
        ? await backupSqlite(from.file, dataPath)
        : await backupPostgres(from.url, dataPath, options.env ?? {});
    const digest = await fileDigest(dataPath);
    const manifest: BackupManifest = {
      format: 'shop-backup',
      version: 1,
      engine: from.engine,
      createdAt: createdAt.toISOString(),
      source: describeLocation(from),
      file,
      bytes: digest.bytes,
      sha256: digest.sha256,
      ...factsToManifestFields(facts),
    };
    await writeFile(path.join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(partial, dir);
    return { dir, manifest, durationMs: Date.now() - startedAt };
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (error instanceof BackupFailed) throw error;
    throw new BackupFailed(`backing up ${describeLocation(from)} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function backupSqlite(source: string, dataPath: string): Promise<DatabaseFacts> {
  if (!existsSync(source)) throw new BackupFailed(`the database ${source} does not exist`);
  // Not read-only: a read-only connection cannot create the WAL index when no other process has the file open.
  const live = new Database(source, { fileMustExist: true });
  try {
    // 0x7fffffff pages per step: every page in one step, under one read lock, so the copy is one snapshot and the
    // writers' commits cannot make it start over again and again.
    await live.backup(dataPath, { progress: () => 0x7fffffff });
  } finally {
    live.close();
  }
  const copy = new Database(dataPath, { fileMustExist: true });
  try {
    // A backup is one self-contained file: no -wal or -shm beside it.
    copy.pragma('journal_mode = DELETE');
    const integrity = copy.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok')
      throw new BackupFailed(`the copy fails SQLite's integrity check: ${String(integrity)}`);
    return sqliteFacts(copy);
  } finally {
    copy.close();
  }
}

async function backupPostgres(
  url: string,
  dataPath: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<DatabaseFacts> {
  const binDir = findPostgresClientDir(env);
  const client = new pg.Client({ connectionString: url, application_name: 'shop-backup' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS "id"')).rows[0]!.id;
    const facts = await postgresFacts(client);
    const connection = toolConnection(url, env);
    // The exporting transaction stays open until pg_dump is done: the snapshot lives only as long as it does.
    await runTool(
      binDir,
      'pg_dump',
      ['--format=custom', `--snapshot=${snapshot}`, '--no-password', `--file=${dataPath}`, connection.dbname],
      connection.env,
    );
    await client.query('COMMIT');
    return facts;
  } finally {
    await client.end();
  }
}

/**
 * Deletes the oldest backups in `outDir` so that `keep` remain (only folders named as backupDatabase names them,
 * of any engine; a half-written `.shop-*.partial-*` folder may be another process's backup under way and is left
 * alone). Returns the folders deleted.
 */
export async function pruneBackups(outDir: string, keep: number): Promise<string[]> {
  if (!existsSync(outDir)) return [];
  const entries = await readdir(outDir, { withFileTypes: true });
  const backups = entries
    .filter((e) => e.isDirectory() && BACKUP_NAME.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => (BACKUP_NAME.exec(a)![2]! < BACKUP_NAME.exec(b)![2]! ? -1 : 1));
  const doomed = backups.slice(0, Math.max(0, backups.length - keep));
  for (const name of doomed) await rm(path.join(outDir, name), { recursive: true, force: true });
  return doomed.map((name) => path.join(outDir, name));
}
