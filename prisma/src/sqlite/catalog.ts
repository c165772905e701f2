// What a SQLite database holds, read from its own catalog (sqlite_master and table_info), for the copy to PostgreSQL.
import type { Database } from 'better-sqlite3';

/** A table as the database's catalog describes it: its name and its columns in declared order. */
export interface CatalogTable {
  name: string;
  columns: string[];
}

/**
 * The tables of a SQLite database with their columns, by name: every table but SQLite's own (`sqlite_*`) and the
 * migration history (`_prisma_migrations`, which each engine keeps for its own migrations).
 */
export function sqliteTables(database: Database): CatalogTable[] {
  const names = database
    .prepare(
      `SELECT "name" FROM "sqlite_master" WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite\\_%' ESCAPE '\\'
       AND "name" <> '_prisma_migrations' ORDER BY "name"`,
    )
    .pluck()
    .all() as string[];
  return names.map((name) => ({
    name,
    columns: (
      database.prepare('SELECT "name", "cid" FROM pragma_table_info(?) ORDER BY "cid"').all(name) as Array<{
        name: string;
      }>
    ).map((column) => column.name),
  }));
}
