import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSystem, startSystem } from '@shop/scripts';

/** The URLs of the system under test, published by global setup through the environment. */
export interface E2eUrls {
  api: string;
  sandbox: string;
  shop: string;
  admin: string;
}

export const URLS_ENV = 'E2E_SYSTEM_URLS';

/** E2E_KEEP_DATA=1 keeps each system's data folder (databases, logs) after the run, for a look. */
export const KEEP_DATA = process.env.E2E_KEEP_DATA === '1';

export function systemUrls(): E2eUrls {
  const raw = process.env[URLS_ENV];
  if (!raw)
    throw new Error(`${URLS_ENV} is not set: run through playwright test (global setup starts the system)`);
  return JSON.parse(raw) as E2eUrls;
}

/**
 * The API's settings for end-to-end runs: background jobs every half second and a payment's first query after
 * three seconds, so recovery happens in test time. Everything else is as `pnpm start` runs it.
 */
export const E2E_API_ENV: Readonly<Record<string, string>> = {
  JOB_INTERVAL_MS: '500',
  PAYMENT_QUERY_DELAY_MS: '3000',
  LOG_LEVEL: 'info',
};

/**
 * A second system, for a spec that needs what would disturb every other spec on the shared one: a sandbox fault
 * (faults are global to the sandbox) or API settings such as a short order expiry. It serves the H5 builds global
 * setup made (no build), on free ports and a fresh data folder; stop it in afterAll.
 */
export async function startOwnSystem(
  name: string,
  apiEnv: Record<string, string> = {},
): Promise<RunningSystem> {
  const system = await startSystem({
    dataDir: mkdtempSync(join(tmpdir(), `shop-e2e-${name}-`)),
    ports: { api: 0, sandbox: 0, shop: 0, admin: 0 },
    removeDataDirOnStop: KEEP_DATA === false,
    build: false,
    apiEnv: { ...E2E_API_ENV, ...apiEnv },
  });
  console.log(`[e2e] ${name}: own system up: ${JSON.stringify(system.urls)} (logs: ${system.logDir})`);
  return system;
}
