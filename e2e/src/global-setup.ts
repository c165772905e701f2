import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSystem } from '@shop/scripts';
import { E2E_API_ENV, KEEP_DATA, URLS_ENV } from './system';

/**
 * Starts the whole system once for the run: a fresh data folder, free ports, the H5 apps built (unless
 * E2E_SKIP_BUILD=1 and builds exist), the API with the e2e job timings (E2E_API_ENV). The sandbox
 * keeps Alipay's real durations: scaling them down would also shorten auth codes (5 minutes) and trades (closed at
 * their time_expire, scaled), so a shopper's 15-minute order would be closed by Alipay within seconds.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-e2e-'));
  const started = Date.now();
  const system = await startSystem({
    dataDir,
    ports: { api: 0, sandbox: 0, shop: 0, admin: 0 },
    removeDataDirOnStop: KEEP_DATA === false,
    build: process.env.E2E_SKIP_BUILD !== '1',
    apiEnv: E2E_API_ENV,
    log: (line) => console.log(`[e2e] ${line}`),
  });
  console.log(
    `[e2e] system up in ${Date.now() - started} ms: ${JSON.stringify(system.urls)} (logs: ${system.logDir})`,
  );

  process.env[URLS_ENV] = JSON.stringify(system.urls);
  return () => system.stop();
}
