// Global setup of the PostgreSQL test projects (vitest.config.ts): one private cluster for the whole run, with a
// migrated template database, stopped when the run ends. No PostgreSQL installed fails the run and says how to get
// one; nothing is skipped.
import type { TestProject } from 'vitest/node';

import { startPostgresCluster } from '../postgres/cluster';
import { migrateTemplate } from './databases';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster(
    {
      // Thrown away after the run: durability would only cost time.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    },
    process.env,
  );
  try {
    await migrateTemplate(cluster.url());
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  project.provide('postgresUrl', cluster.url());
  return () => cluster.stop();
}
