// Portable SQL on the Prisma client's own connections: the one way the money tables are written, on both engines.
import cuid from '@bugsnag/cuid';

import type { Db } from './client';
import type { Engine } from './location';

/*
 * Why this exists (prisma/README.md, "One data layer for money", has the measurements): a statement through the
 * Prisma client costs 150-250 µs of CPU, the same SQL as a prepared statement on the driver 5-12 µs on SQLite and
 * a network round trip on PostgreSQL. Placing an order or applying a notify is about a dozen statements, so the money
 * paths run here, on the connections the client itself uses (its better-sqlite3 connection under its mutex, or its
 * pg pool), and everything else stays on Prisma.
 *
 * The SQL is written once and runs on both engines. The rules that make that possible:
 * - `?` placeholders (PostgreSQL's `$n` are produced by its transport), double-quoted identifiers, no engine functions;
 *   what differs between engines (a text search, a China-time day) comes from `tx.dialect`.
 * - Parameters are JavaScript values: a Date is stored as each engine's Prisma adapter stores it, a boolean as the
 *   engine's boolean. Rows come back as the driver returns them: read DateTime columns with readDate, Boolean
 *   columns with readBool, and count/sum results with readInt.
 * - A write that may find its row taken uses `ON CONFLICT (...) DO NOTHING` and checks the row count: after an error
 *   PostgreSQL aborts the whole transaction, so an error must never be caught and worked around inside one.
 * - Every guarded update's row count is checked by the caller (`run` returns it).
 */

/** What a statement may be given. */
export type SqlParam = string | number | bigint | boolean | Date | Buffer | null;

export interface SqlReader {
  readonly engine: Engine;
  /** Engine-specific fragments, for the few things the two engines spell differently. */
  readonly dialect: Dialect;
  /** The first row, or undefined. */
  get<Row>(sql: string, ...params: SqlParam[]): Promise<Row | undefined>;
  all<Row>(sql: string, ...params: SqlParam[]): Promise<Row[]>;
}

/** Reads and writes inside one transaction. */
export interface SqlTx extends SqlReader {
  /** Runs a write and returns how many rows it changed (the guarded-update check). */
  run(sql: string, ...params: SqlParam[]): Promise<number>;
  /**
   * Inserts rows into `table`: every property of a row is a column, and all rows have the same columns. Pass whole
   * model objects (`const order: Order = {...}`) so the compiler asks for every column, as Prisma would have written
   * them. Returns how many rows were written: with `onConflictDoNothing` (the conflicting columns), a row that
   * collides with an existing one is skipped instead of failing the transaction.
   */
  insert(
    table: string,
    rows: Readonly<Record<string, SqlParam>> | ReadonlyArray<Readonly<Record<string, SqlParam>>>,
    options?: { onConflictDoNothing?: readonly string[] },
  ): Promise<number>;
}

/** The two ways in: one transaction, or plain reads. */
export interface SqlAccess {
  readonly engine: Engine;
  readonly dialect: Dialect;
  /**
   * Runs `work` in one transaction: COMMIT when it resolves, ROLLBACK and rethrow when it throws. On SQLite the write
   * lock is taken first (BEGIN IMMEDIATE); on PostgreSQL a deadlock or serialization failure reruns `work` from the
   * start, so `work` must do nothing but database work (no gateway calls, no other side effects).
   */
  transaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T>;
  /** Plain reads outside a transaction. */
  read<T>(work: (q: SqlReader) => Promise<T>): Promise<T>;
  /**
   * Statements outside a transaction, each committed on its own as it runs (autocommit): for one write that needs
   * nothing to commit with it, without BEGIN and COMMIT (two round trips on PostgreSQL).
   */
  autocommit<T>(work: (q: SqlTx) => Promise<T>): Promise<T>;
}

/** What the two engines spell differently. Each engine's transport supplies one; nothing else writes such SQL. */
export interface Dialect {
  /** `haystack` contains the text bound to the next `?`, as plain characters (no wildcards), case-insensitively. */
  containsText(haystack: string): string;
  /** `haystack` starts with the text bound to the next `?`, as plain characters. */
  startsWithText(haystack: string): string;
  /** The China calendar day (UTC+8, `yyyy-MM-dd`) of a DateTime column, as text. */
  chinaDay(column: string): string;
  /**
   * Appended to a SELECT that reads rows the transaction is about to change: PostgreSQL locks them (` FOR NO KEY UPDATE`),
   * so concurrent transactions on one row queue at the read instead of acting on what they read before the other
   * committed. Empty on SQLite, where a transaction holds the database's write lock from its start.
   */
  forUpdate: string;
  /** forUpdate for a join: only the rows of the table aliased `alias` are locked. */
  forUpdateOf(alias: string): string;
}

/** How one engine runs SQL for one client; registered by createDb. */
export interface SqlTransport extends SqlAccess {
  /** Whether `error` is a duplicate key on `table` (optionally on `column`). */
  isUniqueViolation(error: unknown, table: string, column?: string): boolean;
}

const transports = new WeakMap<object, SqlTransport>();

/** Called by createDb. */
export function registerTransport(db: object, transport: SqlTransport): void {
  transports.set(db, transport);
}

function transportOf(db: Db): SqlTransport {
  const transport = transports.get(db);
  if (!transport) throw new Error('sql() needs a client made by createDb');
  return transport;
}

/** Portable SQL on the connections of `db` (a client from createDb). */
export function sql(db: Db): SqlAccess {
  return transportOf(db);
}

/** Which engine `db` runs on. */
export function engineOf(db: Db): Engine {
  return transportOf(db).engine;
}

/** Whether `error` (from sql() or from the Prisma client) is a duplicate key on `table` (and `column`). */
export function isUniqueViolation(db: Db, error: unknown, table: string, column?: string): boolean {
  return transportOf(db).isUniqueViolation(error, table, column);
}

/** The column list and placeholders of an insert, checked to be the same for every row. */
export function insertShape(
  table: string,
  rows: ReadonlyArray<Readonly<Record<string, SqlParam>>>,
): { columns: string[]; values: SqlParam[] } {
  const first = rows[0];
  if (!first) throw new Error(`insert into ${table} with no rows`);
  const columns = Object.keys(first);
  const values: SqlParam[] = [];
  for (const row of rows) {
    const keys = Object.keys(row);
    if (keys.length !== columns.length || keys.some((key, i) => key !== columns[i])) {
      throw new Error(`insert into ${table}: every row must have the same columns in the same order`);
    }
    for (const column of columns) values.push(row[column] ?? null);
  }
  return { columns, values };
}

/**
 * The INSERT statement for `rowCount` rows of `columns`. Table and column names come from the caller's code, never
 * from input; the text is the same for every call of one shape, so its prepared statement is reused.
 */
export function insertSql(
  table: string,
  columns: readonly string[],
  rowCount: number,
  onConflictDoNothing?: readonly string[],
): string {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const conflict = onConflictDoNothing
    ? ` ON CONFLICT (${onConflictDoNothing.map((c) => `"${c}"`).join(', ')}) DO NOTHING`
    : '';
  return (
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ` +
    Array.from({ length: rowCount }, () => tuple).join(', ') +
    conflict
  );
}

/** The rows of an `insert` call as an array. */
export function rowsOf(
  rows: Readonly<Record<string, SqlParam>> | ReadonlyArray<Readonly<Record<string, SqlParam>>>,
): ReadonlyArray<Readonly<Record<string, SqlParam>>> {
  return isRowList(rows) ? rows : [rows];
}

function isRowList(
  rows: Readonly<Record<string, SqlParam>> | ReadonlyArray<Readonly<Record<string, SqlParam>>>,
): rows is ReadonlyArray<Readonly<Record<string, SqlParam>>> {
  return Array.isArray(rows);
}

/**
 * A DateTime column read through sql(). SQLite holds ISO text as Prisma's adapter writes it (or, for a column
 * default, `yyyy-MM-dd HH:mm:ss` in UTC without saying so, which `new Date` would take as local time); PostgreSQL's
 * transport returns a Date.
 */
export function readDate(value: string | number | Date): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  return new Date(
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value,
  );
}

export function readDateOrNull(value: string | number | Date | null): Date | null {
  return value === null ? null : readDate(value);
}

/** A Boolean column read through sql(): SQLite stores 1 or 0, PostgreSQL has booleans. */
export function readBool(value: boolean | number | bigint): boolean {
  return value === true || (value !== false && value !== 0 && value !== 0n);
}

/** A count or sum read through sql(): a number on SQLite, a bigint's text or a number on PostgreSQL. */
export function readInt(value: number | bigint | string | null): number {
  if (value === null) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${String(value)}`);
  return n;
}

/**
 * A new id for a row inserted through sql(), where Prisma's `@default(cuid())` is not applied. The Prisma client
 * generates those ids itself with the cuid v1 algorithm bundled from @bugsnag/cuid; this is that library, so ids look
 * alike and, like Prisma's, sort in creation order within a process (timestamp, then a counter), which the order
 * view relies on for its items.
 */
export function newId(): string {
  return cuid();
}
