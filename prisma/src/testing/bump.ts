import type { Db } from '../client';
import { sqlite } from '../sqlite';

/** A transaction that reads a row, pauses, then writes it: the shape that fails busy under deferred BEGIN. */
export function bumpSortOrder(db: Db, categoryId: string): Promise<void> {
  return db.$transaction(async (tx) => {
    const row = await tx.category.findUniqueOrThrow({ where: { id: categoryId } });
    await new Promise((resolve) => setTimeout(resolve, 3));
    await tx.category.update({ where: { id: categoryId }, data: { sortOrder: row.sortOrder + 1 } });
  });
}

/**
 * The same read-then-write as one synchronous transaction through `sqlite(db)`, with a millisecond of work between
 * the read and the write (as an order's checks take), the window in which another process could write.
 */
export function bumpSortOrderSync(db: Db, categoryId: string): Promise<void> {
  return sqlite(db).transaction((tx) => {
    const row = tx.get<{ sortOrder: number }>(
      'SELECT "sortOrder" FROM "Category" WHERE "id" = ?',
      categoryId,
    );
    if (!row) throw new Error(`no category ${categoryId}`);
    const until = performance.now() + 1;
    while (performance.now() < until);
    tx.run('UPDATE "Category" SET "sortOrder" = ? WHERE "id" = ?', row.sortOrder + 1, categoryId);
  });
}
