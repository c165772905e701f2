// `pnpm db:migrate`: applies pending migrations to DATABASE_URL, else DATABASE_FILE, else <DATA_DIR>/shop.db, else
// .data/shop.db (SQLite or PostgreSQL, by the URL).
import path from 'node:path';

import { defaultDatabaseLocation, describeLocation } from '../src/location';
import { applyMigrations, MigrationError } from '../src/migrate';
import { repoRoot } from '../src/paths';

const location = defaultDatabaseLocation(process.env);
const described = describeLocation(location);
const relative = location.engine === 'sqlite' ? path.relative(repoRoot, location.file) : '';
const shown = relative && !relative.startsWith('..') ? relative : described;

try {
  const startedAt = Date.now();
  const applied = await applyMigrations(location);
  const took = `${Date.now() - startedAt} ms`;
  if (applied.length === 0) {
    console.log(`db:migrate: ${shown} (${location.engine}) is up to date (${took})`);
  } else {
    console.log(
      `db:migrate: applied ${applied.length} migration(s) to ${shown} (${location.engine}, ${took}):`,
    );
    for (const name of applied) console.log(`  ${name}`);
  }
} catch (error) {
  if (!(error instanceof MigrationError)) throw error;
  console.error(`db:migrate: ${error.message}`);
  process.exitCode = 1;
}
