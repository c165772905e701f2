// Moving a SQLite shop to PostgreSQL: every table, in one PostgreSQL transaction, checked by counts and money sums.
import { existsSync } from 'node:fs';

import Database from 'better-sqlite3';

import { closeDb, createDb } from '../client';
import { describeLocation, toLocation, type DbLocation } from '../location';
import { applyMigrations, migrationStatus } from '../migrate';
import { FIGURE_SQL, sameFigures, type MoneyFigures } from '../figures';
import { databaseExists } from '../postgres/admin';
import {
  lockTables,
  postgresTableNames,
  postgresTables,
  resetSequences,
  type PostgresColumn,
  type PostgresTable,
} from '../postgres/catalog';
import { readDate, readInt, sql, type SqlParam, type SqlReader, type SqlTx } from '../sql';
import { sqliteTables, type CatalogTable } from '../sqlite/catalog';

export type { MoneyFigures };

/*
 * Why the tables come from the catalogs and not from a list: a list kept here would drift from schema.prisma the day
 * a model is added, and the new table would silently stay behind. The source's tables are read from SQLite's
 * catalog, the target's (with their column types, foreign keys and sequences) from PostgreSQL's after it is migrated
 * by the same checkout; the two must name the same tables and columns, or nothing is copied. The types of the target's
 * columns say how each SQLite value is written (a 0/1 integer becomes a boolean, ISO text a UTC timestamp, ...), and
 * its foreign keys give the order. The copy goes through sql(db), the project's data layer, so values are written
 * exactly as the API writes them.
 */

/** The copy was not attempted, or was rolled back: the message says why and what to do. */
export class CopyRefused extends Error {
  override readonly name = 'CopyRefused';
}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface CopyReport {
  from: string;
  to: string;
  /** Migrations applied to the target before the copy (none when it was already migrated). */
  appliedMigrations: string[];
  /** Every table, in the order it was copied (referenced tables first), with its rows on each side. */
  tables: TableCount[];
  figures: { source: MoneyFigures; target: MoneyFigures };
  /** Sequences moved past the copied values (serial or identity columns; the shop's ids are cuids, so usually none). */
  sequences: Array<{ sequence: string; next: number }>;
  /** The source's counts or figures changed while it was being copied: something still writes to it. */
  sourceChanged: boolean;
  /** Every count and figure equal, and the source unchanged. */
  matches: boolean;
  durationMs: number;
}

export interface CopyOptions {
  /** The SQLite shop: a path or `file:` URL. */
  from: string | DbLocation;
  /** The PostgreSQL database: `postgresql://...`; created and migrated when missing. */
  to: string | DbLocation;
  /** Called with a line at each step. */
  progress?: (line: string) => void;
}

/** Parameters per INSERT statement: well under PostgreSQL's limit of 65,535. */
const PARAMS_PER_INSERT = 20_000;

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function countSql(table: string): string {
  return `SELECT count(*) AS "v" FROM ${quoted(table)}`;
}

/**
 * Copies the SQLite shop `from` into the PostgreSQL database `to`: migrates the target (creating the database when
 * missing), refuses a target that holds any row, copies every table in foreign-key order inside one PostgreSQL
 * transaction, moves sequences past the copied values, and compares per-table row counts and the money figures of
 * both sides. Throws CopyRefused when it cannot start or had to roll back; otherwise returns the report, whose
 * `matches` says whether the copy agrees with the source.
 */
export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyReport> {
  const startedAt = Date.now();
  const progress = options.progress ?? (() => {});
  const from = toLocation(options.from);
  const to = toLocation(options.to);
  if (from.engine !== 'sqlite')
    throw new CopyRefused(`the source must be a SQLite file, not ${describeLocation(from)}`);
  if (to.engine !== 'postgresql') {
    throw new CopyRefused(
      `the target must be a PostgreSQL database (postgresql://...), not ${describeLocation(to)}`,
    );
  }
  if (!existsSync(from.file)) throw new CopyRefused(`the source ${from.file} does not exist`);

  const status = await migrationStatus(from);
  if (status.applied.length === 0) {
    throw new CopyRefused(
      `the source ${from.file} is not a migrated shop database (it has no migration history)`,
    );
  }
  if (status.pending.length > 0) {
    throw new CopyRefused(
      `the source lacks ${status.pending.length} migration(s) of this checkout (${status.pending.join(', ')}): ` +
        `migrate it first with DATABASE_URL=${from.url} pnpm db:migrate`,
    );
  }
  // Before migrating: a database that holds anything else must not be altered by the shop's migrations.
  if (await databaseExists(to.url)) await refuseUnlessEmpty(to);
  const appliedMigrations = await applyMigrations(to);
  progress(
    appliedMigrations.length
      ? `migrated the target: ${appliedMigrations.length} migration(s) applied`
      : 'the target was already migrated',
  );

  const source = new Database(from.file, { readonly: true, fileMustExist: true });
  const db = createDb(to, { poolSize: 2 });
  try {
    const target = sql(db);
    const sourceTables = sqliteTables(source);
    const targetTables = await target.read(postgresTables);
    const problems = compareCatalogs(sourceTables, targetTables);
    if (problems.length > 0) {
      throw new CopyRefused(
        `the source and the migrated target do not have the same tables and columns, so the source was not made ` +
          `by this checkout's migrations:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      );
    }
    const ordered = dependencyOrder(targetTables);

    // One read transaction on the source: the rows, their counts and the figures all come from one snapshot.
    source.exec('BEGIN');
    let snapshot: { counts: Map<string, number>; figures: MoneyFigures };
    let sequences: CopyReport['sequences'];
    try {
      snapshot = {
        counts: new Map(ordered.map((t) => [t.name, Number(sqliteValue(source, countSql(t.name)))])),
        figures: sqliteFigures(source),
      };
      sequences = await target.transaction(async (tx) => {
        await lockTables(
          tx,
          ordered.map((t) => t.name),
        );
        const held = await rowsHeld(
          tx,
          ordered.map((t) => t.name),
        );
        if (held.length > 0) throw refusedForData(held);
        for (const table of ordered) {
          const expected = snapshot.counts.get(table.name) ?? 0;
          const written = await copyTable(source, tx, table);
          const found = readInt((await tx.get<{ v: number | string }>(countSql(table.name)))?.v ?? 0);
          if (written !== expected || found !== expected) {
            throw new CopyRefused(
              `"${table.name}": the source has ${expected} rows, ${written} were written and the target holds ` +
                `${found}; the copy was rolled back and the target left empty`,
            );
          }
          progress(`copied ${table.name} (${expected} row${expected === 1 ? '' : 's'})`);
        }
        return resetSequences(tx, ordered);
      });
    } finally {
      source.exec('COMMIT');
    }
    for (const s of sequences) progress(`sequence ${s.sequence} continues at ${s.next}`);

    // After the commit, read back through the target's own connections, and the source once more.
    const targetCounts = await target.read(async (q) => {
      const counts = new Map<string, number>();
      for (const table of ordered)
        counts.set(table.name, readInt((await q.get<{ v: number | string }>(countSql(table.name)))?.v ?? 0));
      return counts;
    });
    const targetFigures = await target.read(postgresFigures);
    const sourceNow = {
      counts: new Map(ordered.map((t) => [t.name, Number(sqliteValue(source, countSql(t.name)))])),
      figures: sqliteFigures(source),
    };
    const sourceChanged =
      ordered.some((t) => sourceNow.counts.get(t.name) !== snapshot.counts.get(t.name)) ||
      !sameFigures(sourceNow.figures, snapshot.figures);
    const tables = ordered.map((t) => ({
      table: t.name,
      source: snapshot.counts.get(t.name) ?? 0,
      target: targetCounts.get(t.name) ?? 0,
    }));
    const matches =
      !sourceChanged &&
      tables.every((t) => t.source === t.target) &&
      sameFigures(snapshot.figures, targetFigures);
    return {
      from: describeLocation(from),
      to: describeLocation(to),
      appliedMigrations,
      tables,
      figures: { source: snapshot.figures, target: targetFigures },
      sequences,
      sourceChanged,
      matches,
      durationMs: Date.now() - startedAt,
    };
  } finally {
    source.close();
    await closeDb(db);
  }
}

/** Refuses an existing target that holds rows, or tables without the shop's migration history. */
async function refuseUnlessEmpty(to: DbLocation): Promise<void> {
  const db = createDb(to, { poolSize: 1 });
  try {
    await sql(db).read(async (q) => {
      const names = await postgresTableNames(q);
      if (names.length > 0 && !names.includes('_prisma_migrations')) {
        throw new CopyRefused(
          `the target ${describeLocation(to)} already holds tables that are not a migrated shop's ` +
            `(${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}): copy into a new, empty database`,
        );
      }
      const held = await rowsHeld(
        q,
        names.filter((name) => name !== '_prisma_migrations'),
      );
      if (held.length > 0) throw refusedForData(held);
    });
  } finally {
    await closeDb(db);
  }
}

async function rowsHeld(
  q: SqlReader,
  names: readonly string[],
): Promise<Array<{ table: string; rows: number }>> {
  const held: Array<{ table: string; rows: number }> = [];
  for (const name of names) {
    const rows = readInt((await q.get<{ v: number | string }>(countSql(name)))?.v ?? 0);
    if (rows > 0) held.push({ table: name, rows });
  }
  return held;
}

function refusedForData(held: ReadonlyArray<{ table: string; rows: number }>): CopyRefused {
  const listed = held.map((h) => `${h.table} ${h.rows}`).join(', ');
  return new CopyRefused(
    `the target already holds data (${listed}); nothing was copied: copy into a new, empty database`,
  );
}

/** What differs between the source's tables and columns and the target's (empty when they name the same ones). */
export function compareCatalogs(source: readonly CatalogTable[], target: readonly PostgresTable[]): string[] {
  const problems: string[] = [];
  const targetByName = new Map(target.map((t) => [t.name, t]));
  const sourceNames = new Set(source.map((t) => t.name));
  for (const table of source) {
    const other = targetByName.get(table.name);
    if (!other) {
      problems.push(`table "${table.name}" is in the source but not in the target`);
      continue;
    }
    const targetColumns = new Set(other.columns.map((c) => c.name));
    for (const column of table.columns) {
      if (!targetColumns.has(column))
        problems.push(`column "${table.name}"."${column}" is only in the source`);
    }
    for (const column of other.columns) {
      if (!table.columns.includes(column.name)) {
        problems.push(`column "${table.name}"."${column.name}" is only in the target`);
      }
    }
  }
  for (const table of target) {
    if (!sourceNames.has(table.name))
      problems.push(`table "${table.name}" is in the target but not in the source`);
  }
  return problems;
}

/**
 * The tables with every table after the ones its foreign keys point to (Kahn's algorithm, ties by name, so the
 * order is the same on every run). A cycle, a table referring to itself included, is refused: its rows would need
 * an order inside the table, which nothing in the schema calls for today.
 */
export function dependencyOrder(tables: readonly PostgresTable[]): PostgresTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const waiting = new Map(tables.map((t) => [t.name, new Set(t.references.filter((r) => byName.has(r)))]));
  const ordered: PostgresTable[] = [];
  while (waiting.size > 0) {
    const ready = [...waiting]
      .filter(([, deps]) => deps.size === 0)
      .map(([name]) => name)
      .sort();
    if (ready.length === 0) {
      throw new CopyRefused(
        `the tables ${[...waiting.keys()].sort().join(', ')} refer to each other in a cycle; the copy has no order for them`,
      );
    }
    for (const name of ready) {
      ordered.push(byName.get(name)!);
      waiting.delete(name);
      for (const deps of waiting.values()) deps.delete(name);
    }
  }
  return ordered;
}

/** Copies one table's rows from the open source snapshot in multi-row INSERTs; returns how many were written. */
async function copyTable(source: Database.Database, tx: SqlTx, table: PostgresTable): Promise<number> {
  const names = table.columns.map((c) => c.name);
  const statement = source
    .prepare(`SELECT ${names.map(quoted).join(', ')} FROM ${quoted(table.name)}`)
    .raw(true)
    // Every integer as a bigint, so a BigInt column keeps all its digits; Int columns are narrowed below.
    .safeIntegers(true);
  const perInsert = Math.max(1, Math.floor(PARAMS_PER_INSERT / names.length));
  let batch: Array<Record<string, SqlParam>> = [];
  let written = 0;
  let rowNumber = 0;
  for (const values of statement.iterate() as IterableIterator<unknown[]>) {
    rowNumber++;
    const row: Record<string, SqlParam> = {};
    table.columns.forEach((column, i) => {
      row[column.name] = toTarget(values[i], column, () => rowLabel(table, values, rowNumber));
    });
    batch.push(row);
    if (batch.length === perInsert) {
      written += await tx.insert(table.name, batch);
      batch = [];
    }
  }
  if (batch.length > 0) written += await tx.insert(table.name, batch);
  return written;
}

function rowLabel(table: PostgresTable, values: readonly unknown[], rowNumber: number): string {
  const id = table.columns.findIndex((c) => c.name === 'id');
  return id >= 0 ? `"${table.name}" row id ${String(values[id])}` : `"${table.name}" row ${rowNumber}`;
}

/**
 * A SQLite value as the target column's type takes it. SQLite stores what it is given whatever the declared type,
 * so a value of the wrong kind is refused by name rather than guessed at.
 */
export function toTarget(value: unknown, column: PostgresColumn, where: () => string): SqlParam {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case 'text':
      if (typeof value === 'string') return value;
      break;
    case 'int':
      if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value);
      break;
    case 'bigint':
      if (typeof value === 'bigint') return value;
      break;
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      break;
    case 'decimal':
      // Prisma's Decimal on SQLite is a number or its text; PostgreSQL reads the text exactly.
      if (typeof value === 'number' || typeof value === 'bigint') return String(value);
      if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return value;
      break;
    case 'bool':
      if (value === 0n || value === 1n) return value === 1n;
      break;
    case 'timestamp': {
      // ISO text as Prisma's adapter writes it, `yyyy-MM-dd HH:mm:ss` (UTC) from a column default, or epoch ms.
      const date =
        typeof value === 'bigint'
          ? new Date(Number(value))
          : typeof value === 'string'
            ? readDate(value)
            : null;
      if (date && !Number.isNaN(date.getTime())) return date;
      break;
    }
    case 'bytes':
      if (Buffer.isBuffer(value)) return value;
      break;
    case 'json':
      if (typeof value === 'string' && isJson(value)) return value;
      break;
  }
  const shown =
    typeof value === 'string'
      ? JSON.stringify(value.slice(0, 40))
      : Buffer.isBuffer(value)
        ? `${value.length} bytes`
        : typeof value === 'number' || typeof value === 'bigint'
          ? `the ${typeof value} ${value}`
          : `a value of type ${typeof value}`;
  throw new CopyRefused(
    `${where()}: column "${column.name}" holds ${shown}, which is not a ${column.type}; nothing was copied`,
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function sqliteValue(source: Database.Database, text: string): bigint {
  const value = source.prepare(text).pluck().safeIntegers(true).get() as bigint | number | null;
  return BigInt(value ?? 0);
}

function sqliteFigures(source: Database.Database): MoneyFigures {
  return {
    orders: sqliteValue(source, FIGURE_SQL.orders),
    paidFen: sqliteValue(source, FIGURE_SQL.paidFen),
    refundedFen: sqliteValue(source, FIGURE_SQL.refundedFen),
  };
}

async function postgresFigures(q: SqlReader): Promise<MoneyFigures> {
  const value = async (text: string) => BigInt((await q.get<{ v: number | string }>(text))?.v ?? 0);
  return {
    orders: await value(FIGURE_SQL.orders),
    paidFen: await value(FIGURE_SQL.paidFen),
    refundedFen: await value(FIGURE_SQL.refundedFen),
  };
}
