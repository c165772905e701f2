// What a PostgreSQL database holds, read from its catalog, for the copy from SQLite: tables, column types, foreign
// keys and the sequences behind serial or identity columns.
import type { SqlReader, SqlTx } from '../sql';

/** How a column's values are written, by the column's PostgreSQL type. */
export type ColumnKind =
  'text' | 'int' | 'bigint' | 'float' | 'decimal' | 'bool' | 'timestamp' | 'bytes' | 'json';

export interface PostgresColumn {
  name: string;
  /** The type as information_schema names it (`timestamp without time zone`, `USER-DEFINED` for an enum, ...). */
  type: string;
  kind: ColumnKind;
  /** The sequence that numbers the column (serial or identity), if any. */
  sequence: string | null;
}

export interface PostgresTable {
  name: string;
  columns: PostgresColumn[];
  /** The tables this one's foreign keys point to (itself included, when it refers to itself). */
  references: string[];
}

/** information_schema's data_type to how values go in; a type missing here is refused by name, never guessed. */
const KINDS: Record<string, ColumnKind> = {
  text: 'text',
  'character varying': 'text',
  character: 'text',
  uuid: 'text',
  'USER-DEFINED': 'text',
  integer: 'int',
  smallint: 'int',
  bigint: 'bigint',
  'double precision': 'float',
  real: 'float',
  numeric: 'decimal',
  boolean: 'bool',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamp',
  date: 'timestamp',
  bytea: 'bytes',
  jsonb: 'json',
  json: 'json',
};

/**
 * The tables of the current schema with their columns (in declared order) and foreign keys, except the migration
 * history (`_prisma_migrations`). Throws, naming the column, for a column type the copy has no rule for.
 */
export async function postgresTables(q: SqlReader): Promise<PostgresTable[]> {
  const columns = await q.all<{
    table: string;
    column: string;
    type: string;
    udt: string;
    sequence: string | null;
  }>(
    `SELECT c."table_name" AS "table", c."column_name" AS "column", c."data_type" AS "type", c."udt_name" AS "udt",
            pg_get_serial_sequence(format('%I.%I', c."table_schema", c."table_name"), c."column_name") AS "sequence"
     FROM information_schema.columns c
     JOIN information_schema.tables t
       ON t."table_schema" = c."table_schema" AND t."table_name" = c."table_name" AND t."table_type" = 'BASE TABLE'
     WHERE c."table_schema" = current_schema() AND c."table_name" <> '_prisma_migrations'
     ORDER BY c."table_name", c."ordinal_position"`,
  );
  const keys = await q.all<{ table: string; references: string }>(
    `SELECT DISTINCT src."relname" AS "table", dst."relname" AS "references"
     FROM pg_constraint k
     JOIN pg_class src ON src."oid" = k."conrelid"
     JOIN pg_class dst ON dst."oid" = k."confrelid"
     WHERE k."contype" = 'f' AND src."relnamespace" = current_schema()::regnamespace`,
  );
  const tables = new Map<string, PostgresTable>();
  for (const row of columns) {
    const kind = KINDS[row.type];
    if (!kind) {
      throw new Error(
        `column "${row.table}"."${row.column}" has the type ${row.type} (${row.udt}), which the copy has no rule for`,
      );
    }
    let table = tables.get(row.table);
    if (!table) {
      table = { name: row.table, columns: [], references: [] };
      tables.set(row.table, table);
    }
    table.columns.push({ name: row.column, type: row.type, kind, sequence: row.sequence });
  }
  for (const key of keys) tables.get(key.table)?.references.push(key.references);
  return [...tables.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Locks the tables against every other writer until the transaction ends (reads still pass), so nothing can write
 * into the target between the check that it is empty and the commit.
 */
export async function lockTables(tx: SqlTx, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await tx.run(`LOCK TABLE ${names.map(quoted).join(', ')} IN EXCLUSIVE MODE`);
}

/**
 * Moves each serial or identity column's sequence past the largest value copied, so the next row PostgreSQL numbers
 * does not collide with a copied one. Returns the sequences it set, with the value the next row gets.
 */
export async function resetSequences(
  tx: SqlTx,
  tables: readonly PostgresTable[],
): Promise<Array<{ sequence: string; next: number }>> {
  const done: Array<{ sequence: string; next: number }> = [];
  for (const table of tables) {
    for (const column of table.columns) {
      if (!column.sequence) continue;
      const row = await tx.get<{ next: number | string }>(
        `SELECT setval(CAST(? AS regclass), COALESCE((SELECT max(${quoted(column.name)}) FROM ${quoted(table.name)}), 0) + 1, false) AS "next"`,
        column.sequence,
      );
      done.push({ sequence: column.sequence, next: Number(row?.next) });
    }
  }
  return done;
}

/** Every base table of the current schema by name, the migration history included. */
export async function postgresTableNames(q: SqlReader): Promise<string[]> {
  const rows = await q.all<{ name: string }>(
    `SELECT "table_name" AS "name" FROM information_schema.tables
     WHERE "table_schema" = current_schema() AND "table_type" = 'BASE TABLE' ORDER BY "table_name"`,
  );
  return rows.map((row) => row.name);
}
