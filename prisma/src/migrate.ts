// Applying and creating migrations offline with Prisma's WebAssembly schema engine (see README.md for why), on
// SQLite and on PostgreSQL. The engine writes the standard `_prisma_migrations` table, so a database migrated here can
// later be migrated by `prisma migrate deploy` on a machine with the native engine, and the other way round.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { MigrationError, messageOf } from './errors';
import { describeLocation, toLocation, type DbLocation, type Engine } from './location';
import { migrationsDirFor } from './paths';
import {
  databaseExists,
  dropDatabase,
  ensureDatabase,
  withAdvisoryLock,
  withDatabase,
} from './postgres/admin';
import { schemaFor } from './schemas';
import {
  type DiagnoseMigrationHistoryOutput,
  type EngineSession,
  type MigrationList,
  openSchemaEngine,
  type SchemaFilter,
} from './schema-engine';
import { withFileLock } from './sqlite/file-lock';

export { MigrationError };

export interface MigrationSources {
  /** The (SQLite) Prisma schema file; defaults to prisma/schema.prisma. PostgreSQL's is derived from it. */
  schemaPath?: string;
  /** The migrations folder; defaults to prisma/migrations/<engine>. */
  migrationsDir?: string;
}

export const MIGRATION_LOCK_FILE = 'migration_lock.toml';
export const MIGRATION_SCRIPT_FILE = 'migration.sql';

// No tables or enums are managed outside Prisma (prisma.config.ts has no `tables.external`).
const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

/** Reads the migrations folder the way the Prisma CLI hands it to the engine (one directory per migration). */
export async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: unknown) => {
    if (isNotFound(error)) return [];
    throw error;
  });
  const directories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: MIGRATION_LOCK_FILE,
      content: await readOptional(path.join(migrationsDir, MIGRATION_LOCK_FILE)),
    },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      directories.map(async (name) => {
        const file = path.join(migrationsDir, name, MIGRATION_SCRIPT_FILE);
        const content = await readFile(file, 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: unknown) => ({
            tag: 'error' as const,
            value: `Could not read ${file}: ${messageOf(error)}`,
          }),
        );
        return { path: name, migrationFile: { path: MIGRATION_SCRIPT_FILE, content } };
      }),
    ),
  };
}

/**
 * Applies the migrations not yet applied to the database at `location` (a SQLite file is created with its folder
 * when missing; a PostgreSQL database is created on its server when missing) and returns their names in order; an
 * up-to-date database gives `[]`. Throws a MigrationError, before applying anything, when an applied migration's
 * file changed since (checksum mismatch), when a migration failed on an earlier run, or when the database has
 * migrations this checkout does not know; and when a migration fails now.
 *
 * Several processes may call this on one database at the same moment (API processes started together): the database
 * is created once (ensureDatabase takes another's concurrent creation as done), and the check and the apply run under
 * withMigrationLock, so the first process applies the migrations and the others then find nothing to apply.
 */
export async function applyMigrations(
  location: string | DbLocation,
  sources: MigrationSources = {},
): Promise<string[]> {
  const where = toLocation(location);
  const migrationsDir = sources.migrationsDir ?? migrationsDirFor(where.engine);
  const migrationsList = await readMigrationsList(migrationsDir);
  if (where.engine === 'sqlite') await mkdir(path.dirname(where.file), { recursive: true });
  else await ensureDatabase(where.url);
  return withMigrationLock(where, () => checkAndApply(where, migrationsList, sources));
}

/** The lock file beside a SQLite database that its migrations hold (`shop.db` -> `shop.db.migrate-lock`). */
export const SQLITE_MIGRATION_LOCK_SUFFIX = '.migrate-lock';

/** The PostgreSQL advisory lock key the migrations hold: "shop" in ASCII; any number but Prisma's own 72707369. */
const POSTGRES_MIGRATION_LOCK_KEY = 0x73686f70;

/*
 * Why a lock of our own. Prisma's schema engine already keeps two applies apart: its applyMigrations command first
 * calls acquire_lock and reads the history under it (prisma-engines: schema-engine/core/src/commands/
 * apply_migrations.rs; sql-schema-connector/src/flavour/postgres.rs and sqlite.rs). On PostgreSQL that is
 * `SELECT pg_advisory_lock(72707369)`, given up after 10 s; on SQLite `PRAGMA main.locking_mode=EXCLUSIVE`, so the
 * engine's connection keeps the file's locks until it closes and another waits under better-sqlite3's 5 s busy
 * timeout (or, when both have read before either writes, neither can go on until one gives up). So the second process
 * applies nothing twice, but:
 * - our history check (diagnoseMigrationHistory, below) runs before that lock. On PostgreSQL it reads a migration
 *   another process is applying (its row started, not finished) as failed and refuses to start: three processes
 *   migrating one new database failed this way in two rounds out of three.
 * - the engine's waits are bounded, so a migration that takes longer than 10 s (5 s on SQLite) fails the others.
 * Hence one lock around the check and the apply, waited for as long as the migrations take: on PostgreSQL a session
 * advisory lock under a key of our own (with the engine's key, the engine's own connection in this process would wait
 * on it), which the engine's lock then always finds free; on SQLite an exclusive transaction on a lock file beside the
 * database, since locking the database file itself would also wait on every API process that has it open (in WAL mode
 * each keeps a shared lock on the file).
 */
function withMigrationLock<T>(where: DbLocation, work: () => Promise<T>): Promise<T> {
  return where.engine === 'sqlite'
    ? withFileLock(`${where.file}${SQLITE_MIGRATION_LOCK_SUFFIX}`, work)
    : withAdvisoryLock(where.url, POSTGRES_MIGRATION_LOCK_KEY, work);
}

async function checkAndApply(
  where: DbLocation,
  migrationsList: MigrationList,
  sources: MigrationSources,
): Promise<string[]> {
  const name = describeLocation(where);
  const session = await openSchemaEngine(where, await schemaFor(where.engine, sources.schemaPath));
  try {
    const diagnosis = await session.engine
      .diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS })
      .catch((error: unknown) => {
        // A fresh database has no history to check. The wasm engine reports the missing table as P1014
        // ("The underlying table for model `_prisma_migrations` does not exist") instead of hasMigrationsTable.
        if (isMissingMigrationsTable(error)) return null;
        return engineFailure(session, `Reading the migration history of ${name} failed`, error);
      });
    const problems = diagnosis ? describeHistoryProblems(diagnosis) : [];
    if (problems.length > 0) {
      throw new MigrationError(
        `Refusing to migrate ${name}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
      );
    }

    const { appliedMigrationNames } = await session.engine
      .applyMigrations({ migrationsList, filters: NO_FILTERS })
      .catch(async (error: unknown) => {
        // The engine's error names the SQL problem but not the migration; the history it just wrote does.
        const failed = await session.engine
          .diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS })
          .then(
            (after) => after.failedMigrationNames,
            () => [],
          );
        const which = failed.length > 0 ? `migration ${failed.join(', ')}` : 'a migration';
        return engineFailure(
          session,
          `Applying ${which} to ${name} failed; it is recorded as failed in _prisma_migrations and later ` +
            'runs refuse until it is resolved',
          error,
        );
      });
    return appliedMigrationNames;
  } finally {
    await session.close();
  }
}

/**
 * The names of the migrations applied to the database at `location`, in order, and the ones still to apply (what
 * `pnpm reconcile` checks before it touches a database). A database with no migrations table has none applied.
 */
export async function migrationStatus(
  location: string | DbLocation,
  sources: MigrationSources = {},
): Promise<{ applied: string[]; pending: string[] }> {
  const where = toLocation(location);
  const migrationsList = await readMigrationsList(sources.migrationsDir ?? migrationsDirFor(where.engine));
  const all = migrationsList.migrationDirectories.map((directory) => directory.path);
  // Opening a database that does not exist would create it: a missing one has nothing applied.
  const exists = where.engine === 'sqlite' ? existsSync(where.file) : await databaseExists(where.url);
  if (!exists) return { applied: [], pending: all };
  const session = await openSchemaEngine(where, await schemaFor(where.engine, sources.schemaPath));
  try {
    const diagnosis = await session.engine
      .diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS })
      .catch((error: unknown) => {
        if (isMissingMigrationsTable(error)) return null;
        return engineFailure(
          session,
          `Reading the migration history of ${describeLocation(where)} failed`,
          error,
        );
      });
    if (!diagnosis) return { applied: [], pending: all };
    const history = diagnosis.history;
    const pending = history?.diagnostic === 'databaseIsBehind' ? history.unappliedMigrationNames : [];
    return { applied: all.filter((name) => !pending.includes(name)), pending };
  } finally {
    await session.close();
  }
}

/**
 * The SQL that would bring a database of `engine` built from its migrations in line with the schema: all migrations
 * are applied to a scratch database (a SQLite file, or a database created on the PostgreSQL server at
 * `postgresUrl`), which is then diffed against the schema's datamodel. An empty string means the two agree. This is
 * both the drift check (one test per engine) and the body of a new migration (`pnpm db:migration <name>`).
 *
 * The CLI's `prisma migrate diff --script` prints nothing on these machines, which would make any check built on
 * it pass silently; this calls the engine directly and the test proves it can fail.
 */
export async function diffSchemaAgainstMigrations(
  engine: Engine,
  sources: MigrationSources & { postgresUrl?: string } = {},
): Promise<string> {
  const schema = await schemaFor(engine, sources.schemaPath);
  const scratchDir = await mkdtemp(path.join(os.tmpdir(), 'shop-db-diff-'));
  let scratch: DbLocation;
  if (engine === 'sqlite') {
    const file = path.join(scratchDir, 'scratch.db');
    scratch = { engine, file, url: `file:${file}` };
  } else {
    if (!sources.postgresUrl) throw new Error('diffing the PostgreSQL migrations needs a PostgreSQL server');
    scratch = {
      engine,
      url: withDatabase(sources.postgresUrl, `shop_diff_${randomBytes(6).toString('hex')}`),
    };
  }
  try {
    await applyMigrations(scratch, sources);

    const session = await openSchemaEngine(scratch, schema);
    try {
      const result = await session.engine
        .diff({
          from: { tag: 'schemaDatasource', files: [schema], configDir: path.dirname(schema.path) },
          to: { tag: 'schemaDatamodel', files: [schema] },
          script: true,
          exitCode: null,
          filters: NO_FILTERS,
        })
        .catch((error: unknown) =>
          engineFailure(session, 'Diffing the migrations against the schema failed', error),
        );
      return normalizeDiffScript(result.stdout ?? '');
    } finally {
      await session.close();
    }
  } finally {
    if (scratch.engine === 'postgresql') await dropDatabase(scratch.url);
    await rm(scratchDir, { recursive: true, force: true });
  }
}

/** The engine prints "-- This is an empty migration." when there is nothing to do; we call that "". */
function normalizeDiffScript(script: string): string {
  const meaningful = script.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--'));
  return meaningful ? script.trimEnd() + '\n' : '';
}

function describeHistoryProblems(diagnosis: DiagnoseMigrationHistoryOutput): string[] {
  const problems: string[] = [];
  for (const name of diagnosis.editedMigrationNames) {
    problems.push(
      `checksum mismatch: migration ${name} was modified after it was applied. Applied migrations are history: ` +
        `restore its ${MIGRATION_SCRIPT_FILE} and put the change in a new migration (pnpm db:migration <name>).`,
    );
  }
  for (const name of diagnosis.failedMigrationNames) {
    problems.push(
      `migration ${name} failed on an earlier run and is recorded as failed in _prisma_migrations ` +
        `(its logs column says why). Repair the database by hand, delete that row (or run ` +
        `\`prisma migrate resolve --rolled-back ${name}\` where the native engine is available), then migrate again.`,
    );
  }
  const history = diagnosis.history;
  if (history && history.diagnostic !== 'databaseIsBehind') {
    problems.push(
      `the database has migrations this checkout does not have (${history.unpersistedMigrationNames.join(', ')}); ` +
        'it was migrated from another branch or a newer version.',
    );
  }
  return problems;
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

function engineFailure(session: EngineSession, what: string, error: unknown): never {
  const errorLogs = session.logs.filter((line) => /"level":"(ERROR|WARN)"/.test(line));
  const details = errorLogs.length > 0 ? `\nEngine log:\n${errorLogs.join('\n')}` : '';
  throw new MigrationError(`${what}: ${session.describe(error)}${details}`, { cause: error });
}

function isMissingMigrationsTable(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    error.code === 'P1014' &&
    messageOf(error).includes('_prisma_migrations')
  );
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
