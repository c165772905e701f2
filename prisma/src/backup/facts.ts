// What a backup promises about the database it holds, read the same way from the source's snapshot and from the
// restored database: the migrations applied, every table's row count and the money figures.
import type { Database } from 'better-sqlite3';
import type pg from 'pg';

import { FIGURE_NAMES, FIGURE_SQL, type MoneyFigures } from '../figures';
import { sqliteTables } from '../sqlite/catalog';

export interface DatabaseFacts {
  /** The migrations recorded as applied in `_prisma_migrations`, by name, in order. */
  migrations: string[];
  /** Every table but the migration history, with its rows. */
  tables: Record<string, number>;
  figures: MoneyFigures;
}

const APPLIED_MIGRATIONS_SQL = `SELECT "migration_name" AS "v" FROM "_prisma_migrations"
  WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL ORDER BY "migration_name"`;

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function asBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' || typeof value === 'string') return BigInt(value);
  return 0n;
}

/** The facts of a SQLite database, on a connection that sees one snapshot (a backup file nothing else writes). */
export function sqliteFacts(database: Database): DatabaseFacts {
  const value = (text: string) => asBigInt(database.prepare(text).pluck().safeIntegers(true).get());
  const tables: Record<string, number> = {};
  for (const table of sqliteTables(database)) {
    tables[table.name] = Number(value(`SELECT count(*) AS "v" FROM ${quoted(table.name)}`));
  }
  const figures = Object.fromEntries(
    FIGURE_NAMES.map((name) => [name, value(FIGURE_SQL[name])]),
  ) as unknown as MoneyFigures;
  const migrations = database.prepare(APPLIED_MIGRATIONS_SQL).pluck().all() as string[];
  return { migrations, tables, figures };
}

/**
 * The facts of a PostgreSQL database, read by `client` in whatever transaction it has open: inside the REPEATABLE
 * READ transaction whose snapshot pg_dump is given, they describe exactly what the dump holds.
 */
export async function postgresFacts(client: pg.ClientBase): Promise<DatabaseFacts> {
  const value = async (text: string) => asBigInt((await client.query<{ v: unknown }>(text)).rows[0]?.v);
  const names = (
    await client.query<{ name: string }>(
      `SELECT "table_name" AS "name" FROM information_schema.tables
       WHERE "table_schema" = current_schema() AND "table_type" = 'BASE TABLE'
         AND "table_name" <> '_prisma_migrations' ORDER BY "table_name"`,
    )
  ).rows.map((row) => row.name);
  const tables: Record<string, number> = {};
  for (const name of names) tables[name] = Number(await value(`SELECT count(*) AS "v" FROM ${quoted(name)}`));
  const figures = {} as MoneyFigures;
  for (const name of FIGURE_NAMES) figures[name] = await value(FIGURE_SQL[name]);
  const migrations = (await client.query<{ v: string }>(APPLIED_MIGRATIONS_SQL)).rows.map((row) => row.v);
  return { migrations, tables, figures };
}

/** Every way `actual` differs from `expected`, in words; empty when they agree. */
export function compareFacts(expected: DatabaseFacts, actual: DatabaseFacts): string[] {
  const problems: string[] = [];
  const names = [...new Set([...Object.keys(expected.tables), ...Object.keys(actual.tables)])].sort();
  for (const name of names) {
    const want = expected.tables[name];
    const got = actual.tables[name];
    if (want === undefined) problems.push(`table "${name}" is not in the backup's manifest`);
    else if (got === undefined) problems.push(`table "${name}" (${want} rows in the backup) is missing`);
    else if (want !== got) problems.push(`table "${name}": ${got} rows, the backup has ${want}`);
  }
  for (const name of FIGURE_NAMES) {
    if (expected.figures[name] !== actual.figures[name]) {
      problems.push(`${name}: ${actual.figures[name]}, the backup has ${expected.figures[name]}`);
    }
  }
  if (expected.migrations.join('\n') !== actual.migrations.join('\n')) {
    problems.push(
      `migrations: ${actual.migrations.at(-1) ?? 'none'} (${actual.migrations.length}), the backup has ` +
        `${expected.migrations.at(-1) ?? 'none'} (${expected.migrations.length})`,
    );
  }
  return problems;
}
