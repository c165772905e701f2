import type { Db } from '../client';

/**
 * Another request's Prisma transaction, held open: it writes a category with `slug`, then waits until `fail()` is
 * called and throws, so it rolls back. Resolves once the transaction is open and its row written (uncommitted);
 * `settled` resolves to the error it failed with.
 */
export async function openFailingTransaction(
  db: Db,
  slug: string,
): Promise<{ fail: () => void; settled: Promise<unknown> }> {
  let insideOpen!: () => void;
  const opened = new Promise<void>((resolve) => (insideOpen = resolve));
  let fail!: () => void;
  const failNow = new Promise<void>((resolve) => (fail = resolve));
  const settled = db
    .$transaction(async (tx) => {
      await tx.category.create({ data: { slug, name: 'A', iconPath: '/a' } });
      insideOpen();
      await failNow;
      throw new Error('request A fails');
    })
    .catch((error: unknown) => error);
  await opened;
  return { fail, settled };
}
