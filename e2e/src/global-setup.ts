import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSystem } from '@shop/scripts';
import { URLS_ENV } from './system';

/**
 * Starts the whole system once for the run: a fresh data folder, free ports, the H5 apps built (unless
 * E2E_SKIP_BUILD=1 and builds exist). Background jobs run every half second and payments are queried after
 * three seconds, so recovery flows finish in test time; everything else is as `pnpm start` runs it.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-e2e-'));
  const started = Date.now();
  const system = await startSystem({
    dataDir,
    ports: { api: 0, sandbox: 0, shop: 0, admin: 0 },

    build: process.env.E2E_SKIP_BUILD !== '1',
    apiEnv: { JOB_INTERVAL_MS: '500', PAYMENT_QUERY_DELAY_MS: '3000', LOG_LEVEL: 'info' },
    sandboxEnv: { SANDBOX_TIME_SCALE: '0.01' },
    log: (line) => console.log(`[e2e] ${line}`),
  });
  console.log(
    `[e2e] system up in ${Date.now() - started} ms: ${JSON.stringify(system.urls)} (logs: ${system.logDir})`,
  );

  process.env[URLS_ENV] = JSON.stringify(system.urls);
  return () => system.stop();
}
