// What a table looks like on disk, for tests that prove a secret is never stored in plain text.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { Db } from '../client';
import { engineOf, sql } from '../sql';

/**
 * The bytes the database keeps on disk for `table`, after everything written so far has reached the files. SQLite:
 * the whole database file and its WAL after a checkpoint. PostgreSQL: the table's heap file after a CHECKPOINT (read
 * from the data directory, which the test's private cluster keeps on this machine).
 */
export async function storedBytes(db: Db, table: string, sqliteFile?: string): Promise<Buffer> {
  if (engineOf(db) === 'sqlite') {
    if (!sqliteFile) throw new Error('storedBytes on SQLite needs the database file');
    await db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
    const wal = `${sqliteFile}-wal`;
    return Buffer.concat([readFileSync(sqliteFile), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)]);
  }
  const row = await sql(db).read(async (q) => {
    await q.get('CHECKPOINT');
    return q.get<{ dir: string; file: string }>(
      `SELECT current_setting('data_directory') AS "dir", pg_relation_filepath(?) AS "file"`,
      `"${table}"`,
    );
  });
  if (!row) throw new Error(`no file for table ${table}`);
  return readFileSync(path.join(row.dir, row.file));
}
