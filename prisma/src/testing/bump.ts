import type { Db } from '../client';

/** A transaction that reads a row, pauses, then writes it: the shape that fails busy under deferred BEGIN. */
export function bumpSortOrder(db: Db, categoryId: string): Promise<void> {
  return db.$transaction(async (tx) => {
    const row = await tx.category.findUniqueOrThrow({ where: { id: categoryId } });
    await new Promise((resolve) => setTimeout(resolve, 3));
    await tx.category.update({ where: { id: categoryId }, data: { sortOrder: row.sortOrder + 1 } });
  });
}
