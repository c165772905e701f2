// SIGTERM in the middle of load, on an API in a process of its own: the requests in flight are answered, new
// connections are refused from the moment it begins to stop, an idle keep-alive connection does not hold it up, its
// job items under way finish and their leases are released, and it exits 0 within SHUTDOWN_TIMEOUT_MS.
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderView, PaymentCreateResponse } from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  placeOrder,
  seedSku,
  signUpShopper,
  startPayment,
  type Shopper,
} from './modules/payment/test-support';
import { startApiProcess, type ApiProcess } from './testing/api-process';
import { startTestSystem, type TestSystem } from './testing/harness';

let sys: TestSystem;
let shopper: Shopper;
let slowGateway: Server;
let api: ApiProcess | undefined;

const GATEWAY_DELAY_MS = 800;

/** How many alipay.trade.create calls have reached the slow gateway: each is a payment request the API has taken. */
let createsAtGateway = 0;
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * The sandbox's gateway behind GATEWAY_DELAY_MS of latency, so that a payment request (alipay.trade.create) and a
 * recovery query are still under way when the signal comes. Everything is forwarded unchanged.
 */
function startSlowGateway(target: string): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // The method is in the query string (common parameters) or the form body, as the client sends it.
      if (`${req.url ?? ''}&${Buffer.concat(chunks).toString()}`.includes('method=alipay.trade.create')) {
        createsAtGateway += 1;
      }
      void (async () => {
        await sleep(GATEWAY_DELAY_MS);
        const upstream = await fetch(`${target}${req.url ?? '/'}`, {
          method: req.method ?? 'POST',
          headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
          body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
        });
        res.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'text/plain',
        });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      })().catch(() => res.destroy());
    });
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

interface Sent {
  path: string;
  startedAt: number;
  endedAt?: number;
  status?: number;
  body?: unknown;
  /** The network error's code when there was no answer (ECONNREFUSED, ECONNRESET ...). */
  error?: string;
}

/** One request on a connection of its own (or `agent`'s), recorded (in `log` when given) whatever happens. */
function send(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; agent?: Agent; log?: Sent[] } = {},
): Promise<Sent> {
  const sent: Sent = { path, startedAt: Date.now() };
  // Logged from the start, so that what is in flight can be seen.
  options.log?.push(sent);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((done) => {
    const req = request(
      `${url}${path}`,
      {
        method,
        agent: options.agent ?? false,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          sent.endedAt = Date.now();
          sent.status = res.statusCode;
          sent.body = text ? (JSON.parse(text) as unknown) : undefined;
          done(sent);
        });
        res.on('error', (error: NodeJS.ErrnoException) => {
          sent.error = error.code ?? error.message;
          done(sent);
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      sent.endedAt = Date.now();
      sent.error = error.code ?? error.message;
      done(sent);
    });
    req.end(payload);
  });
}

beforeAll(async () => {
  // The in-test API (jobs off) makes a few payments due for recovery at once, so the process under test holds
  // order leases while the load runs.
  sys = await startTestSystem({ env: { PAYMENT_QUERY_DELAY_MS: '1' } });
  shopper = await signUpShopper(sys);
  slowGateway = await startSlowGateway(sys.sandboxUrl);
});
afterAll(async () => {
  await api?.kill('SIGKILL');
  await new Promise((done) => slowGateway.close(done));
  await sys.close();
});

describe('SIGTERM under load', () => {
  it('answers the requests in flight, refuses new connections, releases its leases and exits 0 in time', async () => {
    const { skuId } = await seedSku(sys, { stock: 1_000 });
    for (let n = 0; n < 4; n++) await startPayment(sys, shopper, (await placeOrder(sys, shopper, skuId)).id);

    api = await startApiProcess({
      ...sys.alipayEnv,
      DATA_DIR: sys.dataDir,
      DATABASE_URL: sys.api.deps.env.DATABASE_URL,
      ALIPAY_GATEWAY: `http://127.0.0.1:${(slowGateway.address() as AddressInfo).port}/gateway.do`,
      LOG_LEVEL: 'info',
      SEED_DEMO_DATA: 'false',
      RECONCILE_ENABLED: 'false',
      SESSION_RATE_LIMIT_PER_MINUTE: '1000',
      JOBS_ENABLED: 'true',
      JOB_INTERVAL_MS: '100',
      PAYMENT_QUERY_DELAY_MS: '200',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    });
    const { url, pid } = api;

    // A keep-alive connection, used once and then left open and idle.
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await send(url, 'GET', '/healthz', { agent: keepAlive })).status).toBe(200);

    // Load: each worker places an order (fast) and starts paying it (GATEWAY_DELAY_MS at the gateway).
    const sent: Sent[] = [];
    let loading = true;
    const worker = async () => {
      while (loading) {
        const order = await send(url, 'POST', '/api/orders', {
          token: shopper.token,
          body: { items: [{ skuId, quantity: 1 }], addressId: shopper.addressId },
          log: sent,
        });
        if (!loading || order.status !== 201) return;
        const id = (order.body as OrderView).id;
        await send(url, 'POST', `/api/orders/${id}/payment`, { token: shopper.token, log: sent });
      }
    };
    const workers = Array.from({ length: 6 }, () => worker());
    const inFlight = () => sent.filter((s) => s.endedAt === undefined);
    const leasesOf = () => sys.db.jobLease.count({ where: { owner: { contains: `:${pid}:` } } });
    await eventually(
      'payments in flight and order leases held',
      async () =>
        inFlight().filter((s) => s.path.endsWith('/payment')).length >= 3 && (await leasesOf()) > 0
          ? true
          : undefined,
      30_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${api!.output()}`);
    });
    // The workers start nothing new; what they have sent stays in flight.
    loading = false;
    // In flight means taken by the process: every order answered, and every payment sent is at the gateway. A
    // connection still in the kernel's accept queue when the listening socket closes is refused, as a new one is.
    await eventually(
      'every request sent taken by the process',
      () =>
        Promise.resolve(
          inFlight().every((s) => s.path.endsWith('/payment')) &&
            createsAtGateway >= sent.filter((s) => s.path.endsWith('/payment')).length
            ? true
            : undefined,
        ),
      15_000,
    );
    const pending = inFlight();
    expect(pending.length).toBeGreaterThanOrEqual(3);

    const signalledAt = Date.now();
    const exited = api.kill('SIGTERM');
    // New connections are refused while the requests in flight are still being answered.
    let refusedAt: number | undefined;
    while (refusedAt === undefined && Date.now() - signalledAt < 5_000) {
      const probe = await send(url, 'GET', '/healthz');
      // Refused, or reset: a connection still in the kernel's accept queue when the listening socket closed is
      // reset without ever reaching the process (nothing was read), the same refusal seen a moment earlier.
      if (probe.error === 'ECONNREFUSED' || probe.error === 'ECONNRESET') refusedAt = probe.endedAt;
      else expect(probe.status, probe.error).toBe(200);
    }
    expect(refusedAt).toBeDefined();
    const exit = await exited;
    const stoppedAfterMs = Date.now() - signalledAt;
    await Promise.all(workers);

    expect(exit, api.output()).toEqual({ code: 0, signal: null });
    expect(stoppedAfterMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    // Every request the process had accepted got its whole answer: 201 for an order, 200 and a trade for a payment.
    for (const request of sent) {
      expect(request.error, request.path).toBeUndefined();
      expect(request.status, request.path).toBe(request.path.endsWith('/payment') ? 200 : 201);
    }
    const pendingPayments = pending.filter((s) => s.path.endsWith('/payment'));
    for (const request of pendingPayments) {
      expect((request.body as PaymentCreateResponse).tradeNo).toMatch(/\S/);
    }
    // Some were answered after the refusal began: in flight, and served, while the process was already stopping.
    expect(pendingPayments.filter((request) => request.endedAt! > refusedAt!).length).toBeGreaterThan(0);
    // Its leases are gone: released on the way out, not left to run out.
    expect(await leasesOf()).toBe(0);
    const logged = api
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(logged).toEqual(
      expect.arrayContaining([
        'stopping',
        'stopping: no new connections; finishing requests in flight and job items under way',
        'requests finished; job leases released',
        'database closed',
        'stopped',
      ]),
    );
    keepAlive.destroy();
  }, 60_000);
});
