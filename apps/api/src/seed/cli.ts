// `pnpm db:seed`: migrates the configured database and seeds the demo data when it is empty.
import { applyMigrations, describeLocation } from '@shop/db';
import { loadEnv } from '../env';
import { createLogger } from '../http/logger';
import { seedDemoData } from './index';

const env = loadEnv();

if (env.production && !env.SEED_DEMO_DATA) {
  createLogger(env.LOG_LEVEL, 'seed').error(
    'refusing to seed demo data into a production database; set SEED_DEMO_DATA=true to insist',
  );
  process.exitCode = 1;
} else {
  await applyMigrations(env.DATABASE);
  const result = await seedDemoData(env);
  if (result.categories + result.admins === 0) {
    createLogger(env.LOG_LEVEL, 'seed').info(
      { database: describeLocation(env.DATABASE) },
      'already seeded; nothing to do',
    );
  }
}
