import type { Tx } from '../db';

/**
 * Serialises transactions on names (DESIGN.md, "Where it runs": limits count across processes). A transaction that
 * counts rows and then writes one (sign-in throttling, the cart's line limit) first locks the LockKey row of every
 * name it depends on: on PostgreSQL, at READ COMMITTED, two such transactions would otherwise both count before
 * either writes and both pass the limit. The row is created on first use; the no-op update takes its row lock, held
 * until the transaction ends. On SQLite every transaction holds the database's write lock already, so this costs two
 * cheap statements and changes nothing. Keys are locked in sorted order, so two transactions never wait for each
 * other in a circle.
 */
export async function lockKeys(tx: Tx, keys: readonly string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await tx.$executeRaw`INSERT INTO "LockKey" ("key", "createdAt") VALUES (${key}, ${new Date()}) ON CONFLICT ("key") DO NOTHING`;
    await tx.$executeRaw`UPDATE "LockKey" SET "key" = "key" WHERE "key" = ${key}`;
  }
}
