import type { Db } from '../client';
import { sql } from '../sql';

/** A transaction that reads a row, pauses, then writes it: the shape that fails busy under deferred BEGIN. */
export function bumpSortOrder(db: Db, categoryId: string): Promise<void> {
  return db.$transaction(async (tx) => {
    const row = await tx.category.findUniqueOrThrow({ where: { id: categoryId } });
    await new Promise((resolve) => setTimeout(resolve, 3));
    await tx.category.update({ where: { id: categoryId }, data: { sortOrder: row.sortOrder + 1 } });
  });
}

/**
 * The same read-then-write as one transaction through `sql(db)`, with a millisecond of work between the read and the
 * write (as an order's checks take), the window in which another process could write. On SQLite the transaction
 * holds the write lock from its start, so the read-then-write is safe; this is what the SQLite tests check.
 */
export function bumpSortOrderSql(db: Db, categoryId: string): Promise<void> {
  return sql(db).transaction(async (tx) => {
    const row = await tx.get<{ sortOrder: number }>(
      'SELECT "sortOrder" FROM "Category" WHERE "id" = ?',
      categoryId,
    );
    if (!row) throw new Error(`no category ${categoryId}`);
    const until = performance.now() + 1;
    while (performance.now() < until);
    await tx.run('UPDATE "Category" SET "sortOrder" = ? WHERE "id" = ?', row.sortOrder + 1, categoryId);
  });
}
