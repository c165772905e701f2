// Prisma 7 configuration for the CLI: `prisma generate` (pnpm db:generate), `validate`, `format`, `studio`, and
// `migrate deploy` on machines with the native schema engine. DATABASE_URL picks the engine, and with it the schema
// (schema.prisma, or the PostgreSQL copy derived from it) and the engine's migrations folder. Migrations here are
// applied by `pnpm db:migrate` (prisma/src/migrate.ts), which uses the same schema, folders and database.
import { defineConfig } from 'prisma/config';

import { defaultDatabaseLocation } from './prisma/src/location';
import { migrationsDirFor, schemaFileFor } from './prisma/src/paths';

// Prisma's update check calls a host these machines cannot reach; this covers `prisma ...` run by hand too.
process.env.CHECKPOINT_DISABLE ??= '1';

// DATABASE_URL wins (`file:/srv/shop/shop.db` or `postgresql://...`); otherwise the file the app and
// `pnpm db:migrate` use: DATABASE_FILE, else <DATA_DIR>/shop.db, else .data/shop.db.
const location = defaultDatabaseLocation(process.env);

export default defineConfig({
  schema: schemaFileFor(location.engine),
  migrations: { path: migrationsDirFor(location.engine) },
  datasource: { url: location.url },
});
