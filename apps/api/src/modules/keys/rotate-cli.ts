import { parseArgs } from 'node:util';
import { applyMigrations, closeDb, createDb, describeLocation } from '@shop/db';
import { addressCipher } from '../../deps';
import type { Env } from '../../env';
import type { FieldCipher } from '../../lib/field-cipher';
import {
  AddressKeyMissingError,
  countRowsByKey,
  rotateAddressKeys,
  type TableKeyCounts,
} from './address-keys';

/**
 * `pnpm keys:rotate-addresses`: re-encrypts every encrypted address field (the address book's and each order's copy)
 * to the first key of ADDRESS_ENCRYPTION_KEYS, a batch per transaction, then prints how many rows still use each
 * key. Stopping it (Ctrl-C, SIGTERM, --max-batches) keeps what was done; running it again resumes.
 */

export interface RotateIo {
  out(text: string): void;
  err(text: string): void;
  /** Aborted by Ctrl-C or SIGTERM: the batch under way commits, then the command stops. */
  signal?: AbortSignal;
}

const USAGE = `Usage: pnpm keys:rotate-addresses [--batch-size N] [--max-batches N] [--status]

Re-encrypts every address field (shoppers' addresses and orders' shipping addresses) to the first key of
ADDRESS_ENCRYPTION_KEYS, in the API's database (DATABASE_URL, else DATABASE_FILE / DATA_DIR; migrated first), then
prints how many rows still use each configured key. Put the new key first and keep the old ones after it, on every
API process, before running it. Safe while the API serves, and to stop at any time (Ctrl-C): run it again to resume.

  --batch-size N    rows per transaction (default 500)
  --max-batches N   stop after N batches
  --status          only print the counts

Exit codes: 0 every row is under the first key, 1 refused (a row under a key that is not configured) or failed,
2 bad usage, 3 stopped before every row was rotated (run again to resume).
`;

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,6}$/.test(value)) throw new Error(`${name} must be a whole number from 1 to 9999999`);
  return Number(value);
}

/** The counts table: one line per table, a column per configured key, then rows under unknown keys. */
export function formatCounts(counts: readonly TableKeyCounts[], cipher: FieldCipher): string {
  const lines = counts.map((c) => {
    const keys = cipher.keyIds.map(
      (id) => `${id}${id === cipher.currentKeyId ? ' (current)' : ''}: ${c.byKey[id] ?? 0}`,
    );
    const unknown = c.unknown > 0 ? `, not configured: ${c.unknown} (${c.unknownKeyIds.join(', ')})` : '';
    return `  ${c.table.padEnd(8)} ${String(c.rows).padStart(7)} rows; ${keys.join(', ')}${unknown}\n`;
  });
  return lines.join('');
}

export async function rotateAddressesCli(
  argv: readonly string[],
  loadEnv: () => Env,
  io: RotateIo,
): Promise<number> {
  let options: { batchSize: number | undefined; maxBatches: number | undefined; status: boolean };
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        'batch-size': { type: 'string' },
        'max-batches': { type: 'string' },
        status: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    options = {
      batchSize: positiveInt(values['batch-size'], '--batch-size'),
      maxBatches: positiveInt(values['max-batches'], '--max-batches'),
      status: values.status === true,
    };
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const env = loadEnv();
  const cipher = addressCipher(env);
  await applyMigrations(env.DATABASE);
  const db = createDb(env.DATABASE, { poolSize: 2 });
  try {
    const where = describeLocation(env.DATABASE);
    if (options.status) {
      const counts = await countRowsByKey(db, cipher.keyIds);
      io.out(`Address fields in ${where}, by key:\n${formatCounts(counts, cipher)}`);
      return counts.some((c) => c.unknown > 0) ? 1 : 0;
    }
    io.out(`Re-encrypting address fields to key "${cipher.currentKeyId}" in ${where}\n`);
    let result;
    try {
      result = await rotateAddressKeys(db, cipher, {
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.maxBatches === undefined ? {} : { maxBatches: options.maxBatches }),
        ...(io.signal ? { signal: io.signal } : {}),
        onBatch: (p) => io.out(`  ${p.table}: ${p.rotated} row(s) re-encrypted (${p.totalRotated} so far)\n`),
      });
    } catch (error) {
      if (!(error instanceof AddressKeyMissingError)) throw error;
      io.err(`${error.message}\n${formatCounts(error.counts, cipher)}`);
      return 1;
    }
    const counts = await countRowsByKey(db, cipher.keyIds);
    const left = counts.reduce((sum, c) => sum + c.rows - (c.byKey[cipher.currentKeyId] ?? 0), 0);
    io.out(
      `${result.rotated} row(s) re-encrypted` +
        (result.skipped > 0 ? `, ${result.skipped} changed meanwhile and left for the next run` : '') +
        `.\nRows by key now:\n${formatCounts(counts, cipher)}`,
    );
    if (left === 0) {
      io.out(`Every row is under "${cipher.currentKeyId}"; the other keys may be removed.\n`);
      return 0;
    }
    io.out(`${left} row(s) still use another key: run the command again to resume.\n`);
    return 3;
  } finally {
    await closeDb(db);
  }
}
