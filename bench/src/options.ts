import { parseArgs } from 'node:util';

/** How a benchmark run is sized. Every figure of a run is measured with the same options. */
export interface BenchOptions {
  /** Seconds each measured load runs (the signing scenario splits it among its four tasks). */
  durationSec: number;
  /** Seconds of unmeasured load before each measured one, so the API runs optimised code when measured. */
  warmupSec: number;
  /** Concurrent HTTP connections of every load (the catalog target is stated at 50). */
  connections: number;
  /** Signed-in buyers the checkout and notify loads spread their requests over. */
  buyers: number;
  /** The API's LOG_LEVEL; production logs one line per request at `info`. */
  logLevel: 'info' | 'warn';
  /** Write a V8 CPU profile of the API process (node --cpu-prof) into <dataDir>/profiles. */
  profile: boolean;
  /** Where the data folder goes (a fresh temporary folder by default); it is removed afterwards unless kept. */
  dataDir: string | undefined;
  keepData: boolean;
  /** The API's database engine: SQLite (a file in the data folder) or PostgreSQL (a private cluster, default settings). */
  db: 'sqlite' | 'postgres';
  /**
   * PostgreSQL only: a server to create the bench database on (a maintenance URL) instead of starting a private
   * cluster. The tests pass theirs; `pnpm bench --db postgres` starts its own.
   */
  postgresServerUrl?: string | undefined;
  /**
   * API processes serving the one database (startSystem's `apiProcesses`), each its own Node process. More than one
   * runs behind the proxy, which spreads the connections over them.
   */
  apiProcesses: number;
  /**
   * Run the API as production does: nginx in front terminating TLS (startSystem's `proxy`), so every load and setup
   * request goes over https to nginx, which passes it to the API processes over kept-alive upstream connections.
   */
  proxy: boolean;
  /** Where <timestamp>.json and latest.json are written. */
  resultsDir: string;
  /** Progress lines; silent in tests. */
  log: (line: string) => void;
}

export const DEFAULT_OPTIONS: Omit<BenchOptions, 'resultsDir' | 'log'> = {
  durationSec: 10,
  warmupSec: 2,
  connections: 50,
  buyers: 200,
  logLevel: 'info',
  profile: false,
  dataDir: undefined,
  keepData: false,
  db: 'sqlite',
  apiProcesses: 1,
  proxy: false,
};

const USAGE = `pnpm bench [--db sqlite|postgres] [--duration <s>] [--warmup <s>] [--connections <n>] [--buyers <n>]
           [--api-processes <n>] [--proxy] [--log-level info|warn] [--profile] [--data-dir <dir>] [--keep-data]

  --api-processes <n>  API processes on the one database (default 1); more than one runs behind the proxy
  --proxy              nginx in front of the API, terminating TLS, as in production (implied by --api-processes > 1)`;

function positive(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`--${name} must be a number >= ${min}\n${USAGE}`);
  return value;
}

/** Parses the command line of `pnpm bench`; unknown flags are refused with the usage text. */
export function parseBenchArgs(
  argv: readonly string[],
): Omit<BenchOptions, 'resultsDir' | 'log'> & { help: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      buyers: { type: 'string' },
      'log-level': { type: 'string' },
      profile: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'keep-data': { type: 'boolean', default: false },
      db: { type: 'string' },
      'api-processes': { type: 'string' },
      proxy: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const logLevel = values['log-level'] ?? DEFAULT_OPTIONS.logLevel;
  if (logLevel !== 'info' && logLevel !== 'warn')
    throw new Error(`--log-level must be info or warn\n${USAGE}`);
  const db = values.db ?? DEFAULT_OPTIONS.db;
  if (db !== 'sqlite' && db !== 'postgres') throw new Error(`--db must be sqlite or postgres\n${USAGE}`);
  const apiProcesses = Number(values['api-processes'] ?? DEFAULT_OPTIONS.apiProcesses);
  if (!Number.isInteger(apiProcesses) || apiProcesses < 1)
    throw new Error(`--api-processes must be a whole number >= 1\n${USAGE}`);
  return {
    help: values.help,
    durationSec: positive('duration', values.duration, DEFAULT_OPTIONS.durationSec, 0.5),
    warmupSec: positive('warmup', values.warmup, DEFAULT_OPTIONS.warmupSec, 0),
    connections: Math.round(positive('connections', values.connections, DEFAULT_OPTIONS.connections, 1)),
    buyers: Math.round(positive('buyers', values.buyers, DEFAULT_OPTIONS.buyers, 1)),
    logLevel,
    profile: values.profile,
    dataDir: values['data-dir'],
    keepData: values['keep-data'],
    db,
    apiProcesses,
    // More than one API process runs behind the proxy: something has to spread the connections over them.
    proxy: values.proxy || apiProcesses > 1,
  };
}

export { USAGE };
