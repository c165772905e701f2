import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsDirFor, type Engine } from '@shop/db';
import type { Db } from '../../db';

/** What GET /readyz answers: ready, or not ready and why. */
export type Readiness =
  | { ready: true; migrations: number }
  | { ready: false; reason: 'DATABASE_UNREACHABLE'; message: string }
  | { ready: false; reason: 'MIGRATIONS_PENDING'; message: string; pending: string[] };

/** How long the readiness query may take before the database counts as unreachable. */
export const READINESS_TIMEOUT_MS = 3000;

/**
 * The migrations this build ships for an engine: the folder names under prisma/migrations/<engine>/ holding a
 * migration.sql, the list Prisma's schema engine applies (prisma/src/migrate.ts).
 */
export function shippedMigrations(engine: Engine): string[] {
  const dir = migrationsDirFor(engine);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .filter((entry) => readdirSync(join(dir, entry.name)).includes('migration.sql'))
    .map((entry) => entry.name)
    .sort();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Ready when the database answers and every shipped migration is recorded as finished (and not rolled back) in
 * Prisma's `_prisma_migrations` table. One plain query, the same on both engines: asking Prisma's schema engine
 * (migrationStatus) would start a WebAssembly engine on every probe.
 */
export async function checkReadiness(
  db: Db,
  expected: readonly string[],
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<Readiness> {
  let rows: Array<{ migration_name: string }>;
  try {
    rows = await withTimeout(
      db.$queryRaw<Array<{ migration_name: string }>>`
        SELECT migration_name FROM _prisma_migrations
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      timeoutMs,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A reachable database that has no migrations table has had nothing applied.
    if (/_prisma_migrations/.test(message) && /(no such table|does not exist)/i.test(message)) {
      return {
        ready: false,
        reason: 'MIGRATIONS_PENDING',
        message: `${expected.length} migrations not applied`,
        pending: [...expected],
      };
    }
    return {
      ready: false,
      reason: 'DATABASE_UNREACHABLE',
      message: `the database did not answer: ${message}`,
    };
  }
  const applied = new Set(rows.map((row) => row.migration_name));
  const pending = expected.filter((name) => !applied.has(name));
  if (pending.length > 0) {
    return {
      ready: false,
      reason: 'MIGRATIONS_PENDING',
      message: `${pending.length} migration(s) not applied: ${pending.join(', ')}`,
      pending,
    };
  }
  return { ready: true, migrations: expected.length };
}
