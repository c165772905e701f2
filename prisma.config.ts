// Prisma 7 configuration for the CLI: `prisma generate` (pnpm db:generate), `validate`, `format`, `studio`, and
// `migrate deploy` on machines with the native schema engine. Migrations here are applied by `pnpm db:migrate`
// (prisma/src/migrate.ts), which uses the same schema, migrations folder and database file.
import { defineConfig } from 'prisma/config';

import { defaultDatabaseFile } from './prisma/src/paths';

// Prisma's update check calls a host these machines cannot reach; this covers `prisma ...` run by hand too.
process.env.CHECKPOINT_DISABLE ??= '1';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    // DATABASE_URL wins (e.g. `file:/srv/shop/shop.db` for `prisma migrate deploy`); otherwise the file the app
    // and `pnpm db:migrate` use: DATABASE_FILE, else <DATA_DIR>/shop.db, else .data/shop.db.
    url: process.env.DATABASE_URL ?? `file:${defaultDatabaseFile(process.env)}`,
  },
});
