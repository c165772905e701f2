import type { Db, Prisma } from '@shop/db';

export type { Db };

/** A Prisma interactive-transaction client. Services that must run inside a caller's transaction take one. */
export type Tx = Prisma.TransactionClient;

/** Either the client or a transaction: for reads and single guarded writes that work in both. */
export type DbOrTx = Db | Tx;

/** Runs `work` in one SQLite transaction with generous waits (transactions queue on the single connection). */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { maxWait: 15_000, timeout: 15_000 });
}
