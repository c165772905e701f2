import { resolve } from 'node:path';
import { DEFAULT_HOST, DEFAULT_PORTS, DEMO_ADMINS } from '@shop/dev-identity';
import { assertPortsFree, systemPorts } from './ports';
import { REPO_ROOT } from './system';

/**
 * `pnpm start`: migrate, seed an empty database, build the API and the sandbox (`pnpm build`) and both H5 apps, run
 * the API and the sandbox from their builds with plain node, serve the H5 apps, print where they are, and stop
 * everything on Ctrl-C. Data stays in DATA_DIR (default .data/) across restarts. Ports: API_PORT, SANDBOX_PORT,
 * SHOP_PORT, ADMIN_PORT; a port another program holds stops the start at once, naming it. `--no-build` runs the
 * existing builds.
 */

const env = process.env;
const port = (name: string, fallback: number) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number (0 to 65535), not ${JSON.stringify(env[name])}`);
    process.exit(1);
  }
  return value;
};

const dataDir = resolve(REPO_ROOT, env.DATA_DIR ?? '.data');
const host = env.HOST ?? DEFAULT_HOST;
const ports = {
  api: port('API_PORT', DEFAULT_PORTS.api),
  sandbox: port('SANDBOX_PORT', DEFAULT_PORTS.sandbox),
  shop: port('SHOP_PORT', DEFAULT_PORTS.shop),
  admin: port('ADMIN_PORT', DEFAULT_PORTS.admin),
};
const build = !process.argv.includes('--no-build');

/** Ends the start with a plain message (no stack) and a non-zero exit. */
function fail(error: unknown): never {
  console.error(`pnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

// Before building anything: a taken port would otherwise surface only in logs/api.log, after minutes of building.
await assertPortsFree(host, systemPorts(ports)).catch(fail);

// Loaded after the port check, which then answers within a second or two.
const { defaultDatabaseLocation, describeLocation } = await import('@shop/db');
const { buildServices } = await import('./build');
const { startSystem } = await import('./system');
// The API's own choice (apps/api/src/env.ts): DATABASE_URL, else DATABASE_FILE, else <DATA_DIR>/shop.db.
const database = defaultDatabaseLocation({ ...env, DATA_DIR: dataDir });

if (build) {
  console.log('building the API and the sandbox ...');
  await buildServices((line) => console.log(line)).catch(fail);
}

const system = await startSystem({
  dataDir,
  host,
  ports,
  build,
  runtime: 'built',
  echoLogs: process.argv.includes('--logs'),
  log: (line) => console.log(line),
}).catch(fail);

const owner = DEMO_ADMINS.find((a) => a.role === 'owner');
console.log(`
  Alipay mini-program shop is running

  Shop (H5)      ${system.urls.shop}
  Admin (H5)     ${system.urls.admin}      sign in as ${owner?.username} / ${owner?.password}
  API            ${system.urls.api}
  Alipay sandbox ${system.urls.sandbox}

  Database       ${database.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${describeLocation(database)}
  Data: ${system.dataDir}   Logs: ${system.logDir}
  Press Ctrl-C to stop.
`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  console.log('stopping ...');
  system.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
