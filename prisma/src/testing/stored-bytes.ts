// What a table looks like on disk, for tests that prove a secret is never stored in plain text.
import type { Db } from '../client';
import { postgresStoredBytes } from '../postgres/stored-bytes';
import { engineOf } from '../sql';
import { sqliteStoredBytes } from '../sqlite/stored-bytes';

/**
 * The bytes the database keeps on disk for `table`, after everything written so far has reached the files. SQLite:
 * the whole database file and its WAL after a checkpoint. PostgreSQL: the table's heap file after a CHECKPOINT (read
 * from the data directory, which the test's private cluster keeps on this machine).
 */
export async function storedBytes(db: Db, table: string, sqliteFile?: string): Promise<Buffer> {
  if (engineOf(db) === 'sqlite') {
    if (!sqliteFile) throw new Error('storedBytes on SQLite needs the database file');
    return sqliteStoredBytes(db, sqliteFile);
  }
  return postgresStoredBytes(db, table);
}
