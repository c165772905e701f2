import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { type RunningSystem, type SystemOptions, startSystem } from '@shop/scripts';

/** The URLs of the system under test, published by global setup through the environment. */
export interface E2eUrls {
  api: string;
  sandbox: string;
  shop: string;
  admin: string;
}

/**
 * The Playwright project whose specs run against the system with its API on PostgreSQL (playwright.config.ts); the
 * chromium project's run against the API on SQLite.
 */
export const POSTGRES_PROJECT = 'postgres';

/** Where global setup publishes each system's URLs: the API on SQLite, and the API on PostgreSQL. */
export const URLS_ENV = 'E2E_SYSTEM_URLS';
export const POSTGRES_URLS_ENV = 'E2E_POSTGRES_SYSTEM_URLS';

/** The private PostgreSQL cluster's server (a URL of its `postgres` database), for own systems' databases. */
export const POSTGRES_SERVER_ENV = 'E2E_POSTGRES_SERVER_URL';

/** E2E_KEEP_DATA=1 keeps each system's data folder (databases, logs) after the run, for a look. */
export const KEEP_DATA = process.env.E2E_KEEP_DATA === '1';

/** Whether the running test belongs to the PostgreSQL project. Call it inside a test or a hook. */
export function onPostgres(): boolean {
  return test.info().project.name === POSTGRES_PROJECT;
}

function publishedEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run through playwright test (global setup starts the systems)`);
  return value;
}

/** The shared system of the running test's project: the API on SQLite, or on PostgreSQL in the postgres project. */
export function systemUrls(): E2eUrls {
  return JSON.parse(publishedEnv(onPostgres() ? POSTGRES_URLS_ENV : URLS_ENV)) as E2eUrls;
}

/**
 * The API's settings for end-to-end runs: background jobs every half second and a payment's first query after
 * three seconds, so recovery happens in test time; the outbox read every half second and a failed webhook tried
 * again after one second (then 2, 4, ... seconds), so a delivery's retry shows in the admin within the test.
 * Everything else is as `pnpm start` runs it.
 */
export const E2E_API_ENV: Readonly<Record<string, string>> = {
  JOB_INTERVAL_MS: '500',
  PAYMENT_QUERY_DELAY_MS: '3000',
  OUTBOX_INTERVAL_MS: '500',
  WEBHOOK_RETRY_FIRST_MS: '1000',
  LOG_LEVEL: 'info',
};

/** A URL for a database of its own on the run's PostgreSQL cluster; the API creates it when it migrates. */
function freshPostgresDatabase(name: string): string {
  const url = new URL(publishedEnv(POSTGRES_SERVER_ENV));
  url.pathname = `/shop_e2e_${name.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

/**
 * A second system, for a spec that needs what would disturb every other spec on the shared one: a sandbox fault
 * (faults are global to the sandbox) or API settings such as a short order expiry. It serves the H5 builds global
 * setup made (no build), on free ports and a fresh data folder; stop it in afterAll. Started from the postgres
 * project, its API runs on a fresh database of the run's PostgreSQL cluster, like the project's shared system.
 * `shape` runs it as production does: several API processes behind nginx with TLS (`startSystem`'s `apiProcesses` and
 * `proxy`). Call it inside a hook (beforeAll), where the project is known.
 */
export async function startOwnSystem(
  name: string,
  apiEnv: Record<string, string> = {},
  shape: Pick<SystemOptions, 'apiProcesses' | 'proxy'> = {},
): Promise<RunningSystem> {
  const databaseUrl = onPostgres() ? freshPostgresDatabase(name) : null;
  const database: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : {};
  const system = await startSystem({
    dataDir: mkdtempSync(join(tmpdir(), `shop-e2e-${name}-`)),
    ports: { api: 0, sandbox: 0, shop: 0, admin: 0 },
    removeDataDirOnStop: KEEP_DATA === false,
    build: false,
    apiEnv: { ...E2E_API_ENV, ...database, ...apiEnv },
    ...shape,
  });
  const on = databaseUrl ? ` on ${databaseUrl}` : '';
  console.log(`[e2e] ${name}: own system up${on}: ${JSON.stringify(system.urls)} (logs: ${system.logDir})`);
  return system;
}
