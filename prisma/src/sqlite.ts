// Synchronous SQL on the Prisma client's own better-sqlite3 connection, for the few measured hot paths.
import cuid from '@bugsnag/cuid';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import type { Mutex } from 'async-mutex';
import type { Database, Statement } from 'better-sqlite3';

import type { Db } from './client';

/**
 * Why this exists: a statement through the Prisma client costs 150-250 µs of CPU on the benchmark machine (query
 * interpretation, argument and result mapping, and the adapter preparing every statement afresh) against 5-12 µs for
 * the same SQL prepared once on better-sqlite3. Order placement and payment notifies are a dozen statements each, so
 * they run here; everything else stays on Prisma. See the README, "Synchronous SQL for hot paths".
 *
 * The rules it keeps are the client's own (client.ts): one connection, one thing at a time. A transaction here waits
 * for the same mutex every Prisma query and transaction takes, then runs BEGIN IMMEDIATE, the caller's work and
 * COMMIT without yielding, so no Prisma query can run inside it and it never runs inside a Prisma transaction.
 * Never call it from inside a Prisma `$transaction` callback: that transaction holds the mutex, so the call would wait
 * until Prisma's transaction timeout.
 */

/** What a statement may be given: better-sqlite3's own types, plus Date and boolean written as Prisma writes them. */
export type SqlParam = string | number | bigint | boolean | Date | Buffer | null;

/** Reads. Rows are plain objects keyed by column name, values as SQLite stores them (see readDate, readBool). */
export interface SqlReader {
  /** The first row, or undefined. */
  get<Row>(sql: string, ...params: SqlParam[]): Row | undefined;
  all<Row>(sql: string, ...params: SqlParam[]): Row[];
}

/** Reads and writes inside one transaction. */
export interface SyncTx extends SqlReader {
  /** Runs a write and returns how many rows it changed (the guarded-update check). */
  run(sql: string, ...params: SqlParam[]): number;
  /**
   * Inserts one row into `table`: every property of `row` is a column. Pass a whole model object (`const order:
   * Order = {...}`) so the compiler makes you write every column, as Prisma would have: the SQL defaults would store
   * dates in another format (see the README).
   */
  insert(table: string, row: Readonly<Record<string, SqlParam>>): void;
}

export interface SqliteAccess {
  /**
   * Waits for the connection, then runs `work` synchronously in one `BEGIN IMMEDIATE` transaction: COMMIT when it
   * returns, ROLLBACK and rethrow when it throws. `work` must not be async (a promise is refused and rolled back).
   */
  transaction<T>(work: (tx: SyncTx) => T): Promise<T>;
  /** Waits for the connection, then runs plain reads outside any transaction. */
  read<T>(work: (q: SqlReader) => T): Promise<T>;
}

/** One connection the adapter opened, as this module needs it. */
interface Connection {
  database: Database;
  mutex: Mutex;
  statements: Map<string, Statement>;
}

/** Per client: the connection its adapter has open now, if any. */
export interface ClientState {
  connection: Connection | undefined;
}

const clients = new WeakMap<Db, ClientState>();

/** Called by createDb: from now on `sqlite(db)` finds the connections this client's adapter opens. */
export function registerClient(db: Db, state: ClientState): void {
  clients.set(db, state);
}

/**
 * The better-sqlite3 Database inside a connection of @prisma/adapter-better-sqlite3. The adapter keeps it in its
 * `client` property and does not declare it in its types; this is the one place that reaches for it. If an upgrade
 * moves it, connecting fails here with this message (every test that touches the database fails with it), rather
 * than the hot paths failing in production.
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
        '`client`; update databaseOf in prisma/src/sqlite.ts for this version',
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

/** Synchronous SQL on the connection of `db` (a client from createDb), under its mutex. */
export function sqlite(db: Db): SqliteAccess {
  const state = clients.get(db);
  if (!state) throw new Error('sqlite() needs a client made by createDb');
  const acquire = async (): Promise<{ conn: Connection; release: () => void }> => {
    for (;;) {
      if (!state.connection) await db.$connect();
      const conn = state.connection;
      if (!conn) throw new Error('the Prisma client did not open a connection');
      const release = await conn.mutex.acquire();
      if (conn.database.open) return { conn, release };
      // The client disconnected while this waited its turn; Prisma would connect again, and so does this.
      release();
    }
  };
  return {
    async transaction<T>(work: (tx: SyncTx) => T): Promise<T> {
      const { conn, release } = await acquire();
      try {
        return runTransaction(conn, work);
      } finally {
        release();
      }
    },
    async read<T>(work: (q: SqlReader) => T): Promise<T> {
      const { conn, release } = await acquire();
      try {
        const result = work(queries(conn));
        refuseAsync(result);
        return result;
      } finally {
        release();
      }
    },
  };
}

function runTransaction<T>(conn: Connection, work: (tx: SyncTx) => T): T {
  // IMMEDIATE takes the write lock up front, waiting under busy_timeout when another process holds it, like the
  // no-op write at the start of every Prisma transaction (client.ts, TAKE_WRITE_LOCK).
  statement(conn, 'BEGIN IMMEDIATE').run();
  try {
    const result = work(queries(conn));
    refuseAsync(result);
    statement(conn, 'COMMIT').run();
    return result;
  } catch (error) {
    // A failed COMMIT can leave the transaction open; a statement error inside `work` always does.
    if (conn.database.inTransaction) statement(conn, 'ROLLBACK').run();
    throw error;
  }
}

function refuseAsync(result: unknown): void {
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    // Awaiting inside the work would let other queries in between its statements; the transaction would not hold.
    throw new Error('sqlite() work must be synchronous; it returned a promise');
  }
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

function queries(conn: Connection): SyncTx {
  return {
    get: <Row>(sql: string, ...params: SqlParam[]) =>
      statement(conn, sql).get(...params.map(toSql)) as Row | undefined,
    all: <Row>(sql: string, ...params: SqlParam[]) => statement(conn, sql).all(...params.map(toSql)) as Row[],
    run: (sql: string, ...params: SqlParam[]) => statement(conn, sql).run(...params.map(toSql)).changes,
    insert: (table: string, row: Readonly<Record<string, SqlParam>>) => {
      // Table and column names come from the caller's code, never from input; the SQL text is the same for every
      // row of one shape, so its statement is prepared once.
      const columns = Object.keys(row);
      const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
      statement(conn, sql).run(...columns.map((c) => toSql(row[c] ?? null)));
    },
  };
}

/**
 * A parameter as @prisma/adapter-better-sqlite3 writes it (its `mapArg`, default timestampFormat iso8601), so a row
 * written here reads back through Prisma unchanged and the other way round: a Date as ISO text with `+00:00` for
 * `Z` (`2026-11-22T00:35:43.498+00:00`), a boolean as 1 or 0.
 */
function toSql(value: SqlParam): string | number | bigint | Buffer | null {
  if (value instanceof Date) return sqlDate(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** A DateTime as the adapter stores it. */
export function sqlDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/**
 * A DateTime column read here. Prisma writes ISO text with an offset; SQLite's own CURRENT_TIMESTAMP (a column
 * default, used only when an insert leaves the column out) writes `yyyy-MM-dd HH:mm:ss` in UTC without saying so,
 * which `new Date` would take as local time.
 */
export function readDate(value: string | number): Date {
  if (typeof value === 'number') return new Date(value);
  return new Date(
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value,
  );
}

export function readDateOrNull(value: string | number | null): Date | null {
  return value === null ? null : readDate(value);
}

/** A Boolean column read here (SQLite stores 1 or 0). */
export function readBool(value: number | bigint): boolean {
  return value !== 0 && value !== 0n;
}

/**
 * A new id for a row inserted here, where Prisma's `@default(cuid())` is not applied. The Prisma client generates
 * those ids itself with the cuid v1 algorithm bundled from @bugsnag/cuid; this is that library, so ids look alike
 * and, like Prisma's, sort in creation order within a process (timestamp, then a counter), which the order view
 * relies on for its items.
 */
export function newId(): string {
  return cuid();
}

/**
 * Whether `error` is SQLite refusing a duplicate in `table` (optionally on `column`): better-sqlite3's SqliteError
 * says `UNIQUE constraint failed: Table.column, ...` with code SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY.
 */
export function isSqliteUniqueViolation(error: unknown, table: string, column?: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return false;
  const columns = (error.message.split('constraint failed: ')[1] ?? '').split(', ');
  return columns.some(
    (qualified) =>
      qualified.startsWith(`${table}.`) && (column === undefined || qualified === `${table}.${column}`),
  );
}
