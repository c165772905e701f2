import type { Db, Prisma } from '@shop/db';

export type { Db };
export { sql, type SqlTx, type SqlReader } from '@shop/db';

/** A Prisma interactive-transaction client, for reads and writes outside the money tables. */
export type Tx = Prisma.TransactionClient;

/** Either the client or a transaction: for reads and single guarded writes that work in both. */
export type DbOrTx = Db | Tx;

/** The longest an `inTransaction` transaction may wait to start, and then run, before Prisma rolls it back. */
export const TRANSACTION_TIMEOUT_MS = 15_000;

/**
 * Runs `work` in one Prisma transaction with generous waits (on SQLite transactions queue on the single connection).
 * Money tables (orders, items, stock, payments, refunds, the notify inbox) are written through `sql(db)` instead:
 * see prisma/README.md, "One data layer for money".
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { maxWait: TRANSACTION_TIMEOUT_MS, timeout: TRANSACTION_TIMEOUT_MS });
}
