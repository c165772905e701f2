import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressBody, AdminOrderDetail, OrderView } from '@shop/contract';
import type { RunningSystem } from '@shop/scripts';
import { expect, test } from './fixtures';
import { PHONE } from './devices';
import { adminHeaders, adminOrder, newBuyer, productWithSpecs, sandboxNotifications } from './support/api';
import {
  chooseSku,
  expectCashier,
  fillAddress,
  openCartLine,
  orderIdFromUrl,
  payInCashier,
  shown,
  signInShop,
} from './support/shop';
import { onPostgres, startOwnSystem, type E2eUrls } from './system';

/**
 * The shop as production runs it (docs/deploy.md): nginx terminating TLS with a throwaway certificate in front of two
 * API processes on one PostgreSQL database, serving both H5 builds, with TRUSTED_PROXIES naming it. A shopper buys
 * and pays through it and the sandbox posts the notify to the https notify_url (the payment query waits 10 minutes,
 * so only the notify can pay the order); sign-ins are limited per shopper address across both processes; a forged
 * X-Forwarded-For straight to a process is ignored; and each process in turn is stopped with SIGTERM in the middle of
 * load and started again (a rolling restart) without a failed request. Runs in the postgres project only.
 */

const SESSION_LIMIT = 30;

let system: RunningSystem;
let urls: E2eUrls;
let ca: string;

test.describe.configure({ mode: 'serial' });
test.use({ ...PHONE, ignoreHTTPSErrors: true });

test.beforeAll(async () => {
  if (!onPostgres()) throw new Error('proxy.spec.ts belongs to the postgres project (playwright.config.ts)');
  system = await startOwnSystem(
    'proxy',
    {
      // Only the notify can pay the order in the first test.
      PAYMENT_QUERY_DELAY_MS: String(10 * 60_000),
      SESSION_RATE_LIMIT_PER_MINUTE: String(SESSION_LIMIT),
    },
    { apiProcesses: 2, proxy: true },
  );
  urls = system.urls;
  ca = readFileSync(system.certificate!, 'utf8');
});

test.afterAll(async () => {
  await system?.stop();
});

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One request from a chosen client address (127.0.0.0/8 is all loopback), over https trusting the proxy's CA. */
function send(
  url: string,
  options: { method?: string; from?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers, localAddress: options.from, ca, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** An auth code for a new sandbox buyer, as the mini-program gets one from my.getAuthCode. */
async function authCode(buyerId: string): Promise<string> {
  const answer = await send(`${urls.sandbox}/sandbox/auth-codes`, { method: 'POST', body: { buyerId } });
  expect(answer.status, answer.body).toBe(201);
  return (JSON.parse(answer.body) as { authCode: string }).authCode;
}

async function newBuyerId(nickname: string): Promise<string> {
  const answer = await send(`${urls.sandbox}/sandbox/buyers`, {
    method: 'POST',
    body: { nickname, balanceFen: 10_000_000 },
  });
  expect(answer.status, answer.body).toBe(201);
  return (JSON.parse(answer.body) as { userId: string }).userId;
}

/** Signs in at `base` (the proxy or a process) from `from` with an auth code, with extra headers. */
function signIn(base: string, code: string, from: string, headers: Record<string, string> = {}) {
  return send(`${base}/api/session`, { method: 'POST', from, headers, body: { authCode: code } });
}

/** `n` auth codes for one buyer, fetched before a burst so that the burst itself takes well under a second. */
function authCodes(buyerId: string, n: number): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, () => authCode(buyerId)));
}

/**
 * The limit counts in fixed windows of a minute aligned to the epoch (apps/api/src/lib/rate-limits.ts): a burst that
 * straddled a window's end would be counted in two. Waits, when less than 15 s of the window is left, for the next.
 */
async function earlyInAWindow(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

/**
 * The API's request log lines (one per request, with the client address it took) from `ip` for `path`. A process logs
 * a request after answering it, so a caller polls; the text after the last newline may be a line still being written.
 */
function requestsLogged(logFile: string, ip: string, path: string): { status: number }[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; ip?: string; path?: string; status: number })
    .filter((entry) => entry.msg === 'request' && entry.ip === ip && entry.path === path);
}

const NEW_ADDRESS: AddressBody = {
  name: '赵六',
  phone: '13600136000',
  province: '广东省',
  city: '深圳市',
  district: '南山区',
  detail: '科技园路 8 号 12 楼',
  isDefault: true,
};

test('a shopper buys and pays through nginx; the sandbox posts the notify to the https notify_url, and it pays the order', async ({
  page,
  request,
}) => {
  expect(urls.shop).toMatch(/^https:\/\//);
  const buyer = await newBuyer(request, urls, '钱多多');
  const { product, sku } = await productWithSpecs(request, urls, 'limit=20');

  await signInShop(page, urls, buyer.userId, `/pages/product/index?id=${product.id}`);
  await shown(page.getByTestId('product-add-to-cart')).click();
  const sheet = await chooseSku(page, product, sku);
  await sheet.getByTestId('spec-confirm').click();
  await expect(page.getByText('已加入购物车')).toBeVisible();
  await openCartLine(page, product, sku);
  await shown(page.getByTestId('cart-checkout')).click();
  await fillAddress(shown(page.getByTestId('checkout-address-form')), NEW_ADDRESS);
  await shown(page.getByTestId('checkout-submit')).click();
  await expectCashier(page, urls, sku.priceFen);
  await payInCashier(page, urls);
  const orderId = orderIdFromUrl(page);
  const result = page.getByTestId('pay-result');
  await expect(result).toHaveAttribute('data-outcome', 'paid');
  await expect(result.getByTestId('pay-result-status')).toHaveText('支付成功');

  // The notify went to the shop's https origin through nginx and was answered `success` on its first attempt.
  const owner = await adminHeaders(request, urls);
  const detail: AdminOrderDetail = await adminOrder(request, urls, owner, orderId);
  expect(detail.status).toBe('PAID');
  const outTradeNo = detail.payment.payment?.outTradeNo ?? '';
  // The sandbox logs the delivery once the shop's answer is back, which can be just after the order shows PAID.
  await expect
    .poll(async () => (await sandboxNotifications(request, urls, outTradeNo))[0]?.status)
    .toBe('delivered');
  const [notify] = await sandboxNotifications(request, urls, outTradeNo);
  expect(notify).toMatchObject({ kind: 'payment', status: 'delivered' });
  expect((notify as unknown as { notifyUrl: string }).notifyUrl).toBe(`${urls.shop}/api/alipay/notify`);
  expect(notify!.attempts[0]).toMatchObject({ outcome: 'success', httpStatus: 200 });
  // The API paid the order from that notify (verified, applied), not from a query (none was due yet).
  expect(detail.payment.notifies.map((n) => [n.verified, n.outcome])).toEqual([[true, 'APPLIED']]);
  expect(detail.payment.gatewayCalls.map((call) => call.purpose)).not.toContain('query');
});

test(`sign-ins are limited per shopper address behind the proxy, counted across both processes (${SESSION_LIMIT} a minute)`, async () => {
  const buyerId = await newBuyerId('孙八');
  // 40 shoppers at once, each from an address of their own: none is limited.
  let codes = await authCodes(buyerId, 40);
  await earlyInAWindow();
  const many = await Promise.all(codes.map((code, i) => signIn(urls.api, code, `127.0.0.${20 + i}`)));
  expect(many.map((answer) => answer.status)).toEqual(Array(40).fill(201));

  // 40 at once from one address, each claiming another in X-Forwarded-For: nginx appends the real address, which the
  // API takes. nginx spreads them over both processes, and the limit is one count in the database.
  codes = await authCodes(buyerId, 40);
  await earlyInAWindow();
  const one = await Promise.all(
    codes.map((code, i) => signIn(urls.api, code, '127.0.0.90', { 'x-forwarded-for': `203.0.113.${i}` })),
  );
  expect(one.filter((answer) => answer.status === 201)).toHaveLength(SESSION_LIMIT);
  const limited = one.filter((answer) => answer.status !== 201);
  expect(limited.map((answer) => answer.status)).toEqual(Array(40 - SESSION_LIMIT).fill(429));
  expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThan(0);
  // Both processes answered some of them, and both logged the shopper's real address.
  for (const api of system.apis) {
    await expect
      .poll(() => requestsLogged(api.logFile, '127.0.0.90', '/api/session').length, { timeout: 10_000 })
      .toBeGreaterThan(0);
  }
});

test('a forged X-Forwarded-For sent straight to an API process is ignored: the peer is not a trusted proxy', async () => {
  const buyerId = await newBuyerId('周九');
  const direct = system.apis[0]!.url;
  const codes = await authCodes(buyerId, SESSION_LIMIT + 1);
  await earlyInAWindow();
  const answers = await Promise.all(
    codes.map((code, i) =>
      signIn(direct, code, '127.0.0.91', {
        'x-forwarded-for': `198.51.100.${i}`,
        'x-forwarded-proto': 'https',
      }),
    ),
  );
  // Every one counted against 127.0.0.91, the address the requests came from: one is over the limit.
  expect(answers.filter((answer) => answer.status === 201)).toHaveLength(SESSION_LIMIT);
  expect(answers.filter((answer) => answer.status === 429)).toHaveLength(1);
  await expect
    .poll(() => requestsLogged(system.apis[0]!.logFile, '127.0.0.91', '/api/session').length, {
      timeout: 10_000,
    })
    .toBe(SESSION_LIMIT + 1);
});

test('each API process stopped with SIGTERM in the middle of load, then started again: no request fails', async () => {
  const buyerId = await newBuyerId('吴十');
  const session = await signIn(urls.api, await authCode(buyerId), '127.0.0.92');
  expect(session.status).toBe(201);
  const auth = { authorization: `Bearer ${(JSON.parse(session.body) as { token: string }).token}` };
  const address = await send(`${urls.api}/api/addresses`, {
    method: 'POST',
    headers: auth,
    body: NEW_ADDRESS,
  });
  expect(address.status, address.body).toBe(201);
  const addressId = (JSON.parse(address.body) as { id: string }).id;
  const listed = await send(`${urls.api}/api/products?limit=20`);
  const productId = (JSON.parse(listed.body) as { items: { id: string; soldOut: boolean }[] }).items.find(
    (item) => !item.soldOut,
  )!.id;
  const detail = JSON.parse((await send(`${urls.api}/api/products/${productId}`)).body) as {
    skus: { id: string; stock: number }[];
  };
  const skuId = detail.skus.find((s) => s.stock >= 20)!.id;

  // Each worker reads the catalog, places an order for one unit and cancels it (stock goes back), over and over.
  const failures: string[] = [];
  const counts = { requests: 0, orders: 0 };
  let loading = true;
  const check = (what: string, answer: Answer, expected: number) => {
    counts.requests++;
    if (answer.status !== expected) failures.push(`${what}: ${answer.status} ${answer.body.slice(0, 200)}`);
    return answer.status === expected;
  };
  const worker = async () => {
    while (loading) {
      try {
        check('GET /api/products', await send(`${urls.api}/api/products?limit=10`), 200);
        const order = await send(`${urls.api}/api/orders`, {
          method: 'POST',
          headers: auth,
          body: { items: [{ skuId, quantity: 1 }], addressId },
        });
        if (!check('POST /api/orders', order, 201)) continue;
        counts.orders++;
        const { id } = JSON.parse(order.body) as OrderView;
        check(
          'POST cancel',
          await send(`${urls.api}/api/orders/${id}/cancel`, { method: 'POST', headers: auth }),
          200,
        );
      } catch (error) {
        failures.push(`no answer: ${String(error)}`);
      }
    }
  };
  const workers = Array.from({ length: 6 }, () => worker());
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const exits: { code: number | null; signal: string | null }[] = [];
  for (const api of system.apis) {
    await pause(1_500);
    const before = counts.requests;
    const pid = api.pid();
    exits.push(await api.kill('SIGTERM'));
    // The load went on while it drained; the other process took it.
    expect(counts.requests, `requests answered while process ${pid} drained`).toBeGreaterThan(before);
    await api.restart();
  }
  await pause(1_500);
  loading = false;
  await Promise.all(workers);

  expect(failures).toEqual([]);
  expect(exits).toEqual([
    { code: 0, signal: null },
    { code: 0, signal: null },
  ]);
  expect(counts.orders).toBeGreaterThan(20);
  // Every order was cancelled: the SKU's stock is whole again.
  const after = JSON.parse((await send(`${urls.api}/api/products/${productId}`)).body) as typeof detail;
  expect(after.skus.find((s) => s.id === skuId)!.stock).toBe(detail.skus.find((s) => s.id === skuId)!.stock);
});
