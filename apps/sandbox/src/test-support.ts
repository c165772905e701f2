/**
 * Helpers for the sandbox's integration tests (not exported from the package): a sandbox on a temp data dir and a
 * free port, the official alipay-sdk pointed at it, a JSON client for the control API, and a local HTTP endpoint
 * that receives notifies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyToBase64, loadPublicKey, parseForm } from '@shop/alipay';
import { DEV_APP_ID, DEV_BUYERS, ensureDevKeys, type DevKeys } from '@shop/dev-identity';
import { AlipaySdk } from 'alipay-sdk';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from './index';

export const BUYER = DEV_BUYERS[0] as (typeof DEV_BUYERS)[number];
export const POOR_BUYER = DEV_BUYERS[4] as (typeof DEV_BUYERS)[number];

export interface TestSandbox {
  sandbox: RunningSandbox;
  dataDir: string;
  keys: DevKeys;
  /** The official SDK as the development app. */
  sdk: AlipaySdk;
  control<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ControlResponse<T>>;
  /** Stops the sandbox (the data dir stays for a restart). */
  stop(): Promise<void>;
  /** Starts it again on the same data dir. */
  restart(overrides?: StartSandboxOptions): Promise<void>;
  /** Stops it and deletes the data dir. */
  dispose(): Promise<void>;
}

export interface ControlResponse<T> {
  status: number;
  body: T;
}

export function sdkFor(gateway: string, keys: DevKeys, appId = DEV_APP_ID): AlipaySdk {
  return new AlipaySdk({
    appId,
    privateKey: keys.appPrivatePem,
    keyType: 'PKCS8',
    alipayPublicKey: keyToBase64(loadPublicKey(keys.alipayPublicPem)),
    gateway,
    timeout: 10_000,
  });
}

export async function startTestSandbox(options: StartSandboxOptions = {}): Promise<TestSandbox> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-test-'));
  const base: StartSandboxOptions = { port: 0, dataDir, logLevel: 'silent', ...options };
  let sandbox = await startSandbox(base);
  const keys = ensureDevKeys(dataDir);
  const test: TestSandbox = {
    get sandbox() {
      return sandbox;
    },
    dataDir,
    keys,
    get sdk() {
      return sdkFor(sandbox.gatewayUrl, keys);
    },
    async control<T>(method: string, path: string, body?: unknown): Promise<ControlResponse<T>> {
      const response = await fetch(`${sandbox.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    stop: () => sandbox.close(),
    async restart(overrides: StartSandboxOptions = {}) {
      await sandbox.close();
      sandbox = await startSandbox({ ...base, ...overrides });
    },
    async dispose() {
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return test;
}

export interface ReceivedNotify {
  at: number;
  fields: Record<string, string>;
  rawBody: string;
  headers: IncomingHttpHeaders;
}

export interface NotifyReceiver {
  url: string;
  received: ReceivedNotify[];
  /** Resolves once `count` notifies have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedNotify[]>;
  close(): Promise<void>;
}

/** A local notify endpoint; `reply` decides each answer (default: 200 `success`). */
export async function startReceiver(
  reply: (notify: ReceivedNotify, index: number, res: ServerResponse) => void = (_n, _i, res) =>
    res.end('success'),
): Promise<NotifyReceiver> {
  const received: ReceivedNotify[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const notify: ReceivedNotify = {
        at: Date.now(),
        fields: parseForm(raw),
        rawBody: raw.toString('latin1'),
        headers: req.headers,
      };
      received.push(notify);
      reply(notify, received.length - 1, res);
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alipay/notify`,
    received,
    waitFor(count, timeoutMs = 20_000) {
      if (received.length >= count) return Promise.resolve(received.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`expected ${count} notifies, got ${received.length} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received.slice());
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let sequence = 0;
/** A unique out_trade_no per call (letters, digits, underscore). */
export function outTradeNo(prefix = 'T'): string {
  sequence += 1;
  return `${prefix}${Date.now()}_${sequence}`;
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface CreatedTrade {
  outTradeNo: string;
  tradeNo: string;
}

/** Creates a trade through the official SDK (validateSign on) and returns its numbers. */
export async function createTrade(
  t: TestSandbox,
  biz: Record<string, unknown> = {},
  notifyUrl?: string,
): Promise<CreatedTrade> {
  const out = (biz.out_trade_no as string | undefined) ?? outTradeNo();
  const result = await t.sdk.exec(
    'alipay.trade.create',
    {
      ...(notifyUrl ? { notifyUrl } : {}),
      bizContent: {
        out_trade_no: out,
        total_amount: '88.88',
        subject: '测试商品',
        buyer_id: BUYER.userId,
        ...biz,
      },
    },
    { validateSign: true },
  );
  if (result.code !== '10000') throw new Error(`trade.create failed: ${JSON.stringify(result)}`);
  return { outTradeNo: out, tradeNo: result.tradeNo as string };
}

/** Pays a trade through the control API (as the cashier would) and checks it went through. */
export async function payTrade(
  t: TestSandbox,
  tradeNo: string,
  body: Record<string, unknown> = {},
): Promise<void> {
  const paid = await t.control<{ resultCode: string }>('POST', `/sandbox/trades/${tradeNo}/pay`, body);
  if (paid.body.resultCode !== '9000') throw new Error(`payment failed: ${JSON.stringify(paid.body)}`);
}

export interface NotificationView {
  notifyId: string;
  kind: string;
  status: string;
  attemptCount: number;
  fields: Record<string, string>;
  attempts: Array<{
    attemptNo: number;
    copyNo: number;
    startedAt: string;
    outcome: string;
    httpStatus: number | null;
    responseBody: string | null;
    error: string | null;
    faults: string[];
  }>;
}

export async function notifications(t: TestSandbox, outTradeNo: string): Promise<NotificationView[]> {
  const response = await t.control<{ items: NotificationView[] }>(
    'GET',
    `/sandbox/notifications?outTradeNo=${outTradeNo}`,
  );
  return response.body.items;
}

/** Waits until the trade's notify of `kind` reaches `status`. */
export function notifyReaches(
  t: TestSandbox,
  outTradeNo: string,
  kind: string,
  status: string,
  timeoutMs = 20_000,
): Promise<NotificationView> {
  return eventually(async () => {
    const found = (await notifications(t, outTradeNo)).find((n) => n.kind === kind);
    return found?.status === status ? found : undefined;
  }, timeoutMs);
}
