import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_APP_ID, DEV_BUYERS, ensureDevKeys } from '@shop/dev-identity';
import type { Engine } from '@shop/db';
import { createTestDatabase } from '@shop/db/testing';
import { startSandbox } from 'sandbox';
import { inject } from 'vitest';
import type { Db } from '../db';
import { loadEnv } from '../env';
import { startApi, type ApiServer } from '../server';

/**
 * A real system for integration tests: the sandbox (in this process, its own SQLite file) and the API (in this
 * process, on a fresh database of the test project's engine: a SQLite file migrated the way production is, or a
 * PostgreSQL database copied from the run's migrated template), both on free ports, talking over HTTP. Nothing is
 * mocked; tests drive the API over HTTP and may read the database to check rows.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * How the API signs in to Alipay in this test project (vitest.config.ts): `certificate` runs the same tests with
     * the app switched to certificate mode at the sandbox and the API configured with the three certificates.
     */
    alipayMode: AlipayMode;
  }
}

export type AlipayMode = 'public-key' | 'certificate';

/** The test project's Alipay mode (public-key when the project says nothing). */
export function testAlipayMode(): AlipayMode {
  return inject('alipayMode') ?? 'public-key';
}

export interface TestSystem {
  /** The mode the API talks to Alipay in. */
  alipayMode: AlipayMode;
  /** The Alipay settings of that mode (the three certificates in certificate mode), for API processes a test starts. */
  alipayEnv: Record<string, string>;
  api: ApiServer;
  apiUrl: string;
  sandboxUrl: string;
  db: Db;
  dataDir: string;
  /** JSON request to the API; the token, when given, goes in the Authorization header. */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<JsonResponse<T>>;
  /** JSON request to the sandbox's control API (paths start with /sandbox/). */
  sandbox<T = unknown>(method: string, path: string, body?: unknown): Promise<JsonResponse<T>>;
  /** Signs a sandbox buyer in through a real auth code; returns the session token. */
  signIn(buyerId?: string): Promise<string>;
  close(): Promise<void>;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send this exact text as the body (with the given content type) instead of JSON. */
  rawBody?: string;
  contentType?: string;
}

export interface JsonResponse<T> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

async function toJson<T>(response: Response): Promise<JsonResponse<T>> {
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: response.status, body: body as T, text, headers: response.headers };
}

export interface TestSystemOptions {
  /** Extra API environment variables (ORDER_TTL_MS, PAYMENT_QUERY_DELAY_MS ...). Jobs are off unless enabled here. */
  env?: Record<string, string>;
  /**
   * The sandbox's time scale (default 0.01): Alipay's first notify retry after 2.4 s instead of 4 minutes, auth codes
   * valid 3 s instead of 5 minutes. Much faster and a loaded CI machine lets an auth code expire before it is used.
   */
  sandboxTimeScale?: number;
  /** Let the sandbox serve today's bill (Alipay, and the sandbox by default, publish a day's bill the next day). */
  billsSameDay?: boolean;
  /** Public-key or certificate mode; by default the test project's (testAlipayMode()). */
  alipayMode?: AlipayMode;
  /**
   * The API's database engine; by default the test project's. A test that needs both engines at once (the copy from
   * SQLite to PostgreSQL) runs the shop on SQLite inside the PostgreSQL project.
   */
  engine?: Engine;
}

/**
 * Certificate mode: the sandbox issues the development app its certificate (as Alipay's console does for the app's
 * public key), and the API gets the three certificates inline, the way a deployment passes them by env.
 */
async function certificateEnv(sandboxUrl: string, dataDir: string): Promise<Record<string, string>> {
  const { appPublicPem } = ensureDevKeys(dataDir);
  const res = await fetch(`${sandboxUrl}/sandbox/apps/${DEV_APP_ID}/certificate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ publicKey: appPublicPem }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`the sandbox issued no app certificate: ${res.status} ${text}`);
  const bundle = JSON.parse(text) as {
    appCertificate: string;
    alipayCertificate: string;
    alipayRootCertificate: string;
  };
  return {
    ALIPAY_APP_CERT: bundle.appCertificate,
    ALIPAY_PUBLIC_CERT: bundle.alipayCertificate,
    ALIPAY_ROOT_CERT: bundle.alipayRootCertificate,
  };
}

export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-it-'));
  const database = await createTestDatabase({
    dir: dataDir,
    migrate: false,
    ...(options.engine ? { engine: options.engine } : {}),
  });
  const sandbox = await startSandbox({
    port: 0,
    dataDir,
    timeScale: options.sandboxTimeScale ?? 0.01,
    // Sign-in is set-up here, not under test: a real 5 minutes, however long a busy machine takes to exchange it.
    authCodeTtlMs: 5 * 60_000,
    ...(options.billsSameDay === undefined ? {} : { billsSameDay: options.billsSameDay }),
    logLevel: 'silent',
  });
  const alipayMode = options.alipayMode ?? testAlipayMode();
  const certEnv = alipayMode === 'certificate' ? await certificateEnv(sandbox.url, dataDir) : {};
  const env = loadEnv({
    NODE_ENV: 'test',
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: database.location.url,
    LOG_LEVEL: 'silent',
    ALIPAY_GATEWAY: sandbox.gatewayUrl,
    JOBS_ENABLED: 'false',
    // jobs.runAllOnce() would otherwise fetch yesterday's bill too; reconciliation tests switch it on.
    RECONCILE_ENABLED: 'false',
    SESSION_RATE_LIMIT_PER_MINUTE: '1000',
    ...certEnv,
    ...options.env,
  });
  const api = await startApi(env);

  const request = async <T>(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<JsonResponse<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) {
      body = opts.rawBody;
      if (opts.contentType) headers['content-type'] = opts.contentType;
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    return toJson<T>(await fetch(`${api.url}${path}`, { method, headers, body }));
  };

  const sandboxRequest = async <T>(method: string, path: string, body?: unknown): Promise<JsonResponse<T>> =>
    toJson<T>(
      await fetch(`${sandbox.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );

  return {
    alipayMode,
    alipayEnv: certEnv,
    api,
    apiUrl: api.url,
    sandboxUrl: sandbox.url,
    db: api.deps.db,
    dataDir,
    request,
    sandbox: sandboxRequest,
    async signIn(buyerId = DEV_BUYERS[0]!.userId) {
      const code = await sandboxRequest<{ authCode: string }>('POST', '/sandbox/auth-codes', { buyerId });
      if (code.status !== 200 && code.status !== 201) throw new Error(`auth code failed: ${code.text}`);
      const session = await request<{ token: string }>('POST', '/api/session', {
        body: { authCode: code.body.authCode },
      });
      if (session.status !== 201) throw new Error(`sign-in failed: ${session.text}`);
      return session.body.token;
    },
    async close() {
      await api.close();
      await sandbox.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
