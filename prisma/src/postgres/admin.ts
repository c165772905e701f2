// Creating and dropping PostgreSQL databases: migrations create a missing one, as `prisma migrate deploy` does.
import pg from 'pg';

/** The database a URL names, and the same server's maintenance database (`postgres`) to manage it from. */
export function splitDatabaseUrl(url: string): { database: string; maintenanceUrl: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new Error('the PostgreSQL URL names no database');
  parsed.pathname = '/postgres';
  return { database, maintenanceUrl: parsed.toString() };
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function onMaintenance<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: splitDatabaseUrl(url).maintenanceUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Whether the server has the database `url` names. */
export async function databaseExists(url: string): Promise<boolean> {
  const { database } = splitDatabaseUrl(url);
  return onMaintenance(url, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    return (found.rowCount ?? 0) > 0;
  });
}

/**
 * Creates the database `url` names when the server has none of that name (optionally from a template); true when
 * this call created it. Safe to call from several processes at once: exactly one creates it, the others return false.
 */
export async function ensureDatabase(url: string, options: { template?: string } = {}): Promise<boolean> {
  const { database } = splitDatabaseUrl(url);
  return onMaintenance(url, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    const template = options.template ? ` TEMPLATE ${quoteIdentifier(options.template)}` : '';
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(database)}${template}`);
      return true;
    } catch (error) {
      if (createdByAnother(error)) return false;
      throw error;
    }
  });
}

/**
 * Another process created the database at the same moment. When it committed before this CREATE DATABASE looked,
 * PostgreSQL says 42P04 (duplicate_database); when both had looked and found no such name, the later one waits on the
 * unique index of pg_database for the earlier to commit and then fails with 23505 on pg_database_datname_index, which
 * is what two processes started together on a new database almost always get.
 */
function createdByAnother(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '42P04' || (code === '23505' && constraint === 'pg_database_datname_index');
}

/**
 * Runs `work` while this process holds the session-level advisory lock `key` on the database `url` names, taken on a
 * connection of its own: another process asking for the same key on the same database waits (however long) until
 * `work` settles, and a process that dies while holding it releases it with its connection. Advisory locks belong to
 * one database, so two databases on one server never wait for each other.
 * https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
export async function withAdvisoryLock<T>(url: string, key: number, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'shop-lock' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    return await work();
  } finally {
    // Ending the session releases the lock.
    await client.end();
  }
}

/** Drops the database `url` names, closing its other connections first; a missing one is fine. */
export async function dropDatabase(url: string): Promise<void> {
  const { database } = splitDatabaseUrl(url);
  await onMaintenance(url, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`),
  );
}
