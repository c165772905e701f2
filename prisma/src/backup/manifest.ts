// A backup's manifest: what the backup holds and how to check it, written beside the data file as manifest.json.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { z } from 'zod';

import type { DatabaseFacts } from './facts';

export const MANIFEST_FILE = 'manifest.json';

/** Kept as JSON numbers: counts and fen sums stay far below 2^53. */
const count = z.number().int().nonnegative();

export const BackupManifest = z.strictObject({
  format: z.literal('shop-backup'),
  version: z.literal(1),
  engine: z.enum(['sqlite', 'postgresql']),
  /** When the snapshot was taken, UTC (ISO 8601). */
  createdAt: z.iso.datetime(),
  /** The database it was taken from (a PostgreSQL URL without its password). */
  source: z.string(),
  /** The data file, beside the manifest: a SQLite database, or a `pg_dump --format=custom` archive. */
  file: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'a file name in the backup folder, not a path')
    .refine((name) => name !== MANIFEST_FILE),
  bytes: count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** `_prisma_migrations` as applied when the backup was taken; `latest` is the migration level. */
  migrations: z.strictObject({ latest: z.string().nullable(), applied: z.array(z.string()) }),
  /** Every table but the migration history, with its rows, inside the snapshot the data file holds. */
  tables: z.record(z.string(), count),
  /** The money figures of the same snapshot (fen). */
  figures: z.strictObject({ orders: count, paidFen: count, refundedFen: count }),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

export function factsToManifestFields(
  facts: DatabaseFacts,
): Pick<BackupManifest, 'migrations' | 'tables' | 'figures'> {
  return {
    migrations: { latest: facts.migrations.at(-1) ?? null, applied: facts.migrations },
    tables: facts.tables,
    figures: {
      orders: Number(facts.figures.orders),
      paidFen: Number(facts.figures.paidFen),
      refundedFen: Number(facts.figures.refundedFen),
    },
  };
}

export function manifestFacts(manifest: BackupManifest): DatabaseFacts {
  return {
    migrations: manifest.migrations.applied,
    tables: manifest.tables,
    figures: {
      orders: BigInt(manifest.figures.orders),
      paidFen: BigInt(manifest.figures.paidFen),
      refundedFen: BigInt(manifest.figures.refundedFen),
    },
  };
}

/** A manifest that cannot be read or is not a shop backup's. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/**
 * Reads and validates the manifest of the backup at `where`: the backup folder or its manifest.json. Returns the
 * manifest and the folder.
 */
export async function readManifest(where: string): Promise<{ dir: string; manifest: BackupManifest }> {
  const file = path.basename(where) === MANIFEST_FILE ? where : path.join(where, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ManifestError(
      `no backup manifest at ${file} (give the backup's folder or its ${MANIFEST_FILE})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ManifestError(`${file} is not JSON`);
  }
  const parsed = BackupManifest.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(manifest)'}: ${i.message}`);
    throw new ManifestError(`${file} is not a shop backup manifest:\n${lines.join('\n')}`);
  }
  return { dir: path.dirname(path.resolve(file)), manifest: parsed.data };
}

/** The file's SHA-256 (hex) and size, read as a stream. */
export async function fileDigest(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
