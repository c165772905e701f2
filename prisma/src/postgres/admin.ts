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

/** Creates the database `url` names when the server has none of that name (optionally from a template). */
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
      // Another process created it at the same moment.
      if ((error as { code?: string }).code === '42P04') return false;
      throw error;
    }
  });
}

/** Drops the database `url` names, closing its other connections first; a missing one is fine. */
export async function dropDatabase(url: string): Promise<void> {
  const { database } = splitDatabaseUrl(url);
  await onMaintenance(url, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`),
  );
}
