import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closeDb, createDb, parseDatabaseLocation, type Db, type DbLocation } from '@shop/db';
import { dropDatabase, startPostgresCluster, type PostgresCluster } from '@shop/db/cluster';
import { devKeyFiles, type DevKeyFiles } from '@shop/dev-identity';
import { startSystem } from '@shop/scripts';
import { createHttpClient, type HttpClient } from './http';
import type { BenchOptions } from './options';

/**
 * The system under test: the sandbox and the API started by `startSystem` exactly as `pnpm start` starts them (each
 * in its own Node process, TypeScript through tsx), on free ports and a fresh data folder, with the API configured as
 * in production, on SQLite (a file in the data folder) or PostgreSQL (a private cluster with the server's default
 * settings, started for the run on this machine, or a database on a given server). With `proxy`, nginx terminates
 * TLS in front of one or more API processes, as in production. The load generator runs in this process, so the API's
 * processes do nothing but serve.
 */
export interface BenchSystem {
  /** Where clients send their requests: the API process itself, or nginx's https origin behind the proxy. */
  apiUrl: string;
  sandboxUrl: string;
  /** Every API process's id, for their CPU time. */
  apiPids: (number | undefined)[];
  sandboxPid: number | undefined;
  /** The PostgreSQL server's postmaster when the bench started the server (for its CPU time); otherwise undefined. */
  databasePid: number | undefined;
  /** Behind the proxy: the PEM file of its throwaway certificate, which the setup requests trust; otherwise null. */
  certificate: string | null;
  /** The setup requests' client (trusting `certificate`); closed by `stop`. */
  http: HttpClient;
  dataDir: string;
  logDir: string;
  /** The folder the API's CPU profile (node --cpu-prof) is written to as it exits, when profiling. */
  profileDir: string | null;
  keys: DevKeyFiles;
  /**
   * A second connection to the API's database, for writing the bench catalog through `insertProduct` and for the
   * correctness checks. SQLite in WAL mode lets it read while the API writes; writes wait for the lock.
   */
  db: Db;
  database: DbLocation;
  /** Stops both processes (the API writes its profile as it exits) and removes the data folder unless kept. */
  stop(): Promise<void>;
}

/** Without the proxy, the public origin the API would sit behind in production; no request is sent to it. */
const PUBLIC_URL = 'https://shop.bench.invalid';

export async function startBenchSystem(
  options: Pick<
    BenchOptions,
    'logLevel' | 'dataDir' | 'keepData' | 'db' | 'postgresServerUrl' | 'apiProcesses' | 'proxy'
  > & {
    profileDir: string | null;
    /** More Node flags for the API process (a preload that measures something, say). */
    apiNodeArgs?: string[];
  },
): Promise<BenchSystem> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), 'shop-bench-'));
  mkdirSync(dataDir, { recursive: true });
  if (readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is not empty: the benchmark needs a fresh data folder`);
  }
  const keys = devKeyFiles(dataDir);
  const { profileDir } = options;
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  let cluster: PostgresCluster | null = null;
  let database: DbLocation;
  if (options.db === 'postgres') {
    if (!options.postgresServerUrl) cluster = await startPostgresCluster({}, process.env);
    const server = new URL(options.postgresServerUrl ?? cluster!.url());
    server.pathname = `/shop_bench_${randomBytes(4).toString('hex')}`;
    database = parseDatabaseLocation(server.toString());
  } else {
    database = parseDatabaseLocation(join(dataDir, 'shop.db'));
  }

  const dropDatabaseOrCluster = async () => {
    if (cluster) await cluster.stop();
    else if (database.engine === 'postgresql') await dropDatabase(database.url);
  };
  const system = await startSystem({
    dataDir,
    ports: { api: 0, sandbox: 0, shop: 0, admin: 0 },
    serveH5: false,
    apiProcesses: options.apiProcesses,
    proxy: options.proxy,
    // The sandbox gets no requests while loads run except the trade creates of the notify setup; quiet logs.
    sandboxEnv: { SANDBOX_LOG_LEVEL: 'warn' },
    apiEnv: {
      // Production settings: keys from files, a real address key, an https public URL, no demo admins. The sandbox
      // generated the development key pair under dataDir/keys before the API starts, and the API reads it from there.
      NODE_ENV: 'production',
      ALIPAY_APP_PRIVATE_KEY_FILE: keys.appPrivate,
      ALIPAY_PUBLIC_KEY_FILE: keys.alipayPublic,
      ADDRESS_ENCRYPTION_KEYS: `bench1:${randomBytes(32).toString('base64')}`,
      // Behind the proxy the public URL is nginx's origin, which startSystem sets.
      ...(options.proxy ? {} : { API_PUBLIC_URL: PUBLIC_URL }),
      // The demo catalog, so catalog reads meet a realistic shop rather than an empty one.
      SEED_DEMO_DATA: 'true',
      LOG_LEVEL: options.logLevel,
      // Payment recovery and order expiry run as in production; the daily bill download is not a hot path and would
      // otherwise make its first attempt in the middle of a measurement.
      JOBS_ENABLED: 'true',
      RECONCILE_ENABLED: 'false',
      // Hundreds of buyers sign in from one address within a minute.
      SESSION_RATE_LIMIT_PER_MINUTE: '1000000',
      DATABASE_URL: database.url,
    },
    apiNodeArgs: [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(options.apiNodeArgs ?? []),
    ],
  }).catch(async (error: unknown) => {
    // startSystem stopped what it had started; the cluster is ours (nginx failing to start, say, must not leak it).
    await dropDatabaseOrCluster().catch(() => undefined);
    throw error;
  });
  const db = createDb(database);
  const http = createHttpClient(system.certificate);
  return {
    apiUrl: system.urls.api,
    sandboxUrl: system.urls.sandbox,
    apiPids: system.pids.apis,
    sandboxPid: system.pids.sandbox,
    databasePid: cluster ? postmasterPid(cluster.dir) : undefined,
    certificate: system.certificate,
    http,
    dataDir,
    logDir: system.logDir,
    profileDir,
    keys,
    db,
    database,
    async stop() {
      await http.close();
      await closeDb(db);
      await system.stop();
      await dropDatabaseOrCluster();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The postmaster's process id: the first line of the data folder's postmaster.pid. */
function postmasterPid(clusterDir: string): number | undefined {
  const pid = Number(readFileSync(join(clusterDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
