// sql() on SQLite: prepared better-sqlite3 statements on the Prisma client's own connection, under its mutex.
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import type { Mutex } from 'async-mutex';
import type { Database, Statement } from 'better-sqlite3';

import {
  insertShape,
  insertSql,
  rowsOf,
  type Dialect,
  type SqlParam,
  type SqlReader,
  type SqlTransport,
  type SqlTx,
} from '../sql';

/*
 * The rules are the client's own (connection.ts): one connection, one thing at a time. A transaction here waits for
 * the mutex every Prisma query and transaction takes, runs BEGIN IMMEDIATE (the write lock up front, waiting under
 * busy_timeout when another process holds it, like the no-op write that starts every Prisma transaction), the
 * caller's work and COMMIT, and only then lets anything else on the connection. The statements themselves are
 * synchronous; awaiting them costs a microtask each.
 *
 * Never call sql(db) from inside a Prisma `$transaction` callback: that transaction holds the mutex, so the call
 * would wait until Prisma's transaction timeout. And never await anything but `tx` inside `work`: the connection is
 * held for as long as `work` runs.
 */

/** One connection the adapter opened, as this module needs it. */
interface Connection {
  database: Database;
  mutex: Mutex;
  statements: Map<string, Statement>;
}

/** Per client: the connection its adapter has open now, if any. */
export interface ClientState {
  connection: Connection | undefined;
  /** Opens the client's connection (the Prisma client's $connect). */
  connect: () => Promise<void>;
}

/**
 * The better-sqlite3 Database inside a connection of @prisma/adapter-better-sqlite3. The adapter keeps it in its
 * `client` property and does not declare it in its types; this is the one place that reaches for it. If an upgrade
 * moves it, connecting fails here with this message (every test that touches the database fails with it), rather
 * than the money paths failing in production.
 */
export function databaseOf(connection: SqlDriverAdapter): Database {
  const candidate = (connection as unknown as { client?: unknown }).client as Partial<Database> | undefined;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.prepare !== 'function' ||
    typeof candidate.exec !== 'function' ||
    typeof candidate.inTransaction !== 'boolean'
  ) {
    throw new Error(
      `@prisma/adapter-better-sqlite3 (${connection.adapterName}) no longer keeps its better-sqlite3 Database in ` +
        '`client`; update databaseOf in prisma/src/sqlite/transport.ts for this version',
    );
  }
  return candidate as Database;
}

/** Called when the adapter connects: the connection and the mutex that `serialised` puts around it. */
export function connected(state: ClientState, database: Database, mutex: Mutex): Connection {
  const connection: Connection = { database, mutex, statements: new Map() };
  state.connection = connection;
  return connection;
}

/** Called when the adapter disposes of a connection. */
export function disconnected(state: ClientState, connection: Connection): void {
  if (state.connection === connection) state.connection = undefined;
}

/** SQLite spells these with instr() and date(); the dates are Prisma's ISO text, whose first 19 characters date() reads. */
export const sqliteDialect: Dialect = {
  containsText: (haystack) => `instr(lower(${haystack}), lower(?)) > 0`,
  startsWithText: (haystack) => `instr(${haystack}, ?) = 1`,
  chinaDay: (column) => `date(substr(${column}, 1, 19), '+8 hours')`,
  forUpdate: '',
  forUpdateOf: () => '',
};

export function sqliteTransport(state: ClientState): SqlTransport {
  const acquire = async (): Promise<{ conn: Connection; release: () => void }> => {
    for (;;) {
      if (!state.connection) await state.connect();
      const conn = state.connection;
      if (!conn) throw new Error('the Prisma client did not open a connection');
      const release = await conn.mutex.acquire();
      if (conn.database.open) return { conn, release };
      // The client disconnected while this waited its turn; Prisma would connect again, and so does this.
      release();
    }
  };
  return {
    engine: 'sqlite',
    dialect: sqliteDialect,
    async transaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
      const { conn, release } = await acquire();
      try {
        statement(conn, 'BEGIN IMMEDIATE').run();
        try {
          const result = await work(queries(conn));
          statement(conn, 'COMMIT').run();
          return result;
        } catch (error) {
          // A failed COMMIT can leave the transaction open; a statement error inside `work` always does.
          if (conn.database.inTransaction) statement(conn, 'ROLLBACK').run();
          throw error;
        }
      } finally {
        release();
      }
    },
    // A plain read is statements outside a transaction, as autocommit runs them.
    read<T>(work: (q: SqlReader) => Promise<T>): Promise<T> {
      return this.autocommit(work);
    },
    async autocommit<T>(work: (q: SqlTx) => Promise<T>): Promise<T> {
      const { conn, release } = await acquire();
      try {
        return await work(queries(conn));
      } finally {
        release();
      }
    },
    isUniqueViolation: isSqliteUniqueViolation,
  };
}

/** better-sqlite3 prepares a statement once per SQL text; the adapter prepares every statement afresh. */
function statement(conn: Connection, sql: string): Statement {
  let prepared = conn.statements.get(sql);
  if (!prepared) {
    prepared = conn.database.prepare(sql);
    // The adapter sets defaultSafeIntegers(true) on its Database, so integers would come back as BigInt. The shop's
    // integer columns are Int (32-bit) and read as numbers, as Prisma reads them; a BigInt column read here above
    // 2^53 would lose precision, so read such columns through Prisma.
    if (prepared.reader) prepared.safeIntegers(false);
    conn.statements.set(sql, prepared);
  }
  return prepared;
}

function queries(conn: Connection): SqlTx {
  return {
    engine: 'sqlite',
    dialect: sqliteDialect,
    get: <Row>(sql: string, ...params: SqlParam[]) =>
      Promise.resolve(statement(conn, sql).get(...params.map(toSqlite)) as Row | undefined),
    all: <Row>(sql: string, ...params: SqlParam[]) =>
      Promise.resolve(statement(conn, sql).all(...params.map(toSqlite)) as Row[]),
    run: (sql: string, ...params: SqlParam[]) =>
      Promise.resolve(statement(conn, sql).run(...params.map(toSqlite)).changes),
    insert: (table, rows, options) => {
      const list = rowsOf(rows);
      const { columns, values } = insertShape(table, list);
      const text = insertSql(table, columns, list.length, options?.onConflictDoNothing);
      return Promise.resolve(statement(conn, text).run(...values.map(toSqlite)).changes);
    },
  };
}

/**
 * A parameter as @prisma/adapter-better-sqlite3 writes it (its `mapArg`, default timestampFormat iso8601), so a row
 * written here reads back through Prisma unchanged and the other way round: a Date as ISO text with `+00:00` for
 * `Z` (`2026-11-22T00:35:43.498+00:00`), a boolean as 1 or 0.
 */
function toSqlite(value: SqlParam): string | number | bigint | Buffer | null {
  if (value instanceof Date) return sqliteDate(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** A DateTime as the SQLite adapter stores it. */
export function sqliteDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/**
 * Whether `error` is SQLite refusing a duplicate in `table` (optionally on `column`): better-sqlite3's SqliteError
 * says `UNIQUE constraint failed: Table.column, ...` with code SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY; the Prisma
 * client reports it as P2002 with the adapter's cause.
 */
export function isSqliteUniqueViolation(error: unknown, table: string, column?: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code === 'P2002') return prismaUniqueViolation(error, table, column);
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return false;
  const columns = (error.message.split('constraint failed: ')[1] ?? '').split(', ');
  return columns.some(
    (qualified) =>
      qualified.startsWith(`${table}.`) && (column === undefined || qualified === `${table}.${column}`),
  );
}

/** Prisma's P2002 on either engine: the model, and the fields or index its driver adapter reported. */
export function prismaUniqueViolation(error: Error, table: string, column?: string): boolean {
  const meta = ((error as { meta?: unknown }).meta ?? {}) as {
    modelName?: string;
    target?: string[] | string;
    driverAdapterError?: { cause?: { constraint?: { fields?: string[]; index?: string } } };
  };
  if (meta.modelName !== undefined && meta.modelName !== table) return false;
  if (column === undefined) return true;
  const constraint = meta.driverAdapterError?.cause?.constraint;
  const fields = constraint?.fields ?? meta.target ?? [];
  const list = Array.isArray(fields) ? fields : [fields];
  if (list.some((f) => f === column || f === `"${column}"` || f.endsWith(`.${column}`))) return true;
  // PostgreSQL names the index: Prisma's unique indexes are "<Table>_<column>_key".
  return constraint?.index === `${table}_${column}_key`;
}
