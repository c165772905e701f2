// `pnpm db:migrate`: applies pending migrations to DATABASE_FILE, else <DATA_DIR>/shop.db, else .data/shop.db.
import path from 'node:path';

import { applyMigrations, MigrationError } from '../src/migrate';
import { defaultDatabaseFile, repoRoot } from '../src/paths';

const dbFile = defaultDatabaseFile(process.env);
const relative = path.relative(repoRoot, dbFile);
const shown = relative.startsWith('..') ? dbFile : relative;

try {
  const startedAt = Date.now();
  const applied = await applyMigrations(dbFile);
  const took = `${Date.now() - startedAt} ms`;
  if (applied.length === 0) {
    console.log(`db:migrate: ${shown} is up to date (${took})`);
  } else {
    console.log(`db:migrate: applied ${applied.length} migration(s) to ${shown} (${took}):`);
    for (const name of applied) console.log(`  ${name}`);
  }
} catch (error) {
  if (!(error instanceof MigrationError)) throw error;
  console.error(`db:migrate: ${error.message}`);
  process.exitCode = 1;
}
