// The Prisma client on PostgreSQL through @prisma/adapter-pg, sharing one pg pool with sql().
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';

import { PrismaClient } from '../../generated/postgresql/client';
import { registerTransport } from '../sql';
import { createPool, type PoolOptions } from './pool';
import { postgresTransport } from './transport';

/**
 * A PrismaClient on the PostgreSQL database at `url`, which must already be migrated (see applyMigrations), and the
 * pool it draws its connections from; sql(db) uses the same pool. Close both (closeDb does).
 */
export function createPostgresDb(
  url: string,
  options: PoolOptions = {},
): { client: PrismaClient; pool: pg.Pool } {
  const pool = createPool(url, options);
  const client = new PrismaClient({
    adapter: new PrismaPg(pool),
    // Prisma's default 2 s wait for a pool connection is short for a loaded process; statements wait instead.
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
  registerTransport(client, postgresTransport(pool));
  return { client, pool };
}
