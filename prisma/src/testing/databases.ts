// A fresh, migrated database per test file, on the engine the test project runs (vitest.config.ts): a SQLite file,
// or a PostgreSQL database copied from the template the project's global setup migrated once.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { inject } from 'vitest';

import type { DbLocation, Engine } from '../location';
import { applyMigrations, SQLITE_MIGRATION_LOCK_SUFFIX } from '../migrate';
import { dropDatabase, ensureDatabase, withDatabase } from '../postgres/admin';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The engine this test project runs on. */
    databaseEngine: Engine;
    /** The private PostgreSQL cluster of a postgres project (postgres-setup.ts), as a maintenance URL. */
    postgresUrl: string;
  }
}

/** The migrated database every PostgreSQL test database is copied from (created by postgres-setup.ts). */
export const TEMPLATE_DATABASE = 'shop_template';

/** The engine of the test project running this file (SQLite when the project says nothing). */
export function testEngine(): Engine {
  return inject('databaseEngine') ?? 'sqlite';
}

/** The PostgreSQL server of a postgres test project; an error elsewhere. */
export function testPostgresUrl(): string {
  const url = inject('postgresUrl');
  if (!url) throw new Error('this test project runs no PostgreSQL (see vitest.config.ts)');
  return url;
}

export interface TestDatabase {
  location: DbLocation;
  /** Deletes the database (a SQLite file with its folder, a PostgreSQL database). */
  drop(): Promise<void>;
}

/**
 * A new, migrated, empty database on the project's engine. SQLite: a file in `dir` (a new temporary folder when not
 * given), migrated as production migrates. PostgreSQL: a database created from the migrated template, which takes a
 * fraction of the time.
 */
export async function createTestDatabase(
  options: {
    dir?: string;
    engine?: Engine;
    /** SQLite: leave the file for the caller to migrate (startApi does). */ migrate?: boolean;
  } = {},
): Promise<TestDatabase> {
  const engine = options.engine ?? testEngine();
  if (engine === 'sqlite') {
    const ownDir = options.dir ? null : await mkdtemp(path.join(os.tmpdir(), 'shop-test-db-'));
    const file = path.join(options.dir ?? ownDir!, `shop-${randomBytes(4).toString('hex')}.db`);
    if (options.migrate !== false) await applyMigrations(file);
    return {
      location: { engine, file, url: `file:${file}` },
      async drop() {
        if (ownDir) await rm(ownDir, { recursive: true, force: true });
        else {
          for (const suffix of ['', '-wal', '-shm', SQLITE_MIGRATION_LOCK_SUFFIX]) {
            await rm(`${file}${suffix}`, { force: true });
          }
        }
      },
    };
  }
  const url = withDatabase(testPostgresUrl(), `t_${randomBytes(8).toString('hex')}`);
  await createFromTemplate(url);
  return { location: { engine, url }, drop: () => dropDatabase(url) };
}

/** CREATE DATABASE ... TEMPLATE, retried while another copy of the template is being made at the same moment. */
async function createFromTemplate(url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureDatabase(url, { template: TEMPLATE_DATABASE });
      return;
    } catch (error) {
      // 55006: "source database is being accessed by other users".
      if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** For the global setup: migrates the template every test database of the run is copied from. */
export async function migrateTemplate(serverUrl: string): Promise<void> {
  await applyMigrations(withDatabase(serverUrl, TEMPLATE_DATABASE));
}

/**
 * The URL of a database that does not exist yet on the run's PostgreSQL server (a postgres test project's), for a
 * test that has something else create it (the copy to PostgreSQL does), and a drop for afterwards.
 */
export function unusedPostgresDatabase(prefix = 't'): { url: string; drop(): Promise<void> } {
  const url = withDatabase(testPostgresUrl(), `${prefix}_${randomBytes(8).toString('hex')}`);
  return { url, drop: () => dropDatabase(url) };
}
