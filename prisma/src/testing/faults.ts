// Failures on purpose inside the database, for tests that prove a failed write loses nothing.
import type { Db } from '../client';
import { postgresFailingUpdates } from '../postgres/faults';
import { engineOf } from '../sql';
import { sqliteFailingUpdates } from '../sqlite/faults';

/**
 * Makes every UPDATE of `table` fail (a trigger raising an error, on either engine) until `restore()` is called: the
 * transaction that tries rolls back whole, as it would if the database failed under it.
 */
export async function failUpdatesOf(db: Db, table: string): Promise<{ restore(): Promise<void> }> {
  const name = `injected_fail_${table.toLowerCase()}`;
  const statements =
    engineOf(db) === 'sqlite' ? sqliteFailingUpdates(table, name) : postgresFailingUpdates(table, name);
  for (const statement of statements.install) await db.$executeRawUnsafe(statement);
  return {
    async restore() {
      for (const statement of statements.remove) await db.$executeRawUnsafe(statement);
    },
  };
}
