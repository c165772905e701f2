// SQLite's spelling of "what is on disk for a table", for tests (see testing/stored-bytes.ts).
import { existsSync, readFileSync } from 'node:fs';

import type { Db } from '../client';

/**
 * The database file and its WAL after a checkpoint has copied every committed page into the file. SQLite keeps all
 * tables in one file, so this is the whole database.
 */
export async function sqliteStoredBytes(db: Db, file: string): Promise<Buffer> {
  await db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
  const wal = `${file}-wal`;
  return Buffer.concat([readFileSync(file), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)]);
}
