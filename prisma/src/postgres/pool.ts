// The pg connection pool the Prisma client and sql() share on PostgreSQL.
import pg from 'pg';

export interface PoolOptions {
  /** Connections in the pool (default 10). The Prisma client and sql() draw from the same pool. */
  max?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

/**
 * A pool whose every connection runs in UTC. DateTime columns are `timestamp(3)` without a time zone holding UTC (as
 * Prisma's adapter writes them); a session in another zone would turn CURRENT_TIMESTAMP, and a `timestamptz` cast,
 * into local time. Idle connections that fail (the server restarted) are dropped by the pool; without a listener
 * that error would end the process.
 */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    options: '-c TimeZone=UTC',
    application_name: options.applicationName ?? 'shop',
  });
  pool.on('error', () => {
    // The pool has removed the broken client; the next query opens a new one.
  });
  return pool;
}
