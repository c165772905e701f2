// A second process for client.int.test.ts and sqlite.int.test.ts: bumps a category's sortOrder in N read-then-write
// transactions, through Prisma (the default) or through sqlite(db) (`sync`).
import { closeDb, createDb } from '../client';
import { bumpSortOrder, bumpSortOrderSync } from './bump';

const [file, categoryId, rounds, mode = 'prisma'] = process.argv.slice(2);
if (!file || !categoryId || !rounds)
  throw new Error('usage: bump-worker <dbFile> <categoryId> <rounds> [prisma|sync]');
const bump = mode === 'sync' ? bumpSortOrderSync : bumpSortOrder;
const db = createDb(file);
try {
  // Connect, then tell the parent to start, so both loops overlap.
  await db.category.count();
  process.stdout.write('ready\n');
  for (let i = 0; i < Number(rounds); i++) await bump(db, categoryId);
} finally {
  await closeDb(db);
}
