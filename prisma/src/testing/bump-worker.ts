// A second process for client.int.test.ts: bumps a category's sortOrder in N read-then-write transactions.
import { closeDb, createDb } from '../client';
import { bumpSortOrder } from './bump';

const [file, categoryId, rounds] = process.argv.slice(2);
if (!file || !categoryId || !rounds) throw new Error('usage: bump-worker <dbFile> <categoryId> <rounds>');
const db = createDb(file);
try {
  // Connect, then tell the parent to start, so both loops overlap.
  await db.category.count();
  process.stdout.write('ready\n');
  for (let i = 0; i < Number(rounds); i++) await bumpSortOrder(db, categoryId);
} finally {
  await closeDb(db);
}
