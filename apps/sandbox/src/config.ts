import { randomUUID } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_HOST, DEFAULT_PORTS, DEV_APP_ID } from '@shop/dev-identity';
import type { Level } from 'pino';
import { REPO_ROOT, type SandboxEnv } from './env';

export type LogLevel = Level | 'silent';

/** Overrides for `startSandbox`; anything left out comes from the environment, then from the defaults. */
export interface StartSandboxOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  dataDir?: string;
  /** Defaults to `<dataDir>/sandbox.db`. */
  dbFile?: string;
  /** The origin pages and bill URLs use; defaults to `http://<host>:<port>`. */
  publicUrl?: string;
  /** 1 is real time; 0.001 runs notify retries, auth-code and trade expiry 1000 times faster. */
  timeScale?: number;
  /** Service fee rate in basis points (60 = 0.6%). */
  feeRateBps?: number;
  /** Serve bills for today's China date too (real Alipay publishes a day's bill the next day). */
  billsSameDay?: boolean;
  /** Deadline for one notify POST. */
  notifyTimeoutMs?: number;
  /**
   * An auth code's life in real milliseconds instead of Alipay's 5 minutes scaled: for a harness whose time scale is
   * about trades and notifies, where a scaled code (3 s at 0.01) could expire before a busy machine exchanges it.
   */
  authCodeTtlMs?: number;
  logLevel?: LogLevel;
  /** PEM file of the gateway's signing key; without it the development keys under `<dataDir>/keys/` are used. */
  alipayPrivateKeyFile?: string;
  /** The app registered at start (default: the development app id). */
  appId?: string;
  /** PEM file of that app's public key; without it `<dataDir>/keys/app-public.pem`. */
  appPublicKeyFile?: string;
}

export interface SandboxConfig {
  /** Named in GET /healthz (SANDBOX_INSTANCE_ID; a random id per process when unset). */
  instanceId: string;
  host: string;
  port: number;
  dataDir: string;
  dbFile: string;
  publicUrl: string | undefined;
  timeScale: number;
  feeRateBps: number;
  billsSameDay: boolean;
  notifyTimeoutMs: number;
  /** See StartSandboxOptions; null: 5 minutes, scaled. */
  authCodeTtlMs: number | null;
  logLevel: LogLevel;
  alipayPrivateKeyFile: string | undefined;
  appId: string;
  appPublicKeyFile: string | undefined;
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
}

/**
 * Options win over the environment, which wins over the defaults. Relative paths are relative to the repo root.
 * An explicit `dataDir` option makes a self-contained sandbox (tests start one per temp dir): the environment's file
 * paths (database, key files) are then ignored, so a developer's shell cannot point every test at one database.
 */
export function resolveConfig(env: SandboxEnv, options: StartSandboxOptions = {}): SandboxConfig {
  if (options.dataDir !== undefined) {
    env = {
      ...env,
      SANDBOX_DB_FILE: undefined,
      SANDBOX_ALIPAY_PRIVATE_KEY_FILE: undefined,
      SANDBOX_APP_PUBLIC_KEY_FILE: undefined,
    };
  }
  const dataDir = absolute(options.dataDir ?? env.DATA_DIR ?? '.data');
  const timeScale = options.timeScale ?? env.SANDBOX_TIME_SCALE ?? 1;
  if (!(timeScale > 0 && timeScale <= 1000))
    throw new RangeError(`timeScale must be in (0, 1000], got ${timeScale}`);
  const feeRateBps = options.feeRateBps ?? env.SANDBOX_FEE_RATE_BPS ?? 60;
  if (!Number.isInteger(feeRateBps) || feeRateBps < 0 || feeRateBps > 10_000) {
    throw new RangeError(`feeRateBps must be an integer from 0 to 10000, got ${feeRateBps}`);
  }
  const keyFile = options.alipayPrivateKeyFile ?? env.SANDBOX_ALIPAY_PRIVATE_KEY_FILE;
  const appKeyFile = options.appPublicKeyFile ?? env.SANDBOX_APP_PUBLIC_KEY_FILE;
  return {
    instanceId: env.SANDBOX_INSTANCE_ID ?? randomUUID(),
    host: options.host ?? env.SANDBOX_HOST ?? DEFAULT_HOST,
    port: options.port ?? env.SANDBOX_PORT ?? DEFAULT_PORTS.sandbox,
    dataDir,
    dbFile: absolute(options.dbFile ?? env.SANDBOX_DB_FILE ?? join(dataDir, 'sandbox.db')),
    publicUrl: (options.publicUrl ?? env.SANDBOX_PUBLIC_URL)?.replace(/\/+$/, ''),
    timeScale,
    feeRateBps,
    billsSameDay: options.billsSameDay ?? env.SANDBOX_BILLS_SAME_DAY ?? false,
    notifyTimeoutMs: options.notifyTimeoutMs ?? env.SANDBOX_NOTIFY_TIMEOUT_MS ?? 10_000,
    authCodeTtlMs: options.authCodeTtlMs ?? null,
    logLevel: options.logLevel ?? env.SANDBOX_LOG_LEVEL ?? 'info',
    alipayPrivateKeyFile: keyFile === undefined ? undefined : absolute(keyFile),
    appId: options.appId ?? env.SANDBOX_APP_ID ?? DEV_APP_ID,
    appPublicKeyFile: appKeyFile === undefined ? undefined : absolute(appKeyFile),
  };
}
