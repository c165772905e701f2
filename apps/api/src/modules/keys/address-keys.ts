import { closeDb, createDb, readInt } from '@shop/db';
import { sql, type Db, type SqlReader } from '../../db';
import { addressCipher } from '../../deps';
import type { Env } from '../../env';
import { FieldCipher } from '../../lib/field-cipher';

/**
 * Address keys at rest: which key each encrypted field is under, the check the API makes before it starts, and the
 * rotation that re-encrypts every field to the current key (the first of ADDRESS_ENCRYPTION_KEYS).
 *
 * A field is stored as `<keyId>:<ciphertext>` (lib/field-cipher.ts), so "under key k" is "starts with `k:`", which
 * both engines answer from the column alone (`dialect.startsWithText`), without decrypting anything.
 */

/** Every encrypted column, by table: a shopper's address book and each order's copy of its address. */
export const ENCRYPTED_COLUMNS = [
  { table: 'Address', columns: ['phoneCipher', 'detailCipher'] },
  { table: 'Order', columns: ['shipPhoneCipher', 'shipDetailCipher'] },
] as const;

export type EncryptedTable = (typeof ENCRYPTED_COLUMNS)[number]['table'];

/** How many rows of one table hold a field under each configured key, and how many under none of them. */
export interface TableKeyCounts {
  table: EncryptedTable;
  rows: number;
  /** Configured key id -> rows with at least one field under it, in the configured order (current first). */
  byKey: Record<string, number>;
  /** Rows with a field under a key that is not configured (they cannot be read). */
  unknown: number;
  /** Up to five key ids those rows name. */
  unknownKeyIds: string[];
}

/** `"col" starts with ?` for each column, joined with OR: a row with any field under the bound key. */
function anyUnder(q: SqlReader, columns: readonly string[]): string {
  return columns.map((c) => q.dialect.startsWithText(`"${c}"`)).join(' OR ');
}

/** A row with some field under none of `keyIds`. */
function someUnderNone(q: SqlReader, columns: readonly string[], keyIds: readonly string[]): string {
  return columns
    .map((c) => `NOT (${keyIds.map(() => q.dialect.startsWithText(`"${c}"`)).join(' OR ')})`)
    .join(' OR ');
}

function prefixes(columns: readonly string[], keyIds: readonly string[]): string[] {
  return columns.flatMap(() => keyIds.map((id) => `${id}:`));
}

/** Counts the rows of every encrypted table by key. One COUNT per key and table, plus one for unknown keys. */
export async function countRowsByKey(db: Db, keyIds: readonly string[]): Promise<TableKeyCounts[]> {
  return sql(db).read(async (q) => {
    const result: TableKeyCounts[] = [];
    for (const { table, columns } of ENCRYPTED_COLUMNS) {
      const total = await q.get<{ n: number | bigint | string }>(`SELECT COUNT(*) AS "n" FROM "${table}"`);
      const byKey: Record<string, number> = {};
      for (const id of keyIds) {
        const row = await q.get<{ n: number | bigint | string }>(
          `SELECT COUNT(*) AS "n" FROM "${table}" WHERE ${anyUnder(q, columns)}`,
          ...columns.map(() => `${id}:`),
        );
        byKey[id] = readInt(row?.n ?? null);
      }
      const where = someUnderNone(q, columns, keyIds);
      const params = prefixes(columns, keyIds);
      const unknown = await q.get<{ n: number | bigint | string }>(
        `SELECT COUNT(*) AS "n" FROM "${table}" WHERE ${where}`,
        ...params,
      );
      const samples = await q.all<Record<string, string>>(
        `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}" WHERE ${where} LIMIT 20`,
        ...params,
      );
      const unknownKeyIds = [
        ...new Set(
          samples.flatMap((row) =>
            columns.map((c) => FieldCipher.keyIdOf(row[c] ?? '')).filter((id) => !keyIds.includes(id)),
          ),
        ),
      ].slice(0, 5);
      result.push({
        table,
        rows: readInt(total?.n ?? null),
        byKey,
        unknown: readInt(unknown?.n ?? null),
        unknownKeyIds,
      });
    }
    return result;
  });
}

/** Some rows are encrypted under a key the configuration no longer has. */
export class AddressKeyMissingError extends Error {
  override readonly name = 'AddressKeyMissingError';
  constructor(readonly counts: TableKeyCounts[]) {
    const missing = counts.filter((c) => c.unknown > 0);
    super(
      'ADDRESS_ENCRYPTION_KEYS lacks a key that encrypted rows still use: ' +
        missing
          .map(
            (c) =>
              `${c.unknown} ${c.table} row(s) under ${c.unknownKeyIds.map((id) => JSON.stringify(id)).join(', ') || 'no key id'}`,
          )
          .join('; ') +
        '. Put that key back (after the current one) and run `pnpm keys:rotate-addresses` before removing it.',
    );
  }
}

/**
 * Refuses (AddressKeyMissingError) when any row is under a key that is not configured: such an address could not be
 * shown, and an order's could not be shipped to. The API checks this before it serves (server.ts): one query per
 * table that stops at the first such row; the counts for the message are taken only when there is one.
 */
export async function assertAddressKeysConfigured(db: Db, cipher: FieldCipher): Promise<void> {
  const keyIds = cipher.keyIds;
  const found = await sql(db).read(async (q) => {
    for (const { table, columns } of ENCRYPTED_COLUMNS) {
      const row = await q.get<{ id: string }>(
        `SELECT "id" FROM "${table}" WHERE ${someUnderNone(q, columns, keyIds)} LIMIT 1`,
        ...prefixes(columns, keyIds),
      );
      if (row) return true;
    }
    return false;
  });
  if (found) throw new AddressKeyMissingError(await countRowsByKey(db, keyIds));
}

/**
 * assertAddressKeysConfigured on its own connection, for startApi before it listens (the API's own client is made
 * once the port is known).
 */
export async function checkAddressKeys(env: Env): Promise<void> {
  const db = createDb(env.DATABASE, { poolSize: 1 });
  try {
    await assertAddressKeysConfigured(db, addressCipher(env));
  } finally {
    await closeDb(db);
  }
}

export interface RotationOptions {
  /** Rows read and rewritten per transaction (default 500). */
  batchSize?: number;
  /** Stop after this many batches (the rest waits for the next run). */
  maxBatches?: number;
  /** Stop after the batch under way when aborted (Ctrl-C). */
  signal?: AbortSignal;
  /** Called after each committed batch. */
  onBatch?: (progress: RotationProgress) => void;
}

export interface RotationProgress {
  table: EncryptedTable;
  /** Rows re-encrypted in this batch. */
  rotated: number;
  /** Rows this run has re-encrypted so far, all tables. */
  totalRotated: number;
}

export interface RotationResult {
  /** Rows re-encrypted to the current key. */
  rotated: number;
  /**
   * Rows another writer changed between the read and the update; left alone (that writer encrypted with its own
   * current key) and looked at again by the next run.
   */
  skipped: number;
  /** False when stopped by maxBatches or the signal before every row was looked at. */
  finished: boolean;
}

/**
 * Re-encrypts every field not under the current key, a batch of rows per transaction, table by table in id order.
 * Each row is rewritten with a guarded update (`WHERE` every field still holds what was read), so a shopper editing
 * an address meanwhile is never overwritten; `updatedAt` is left as it was (the address book orders by it). What is
 * done stays done, so a stopped run is resumed by running again: rows already under the current key are not read.
 * Refuses to start (AddressKeyMissingError) when a row is under a key that is not configured.
 */
export async function rotateAddressKeys(
  db: Db,
  cipher: FieldCipher,
  options: RotationOptions = {},
): Promise<RotationResult> {
  await assertAddressKeysConfigured(db, cipher);
  const batchSize = options.batchSize ?? 500;
  const current = `${cipher.currentKeyId}:`;
  let rotated = 0;
  let skipped = 0;
  let batches = 0;
  for (const { table, columns } of ENCRYPTED_COLUMNS) {
    let afterId = '';
    for (;;) {
      if (options.signal?.aborted || (options.maxBatches !== undefined && batches >= options.maxBatches)) {
        return { rotated, skipped, finished: false };
      }
      const rows = await sql(db).read((q) =>
        q.all<Record<string, string>>(
          `SELECT "id", ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}"
           WHERE "id" > ? AND (${columns.map((c) => `NOT (${q.dialect.startsWithText(`"${c}"`)})`).join(' OR ')})
           ORDER BY "id" LIMIT ?`,
          afterId,
          ...columns.map(() => current),
          batchSize,
        ),
      );
      if (rows.length === 0) break;
      // Decrypted and encrypted again outside the transaction: it only holds the guarded updates.
      const rewrites = rows.map((row) => ({
        id: row.id as string,
        before: columns.map((c) => row[c] as string),
        after: columns.map((c) => {
          const stored = row[c] as string;
          return stored.startsWith(current) ? stored : cipher.encrypt(cipher.decrypt(stored));
        }),
      }));
      const changed = await sql(db).transaction(async (tx) => {
        let n = 0;
        for (const { id, before, after } of rewrites) {
          n += await tx.run(
            `UPDATE "${table}" SET ${columns.map((c) => `"${c}" = ?`).join(', ')}
             WHERE "id" = ? AND ${columns.map((c) => `"${c}" = ?`).join(' AND ')}`,
            ...after,
            id,
            ...before,
          );
        }
        return n;
      });
      rotated += changed;
      skipped += rows.length - changed;
      batches += 1;
      afterId = rows[rows.length - 1]!.id as string;
      options.onBatch?.({ table, rotated: changed, totalRotated: rotated });
    }
  }
  return { rotated, skipped, finished: true };
}
