// createDb: the Prisma client for the engine a database location names, with sql() on its own connections.
import type { PrismaClient } from '../generated/sqlite/client';
import { toLocation, type DbLocation } from './location';
import { createPostgresDb } from './postgres/connection';
import { createSqliteDb } from './sqlite/connection';

/**
 * The Prisma client, whichever engine it runs on. Both engines' clients are generated from one data model (see
 * schemas.ts), so they have the same models, fields and methods; the SQLite client's type stands for both.
 */
export type Db = PrismaClient;

export interface CreateDbOptions {
  /** PostgreSQL: connections in the pool the client and sql() share (default 10). SQLite has one connection. */
  poolSize?: number;
  /**
   * SQLite: how long a write waits for another process's write lock before failing with SQLITE_BUSY (default
   * BUSY_TIMEOUT_MS, 5 s). PostgreSQL waits on a lock for as long as the transaction's own timeout allows.
   */
  busyTimeoutMs?: number;
}

const closers = new WeakMap<Db, () => Promise<void>>();

/**
 * A Prisma client on the database `location` names (a path or `file:` URL for SQLite, `postgresql://...` for
 * PostgreSQL), which must already be migrated (applyMigrations). It connects on first use; call closeDb when done.
 */
export function createDb(location: string | DbLocation, options: CreateDbOptions = {}): Db {
  const where = toLocation(location);
  if (where.engine === 'sqlite') {
    const db = createSqliteDb(where.file, {
      ...(options.busyTimeoutMs ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
    });
    closers.set(db, () => db.$disconnect());
    return db;
  }
  const { client, pool } = createPostgresDb(where.url, {
    ...(options.poolSize ? { max: options.poolSize } : {}),
  });
  // The PostgreSQL client has the same models and methods (one data model); only its class differs.
  const db = client as unknown as Db;
  closers.set(db, async () => {
    await client.$disconnect();
    await pool.end();
  });
  return db;
}

export async function closeDb(db: Db): Promise<void> {
  const close = closers.get(db);
  if (!close) throw new Error('closeDb needs a client made by createDb');
  closers.delete(db);
  await close();
}
