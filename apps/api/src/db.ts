import type { Db, Prisma } from '@shop/db';

export type { Db };
export { sql, type SqlTx, type SqlReader } from '@shop/db';

/** A Prisma interactive-transaction client, for reads and writes outside the money tables. */
export type Tx = Prisma.TransactionClient;

/** Either the client or a transaction: for reads and single guarded writes that work in both. */
export type DbOrTx = Db | Tx;

/**
 * Runs `work` in one Prisma transaction with generous waits (on SQLite transactions queue on the single connection).
 * Money tables (orders, items, stock, payments, refunds, the notify inbox) are written through `sql(db)` instead:
 * see prisma/README.md, "One data layer for money".
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { maxWait: 15_000, timeout: 15_000 });
}
