// The Prisma client on better-sqlite3, set up for a web server.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { Mutex } from 'async-mutex';

import { PrismaClient } from '../../generated/sqlite/client';
import { registerTransport } from '../sql';
import { startCheckpointer } from './checkpointer';
import { connected, databaseOf, disconnected, sqliteTransport, type ClientState } from './transport';

/** SQLite's own wal_autocheckpoint, back in force should the checkpoint worker fail. */
const DEFAULT_AUTOCHECKPOINT = 1000;

/** The WAL size (pages) at which the client's own connection checkpoints (checkpointer.ts): about 16 MB. */
export const WAL_BACKSTOP_PAGES = 4000;

/** What the WAL file is cut back to when it starts over. */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** How long a writer waits for another connection's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

// Run on every connection the adapter opens (pragmas other than journal_mode are per connection):
// - busy_timeout makes a second writer (another process, a migration) wait instead of failing at once; first, so that
//   the switch to WAL (which needs the file to itself, once) waits too.
// - WAL lets readers proceed while one writer commits, and is persistent in the file once set.
// - foreign_keys: SQLite leaves foreign keys unenforced unless asked; Prisma's relations rely on them.
// - synchronous NORMAL is durable in WAL mode except for the last transactions on power loss; FULL costs an
//   fsync per commit. https://www.sqlite.org/pragma.html#pragma_synchronous
// - wal_autocheckpoint WAL_BACKSTOP_PAGES: checkpoints run on a worker thread (checkpointer.ts); this connection
//   checkpoints itself only when the WAL has reached that many pages, which it does under writes so steady that
//   the worker never sees the WAL whole (see checkpointer.ts).
// - journal_size_limit: once the WAL starts over, its file is cut back to this size, so a burst does not keep its
//   disk space for ever.
const connectionPragmas = (busyTimeoutMs: number) => `
PRAGMA busy_timeout = ${busyTimeoutMs};
PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
PRAGMA wal_autocheckpoint = ${WAL_BACKSTOP_PAGES};
PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT_BYTES};
`;

export interface SqliteDbOptions {
  /**
   * How long a write waits for another process's write lock before SQLITE_BUSY (default BUSY_TIMEOUT_MS). The wait
   * blocks this process's event loop, so only a client with nothing else to serve (the start-up seed) asks for more.
   */
  busyTimeoutMs?: number;
}

/**
 * A PrismaClient on the SQLite file `dbFile`, which must already be migrated (see applyMigrations). The client
 * connects on first use; call closeDb when done so the file is released.
 */
export function createSqliteDb(dbFile: string, options: SqliteDbOptions = {}): PrismaClient {
  const state: ClientState = {
    connection: undefined,
    // Set once the client exists, just below; sql(db) calls it only after createSqliteDb has returned.
    connect: () => Promise.reject(new Error('the client is not made yet')),
  };
  const db = new PrismaClient({
    adapter: withPragmas(
      new PrismaBetterSqlite3({ url: `file:${dbFile}` }),
      state,
      dbFile,
      connectionPragmas(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS),
    ),
    // Transactions queue on the one connection (see serialised below); under load the default 2 s wait is too short.
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
  state.connect = () => db.$connect();
  // `sql(db)` (transport.ts) reaches the same connection, under the same mutex.
  registerTransport(db, sqliteTransport(state));
  return db;
}

// PrismaBetterSqlite3 opens its better-sqlite3 Database inside connect() and offers no hook for pragmas, so the
// factory is wrapped: each connection it hands out gets the pragmas before Prisma sees it, and is recorded in `state`
// with its mutex for `sql(db)`.
function withPragmas(
  factory: SqlDriverAdapterFactory,
  state: ClientState,
  dbFile: string,
  pragmas: string,
): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect(): Promise<SqlDriverAdapter> {
      const connection = await factory.connect();
      await connection.executeScript(pragmas);
      const mutex = new Mutex();
      const shared = connected(state, databaseOf(connection), mutex);
      const wrapped = serialised(connection, mutex);
      const checkpointer = startCheckpointer(dbFile, () => {
        if (shared.database.open) shared.database.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
      });
      return {
        ...wrapped,
        dispose: async () => {
          disconnected(state, shared);
          await wrapped.dispose();
          await checkpointer.stop();
        },
      };
    },
  };
}

/**
 * The adapter opens transactions with a plain (deferred) BEGIN. When two processes share the file, a transaction that
 * reads and then writes can then fail at once with SQLITE_BUSY: it holds a read snapshot and cannot upgrade while the
 * other process writes, and SQLite does not wait in that case (busy_timeout does not apply to a lock upgrade that
 * could deadlock). A no-op write as the first statement takes the write lock up front, waiting under busy_timeout
 * like BEGIN IMMEDIATE, so a transaction either waits its turn or runs; `_prisma_migrations` exists in every migrated
 * database. https://www.sqlite.org/lang_transaction.html
 */
const TAKE_WRITE_LOCK = {
  sql: 'UPDATE "_prisma_migrations" SET "id" = "id" WHERE 0',
  args: [],
  argTypes: [],
};

/**
 * The adapter runs every query on one better-sqlite3 connection and locks it only for interactive transactions: a
 * query from another request that arrives while a transaction is open runs inside that transaction (it sees its
 * uncommitted rows, and its writes vanish if that transaction rolls back). This wrapper puts every top-level query
 * and every transaction behind one mutex, so work on the connection is strictly one thing at a time. Each statement
 * is synchronous and short, so the queue costs microseconds; SQLite allows one writer anyway. `sql(db)` takes the
 * same mutex for its synchronous transactions.
 */
export function serialised(connection: SqlDriverAdapter, mutex: Mutex = new Mutex()): SqlDriverAdapter {
  const wrapTransaction = (tx: Transaction, release: () => void): Transaction => {
    let released = false;
    const done = () => {
      if (!released) {
        released = true;
        release();
      }
    };
    return Object.assign(Object.create(tx) as Transaction, {
      queryRaw: tx.queryRaw.bind(tx),
      executeRaw: tx.executeRaw.bind(tx),
      commit: () => tx.commit().finally(done),
      rollback: () => tx.rollback().finally(done),
    });
  };
  return {
    provider: connection.provider,
    adapterName: connection.adapterName,
    queryRaw: (query) => mutex.runExclusive(() => connection.queryRaw(query)),
    executeRaw: (query) => mutex.runExclusive(() => connection.executeRaw(query)),
    executeScript: (script) => mutex.runExclusive(() => connection.executeScript(script)),
    async startTransaction(isolationLevel) {
      const release = await mutex.acquire();
      try {
        const tx = await connection.startTransaction(isolationLevel);
        try {
          await tx.executeRaw(TAKE_WRITE_LOCK);
        } catch (error) {
          await tx.executeRaw({ sql: 'ROLLBACK', args: [], argTypes: [] }).catch(() => undefined);
          await tx.rollback();
          throw error;
        }
        return wrapTransaction(tx, release);
      } catch (error) {
        release();
        throw error;
      }
    },
    ...(connection.getConnectionInfo ? { getConnectionInfo: () => connection.getConnectionInfo!() } : {}),
    dispose: () => connection.dispose(),
  };
}
