// PostgreSQL's spelling of "what is on disk for a table", for tests (see testing/stored-bytes.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Db } from '../client';
import { sql } from '../sql';

/**
 * The heap file of `table` after a CHECKPOINT has written every dirty page, read from the server's data directory
 * (the tests' private cluster keeps it on this machine).
 */
export async function postgresStoredBytes(db: Db, table: string): Promise<Buffer> {
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
