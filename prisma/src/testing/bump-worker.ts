// A second process for the SQLite connection and transport tests: bumps a category's sortOrder in N read-then-write
// transactions, through Prisma (the default) or through sql(db) (`sql`).
import { closeDb, createDb } from '../client';
import { bumpSortOrder, bumpSortOrderSql } from './bump';

const [file, categoryId, rounds, mode = 'prisma'] = process.argv.slice(2);
if (!file || !categoryId || !rounds)
  throw new Error('usage: bump-worker <dbFile> <categoryId> <rounds> [prisma|sql]');
const bump = mode === 'sql' ? bumpSortOrderSql : bumpSortOrder;
const db = createDb(file);
try {
  // Connect, then tell the parent to start, so both loops overlap.
  await db.category.count();
  process.stdout.write('ready\n');
  for (let i = 0; i < Number(rounds); i++) await bump(db, categoryId);
} finally {
  await closeDb(db);
}
