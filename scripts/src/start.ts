import { defaultDatabaseLocation, describeLocation } from '@shop/db';
import { DEFAULT_PORTS, DEMO_ADMINS } from '@shop/dev-identity';
import { REPO_ROOT, startSystem } from './system';
import { resolve } from 'node:path';

/**
 * `pnpm start`: migrate, seed an empty database, build and serve all four parts, print where they are, and stop
 * everything on Ctrl-C. Data stays in DATA_DIR (default .data/) across restarts. Ports: API_PORT, SANDBOX_PORT,
 * SHOP_PORT, ADMIN_PORT. `--no-build` serves the existing H5 builds.
 */

const env = process.env;
const port = (name: string, fallback: number) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${name} must be a port number`);
  return value;
};

const dataDir = resolve(REPO_ROOT, env.DATA_DIR ?? '.data');
// The API's own choice (apps/api/src/env.ts): DATABASE_URL, else DATABASE_FILE, else <DATA_DIR>/shop.db.
const database = defaultDatabaseLocation({ ...env, DATA_DIR: dataDir });

const system = await startSystem({
  dataDir,
  host: env.HOST,
  ports: {
    api: port('API_PORT', DEFAULT_PORTS.api),
    sandbox: port('SANDBOX_PORT', DEFAULT_PORTS.sandbox),
    shop: port('SHOP_PORT', DEFAULT_PORTS.shop),
    admin: port('ADMIN_PORT', DEFAULT_PORTS.admin),
  },
  build: !process.argv.includes('--no-build'),
  echoLogs: process.argv.includes('--logs'),
  log: (line) => console.log(line),
});

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
