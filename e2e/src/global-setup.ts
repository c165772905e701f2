import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { type PostgresCluster, startPostgresCluster } from '@shop/db/cluster';
import { type RunningSystem, startSystem } from '@shop/scripts';
import {
  E2E_API_ENV,
  KEEP_DATA,
  POSTGRES_PROJECT,
  POSTGRES_SERVER_ENV,
  POSTGRES_URLS_ENV,
  URLS_ENV,
} from './system';

/** The database of the postgres project's shared system, on the run's private cluster. */
const POSTGRES_DATABASE = 'shop_e2e';

/**
 * Starts the systems once for the run, each on free ports with a fresh data folder and the API's e2e job timings
 * (E2E_API_ENV): the API on SQLite, for the chromium project, after building the H5 apps (unless E2E_SKIP_BUILD=1
 * and builds exist); and, when the config has the postgres project, a private PostgreSQL cluster (initdb in a
 * temporary folder, a free port) and a second system serving the same builds with its API on a database of that
 * cluster. The cluster starts first, so a machine without PostgreSQL fails at once with the cluster's message rather
 * than after the build; nothing is skipped. The sandbox keeps Alipay's real durations: scaling them down would also
 * shorten auth codes (5 minutes) and trades (closed at their time_expire, scaled), so a shopper's 15-minute order
 * would be closed by Alipay within seconds.
 */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const withPostgres = config.projects.some((project) => project.name === POSTGRES_PROJECT);
  const log = (line: string) => console.log(`[e2e] ${line}`);
  const systems: RunningSystem[] = [];
  let cluster: PostgresCluster | null = null;
  const stop = async () => {
    await Promise.all(systems.map((system) => system.stop()));
    await cluster?.stop();
  };

  try {
    if (withPostgres) {
      const started = Date.now();
      cluster = await startPostgresCluster(
        // Thrown away after the run: durability would only cost time.
        { settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } },
        process.env,
      );
      log(`PostgreSQL cluster up in ${Date.now() - started} ms on port ${cluster.port} (${cluster.dir})`);
    }

    let started = Date.now();
    const sqlite = await startSystem({
      dataDir: mkdtempSync(join(tmpdir(), 'shop-e2e-')),
      ports: { api: 0, sandbox: 0, shop: 0, admin: 0 },
      removeDataDirOnStop: KEEP_DATA === false,
      build: process.env.E2E_SKIP_BUILD !== '1',
      apiEnv: E2E_API_ENV,
      log,
    });
    systems.push(sqlite);
    log(`system up in ${Date.now() - started} ms: ${JSON.stringify(sqlite.urls)} (logs: ${sqlite.logDir})`);
    process.env[URLS_ENV] = JSON.stringify(sqlite.urls);

    if (cluster) {
      started = Date.now();
      const databaseUrl = cluster.url(POSTGRES_DATABASE);
      const postgres = await startSystem({
        dataDir: mkdtempSync(join(tmpdir(), 'shop-e2e-postgres-')),
        ports: { api: 0, sandbox: 0, shop: 0, admin: 0 },
        removeDataDirOnStop: KEEP_DATA === false,
        // The builds the first system made (or found).
        build: false,
        // The API creates the database and migrates it as it starts, then seeds it as on SQLite.
        apiEnv: { ...E2E_API_ENV, DATABASE_URL: databaseUrl },
        log,
      });
      systems.push(postgres);
      log(
        `postgres system up in ${Date.now() - started} ms on ${databaseUrl}: ${JSON.stringify(postgres.urls)} ` +
          `(logs: ${postgres.logDir})`,
      );
      process.env[POSTGRES_URLS_ENV] = JSON.stringify(postgres.urls);
      process.env[POSTGRES_SERVER_ENV] = cluster.url();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}
