import { setTimeout as sleep } from 'node:timers/promises';
import { parseForm } from '@shop/alipay';
import type {
  AdminOrderDetail,
  ErrorBody,
  OrderView,
  PaymentQrResponse,
  PaymentWapResponse,
  WapReturnResponse,
} from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { demoAdmins, type DemoAdmins } from '../admin/test-support';
import { kindsByKey, reconcile, today } from '../reconciliation/test-support';
import { runExpiry } from './expiry.job';
import { runRecovery } from './recovery.job';
import {
  addFault,
  clearFaults,
  eventually,
  notifyAttempted,
  orderStatus,
  payAtSandbox,
  placeOrder,
  postNotify,
  sandboxLedger,
  seedSku,
  signUpShopper,
  waitForStatus,
  type Shopper,
} from './test-support';

/**
 * Paying outside the mini-program, against the real sandbox: mobile web payment (alipay.trade.wap.pay) and QR codes
 * (alipay.trade.precreate, for the shopper and as the admin's collection code). Each ends in the same notify
 * pipeline, recovery by query, expiry with close, paid-after-close refund, refunds and reconciliation as
 * trade.create, and the payment records its method and product code. In the integration-cert project the same tests
 * run with the API in certificate mode.
 */

const SHOP = 'http://127.0.0.1:10086';
const RETURN_URL = `${SHOP}/pages/pay-result/index`;
const QUIT_URL = `${SHOP}/#/pages/order/detail?id=1`;
const QR_TTL_MS = 1_500;

let sys: TestSystem;
let alice: Shopper;
let bob: Shopper;
let admins: DemoAdmins;

beforeAll(async () => {
  sys = await startTestSystem({
    billsSameDay: true,
    env: {
      CORS_ORIGINS: SHOP,
      QR_CODE_TTL_MS: String(QR_TTL_MS),
      PAYMENT_QUERY_DELAY_MS: '1',
      REFUND_RETRY_DELAY_MS: '1',
      RECONCILE_ENABLED: 'true',
    },
  });
  alice = await signUpShopper(sys);
  bob = await signUpShopper(sys, DEV_BUYERS[1]!.userId);
  admins = await demoAdmins(sys);
});
afterAll(() => sys.close());
afterEach(() => clearFaults(sys));

async function newOrder(shopper: Shopper, priceFen = 1_990, orderTtlStock = 10): Promise<OrderView> {
  const { skuId } = await seedSku(sys, { priceFen, stock: orderTtlStock });
  return placeOrder(sys, shopper, skuId);
}

async function startWap(shopper: Shopper, orderId: string) {
  return sys.request<PaymentWapResponse | ErrorBody>('POST', `/api/orders/${orderId}/payment/wap`, {
    token: shopper.token,
    body: { returnUrl: RETURN_URL, quitUrl: QUIT_URL },
  });
}

async function startQr(shopper: Shopper, orderId: string) {
  return sys.request<PaymentQrResponse | ErrorBody>('POST', `/api/orders/${orderId}/payment/qr`, {
    token: shopper.token,
    body: {},
  });
}

/** The browser follows the signed URL to the sandbox's mobile cashier, pays as `buyerId`, and is sent back. */
async function payOnWapCashier(
  url: string,
  buyerId = DEV_BUYERS[0]!.userId,
): Promise<Record<string, string>> {
  const toCashier = await fetch(url, { redirect: 'manual' });
  expect(toCashier.status, await toCashier.text()).toBe(302);
  const cashier = new URL(toCashier.headers.get('location')!, url);
  const order = cashier.searchParams.get('order')!;
  const paid = await fetch(new URL('/wap/cashier/pay', cashier), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ order, buyer_id: buyerId }).toString(),
  });
  expect(paid.status).toBe(302);
  const back = new URL(paid.headers.get('location')!);
  expect(`${back.origin}/`).toBe(`${SHOP}/`);
  return parseForm(back.search.slice(1));
}

/** A sandbox buyer scans the code (the trade comes into being) and pays it. */
async function scanAndPay(qrCode: string, options: { force?: boolean } = {}): Promise<string> {
  const token = qrCode.split('/qr/')[1]!;
  const scanned = await sys.sandbox<{ tradeNo: string }>('POST', `/sandbox/qr/${token}/scan`, {
    buyerId: DEV_BUYERS[0]!.userId,
  });
  expect(scanned.status, scanned.text).toBe(200);
  expect((await payAtSandbox(sys, scanned.body.tradeNo, options)).resultCode).toBe('9000');
  return scanned.body.tradeNo;
}

async function paymentOf(orderId: string) {
  return sys.db.payment.findUniqueOrThrow({ where: { orderId } });
}

describe('mobile web payment (alipay.trade.wap.pay)', () => {
  it('signs the request, the cashier pays, the return verifies, and the order is PAID with the method recorded', async () => {
    const order = await newOrder(alice, 2_345);
    const started = await startWap(alice, order.id);
    expect(started.status, started.text).toBe(200);
    const wap = started.body as PaymentWapResponse;
    expect(wap).toMatchObject({
      outTradeNo: order.orderNo,
      method: 'alipay.trade.wap.pay',
      productCode: 'QUICK_WAP_WAY',
    });
    const signed = new URL(wap.url);
    expect(`${signed.origin}${signed.pathname}`).toBe(`${sys.sandboxUrl}/gateway.do`);
    expect(signed.searchParams.get('return_url')).toBe(RETURN_URL);
    if (sys.alipayMode === 'certificate') expect(signed.searchParams.get('app_cert_sn')).toBeTruthy();
    expect(await paymentOf(order.id)).toMatchObject({
      status: 'CREATED',
      method: 'alipay.trade.wap.pay',
      productCode: 'QUICK_WAP_WAY',
    });
    // Asking again signs the same out_trade_no (a shopper tapping twice).
    expect(((await startWap(alice, order.id)).body as PaymentWapResponse).outTradeNo).toBe(order.orderNo);

    const query = await payOnWapCashier(wap.url);
    expect(query).toMatchObject({ method: 'alipay.trade.wap.pay.return', out_trade_no: order.orderNo });

    const verified = await sys.request<WapReturnResponse>('POST', '/api/payments/wap-return', {
      token: alice.token,
      body: { params: query },
    });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toMatchObject({ orderId: order.id, outTradeNo: order.orderNo, totalFen: 2_345 });
    await waitForStatus(sys, order.id, 'PAID');
    expect(await paymentOf(order.id)).toMatchObject({ status: 'PAID', method: 'alipay.trade.wap.pay' });

    // The admin's timeline shows the method and product code.
    const detail = await sys.request<AdminOrderDetail>('GET', `/api/admin/orders/${order.id}`, {
      token: admins.owner.token,
    });
    expect(detail.body.payment.payment).toMatchObject({
      method: 'alipay.trade.wap.pay',
      productCode: 'QUICK_WAP_WAY',
    });
    expect(detail.body.events.find((e) => e.type === 'PAYMENT_STARTED')?.data).toMatchObject({
      method: 'alipay.trade.wap.pay',
      productCode: 'QUICK_WAP_WAY',
    });
  });

  it('refuses a tampered or foreign return, and bad input, and another shopper’s order is 404', async () => {
    const order = await newOrder(alice, 1_500);
    const wap = (await startWap(alice, order.id)).body as PaymentWapResponse;
    const query = await payOnWapCashier(wap.url);

    const tampered = await sys.request<ErrorBody>('POST', '/api/payments/wap-return', {
      token: alice.token,
      body: { params: { ...query, total_amount: '0.01' } },
    });
    expect(tampered.status).toBe(400);
    expect(tampered.body.error.code).toBe('PAYMENT_RETURN_INVALID');
    const unsigned = await sys.request<ErrorBody>('POST', '/api/payments/wap-return', {
      token: alice.token,
      body: { params: { out_trade_no: order.orderNo } },
    });
    expect(unsigned.body.error.code).toBe('PAYMENT_RETURN_INVALID');
    const bobs = await sys.request<ErrorBody>('POST', '/api/payments/wap-return', {
      token: bob.token,
      body: { params: query },
    });
    expect(bobs.status).toBe(404);

    for (const body of [
      {},
      { params: 'x' },
      { params: query, extra: 1 },
      { params: { a: 1 } },
      { params: Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`k${i}`, 'v'])) },
    ]) {
      const res = await sys.request<ErrorBody>('POST', '/api/payments/wap-return', {
        token: alice.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    const other = await newOrder(alice);
    for (const body of [
      {},
      { returnUrl: RETURN_URL },
      { returnUrl: 'https://evil.example.com/x', quitUrl: QUIT_URL },
      { returnUrl: `${RETURN_URL}?orderId=1`, quitUrl: QUIT_URL },
      { returnUrl: RETURN_URL, quitUrl: 'javascript:alert(1)' },
      { returnUrl: RETURN_URL, quitUrl: QUIT_URL, extra: true },
    ]) {
      const res = await sys.request<ErrorBody>('POST', `/api/orders/${other.id}/payment/wap`, {
        token: alice.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    expect((await startWap(bob, other.id)).status).toBe(404);
    expect(await sys.db.payment.count({ where: { orderId: other.id } })).toBe(0);
  });

  it('a lost notify: the recovery job’s query proves the payment', async () => {
    await addFault(sys, { kind: 'notify-drop' });
    const order = await newOrder(alice, 880);
    const wap = (await startWap(alice, order.id)).body as PaymentWapResponse;
    // Before the shopper pays there is no trade; the recovery job waits.
    await runRecovery(sys.api.deps);
    expect(await paymentOf(order.id)).toMatchObject({ status: 'CREATED', tradeNo: null });
    await payOnWapCashier(wap.url);
    await notifyAttempted(sys, order.orderNo, 'dropped');
    expect(await orderStatus(sys, order.id)).toBe('PENDING_PAYMENT');
    await runRecovery(sys.api.deps);
    expect(await orderStatus(sys, order.id)).toBe('PAID');
    expect(await paymentOf(order.id)).toMatchObject({ paidVia: 'query', method: 'alipay.trade.wap.pay' });
  });
});

describe('QR code payment (alipay.trade.precreate)', () => {
  it('shows a code with its expiry, the same code while it lasts; scanning and paying makes the order PAID', async () => {
    const order = await newOrder(alice, 4_200);
    const first = await startQr(alice, order.id);
    expect(first.status, first.text).toBe(200);
    const qr = first.body as PaymentQrResponse;
    expect(qr).toMatchObject({
      outTradeNo: order.orderNo,
      method: 'alipay.trade.precreate',
      productCode: 'FACE_TO_FACE_PAYMENT',
    });
    expect(qr.qrCode).toContain('/qr/');
    const shownMs = new Date(qr.expiresAt).getTime() - Date.now();
    expect(shownMs).toBeGreaterThan(0);
    expect(shownMs).toBeLessThanOrEqual(QR_TTL_MS);
    expect(((await startQr(alice, order.id)).body as PaymentQrResponse).qrCode).toBe(qr.qrCode);

    await scanAndPay(qr.qrCode);
    await waitForStatus(sys, order.id, 'PAID');
    expect(await paymentOf(order.id)).toMatchObject({
      status: 'PAID',
      paidVia: 'notify',
      method: 'alipay.trade.precreate',
      productCode: 'FACE_TO_FACE_PAYMENT',
    });
    const again = await startQr(alice, order.id);
    expect(again.status).toBe(409);
    expect((again.body as ErrorBody).error.code).toBe('ALREADY_PAID');

    // Refunds work the same: a partial refund reaches the sandbox's ledger once.
    const refund = await sys.request('POST', `/api/admin/orders/${order.id}/refunds`, {
      token: admins.owner.token,
      body: { amountFen: 1_000, reason: '部分退款' },
      headers: { 'idempotency-key': `qr-refund-${order.id}` },
    });
    expect(refund.status, refund.text).toBe(201);
    expect((await sandboxLedger(sys, order.orderNo)).totals).toEqual({ paidFen: 4_200, refundedFen: 1_000 });
  });

  it('an expired code is closed at Alipay and replaced under the next out_trade_no; the old one no longer pays', async () => {
    const order = await newOrder(alice, 1_230);
    const first = (await startQr(alice, order.id)).body as PaymentQrResponse;
    await sleep(new Date(first.expiresAt).getTime() - Date.now() + 50);
    const renewed = await startQr(alice, order.id);
    expect(renewed.status, renewed.text).toBe(200);
    const second = renewed.body as PaymentQrResponse;
    expect(second.outTradeNo).toBe(`${order.orderNo}_2`);
    expect(second.qrCode).not.toBe(first.qrCode);
    expect(new Date(second.expiresAt).getTime()).toBeGreaterThan(new Date(first.expiresAt).getTime());

    const oldScan = await sys.sandbox('POST', `/sandbox/qr/${first.qrCode.split('/qr/')[1]}/scan`, {
      buyerId: DEV_BUYERS[0]!.userId,
    });
    expect(oldScan.status).not.toBe(200);

    await scanAndPay(second.qrCode);
    await waitForStatus(sys, order.id, 'PAID');
    expect(await paymentOf(order.id)).toMatchObject({ outTradeNo: `${order.orderNo}_2`, status: 'PAID' });
    const closes = await sys.db.gatewayCall.findMany({ where: { orderId: order.id, purpose: 'close' } });
    expect(closes.map((c) => c.outcome)).toEqual(['success']);
  });

  it('a scanned code is not replaced, and paying another way is refused while its trade is open', async () => {
    const order = await newOrder(alice, 990);
    const qr = (await startQr(alice, order.id)).body as PaymentQrResponse;
    const token = qr.qrCode.split('/qr/')[1]!;
    const scanned = await sys.sandbox('POST', `/sandbox/qr/${token}/scan`, {
      buyerId: DEV_BUYERS[0]!.userId,
    });
    expect(scanned.status).toBe(200);
    const wap = await startWap(alice, order.id);
    expect(wap.status).toBe(409);
    expect((wap.body as ErrorBody).error.code).toBe('PAYMENT_METHOD_CONFLICT');
    const create = await sys.request<ErrorBody>('POST', `/api/orders/${order.id}/payment`, {
      token: alice.token,
    });
    expect(create.status).toBe(409);
    expect(create.body.error.code).toBe('PAYMENT_METHOD_CONFLICT');
    expect(await paymentOf(order.id)).toMatchObject({ outTradeNo: order.orderNo, status: 'OPEN' });
  });

  it('an unscanned code gives way to a mobile payment under the next out_trade_no; a mobile payment is final', async () => {
    const order = await newOrder(alice, 700);
    const qr = (await startQr(alice, order.id)).body as PaymentQrResponse;
    const started = await startWap(alice, order.id);
    expect(started.status, started.text).toBe(200);
    const wap = started.body as PaymentWapResponse;
    expect(wap.outTradeNo).toBe(`${order.orderNo}_2`);
    // The QR code was closed at Alipay: scanning it fails.
    const oldScan = await sys.sandbox('POST', `/sandbox/qr/${qr.qrCode.split('/qr/')[1]}/scan`, {
      buyerId: DEV_BUYERS[0]!.userId,
    });
    expect(oldScan.status).not.toBe(200);
    // A signed mobile request stays payable until the order expires, so the order cannot change method again.
    const back = await startQr(alice, order.id);
    expect(back.status).toBe(409);
    expect((back.body as ErrorBody).error.code).toBe('PAYMENT_METHOD_CONFLICT');
    await payOnWapCashier(wap.url);
    await waitForStatus(sys, order.id, 'PAID');
    expect(await paymentOf(order.id)).toMatchObject({
      outTradeNo: `${order.orderNo}_2`,
      method: 'alipay.trade.wap.pay',
      productCode: 'QUICK_WAP_WAY',
    });
  });

  it('expiry closes an unscanned code with the order; a payment after the close is refunded automatically', async () => {
    const short = await startTestSystem({
      sandboxTimeScale: 1,
      env: { ORDER_TTL_MS: '4000', PAYMENT_QUERY_DELAY_MS: '1', REFUND_RETRY_DELAY_MS: '1' },
    });
    try {
      const carol = await signUpShopper(short);
      const { skuId } = await seedSku(short, { priceFen: 2_500, stock: 3 });
      const unscanned = await placeOrder(short, carol, skuId);
      const scanned = await placeOrder(short, carol, skuId);
      const a = await short.request<PaymentQrResponse>('POST', `/api/orders/${unscanned.id}/payment/qr`, {
        token: carol.token,
        body: {},
      });
      const b = await short.request<PaymentQrResponse>('POST', `/api/orders/${scanned.id}/payment/qr`, {
        token: carol.token,
        body: {},
      });
      const token = b.body.qrCode.split('/qr/')[1]!;
      const trade = await short.sandbox<{ tradeNo: string }>('POST', `/sandbox/qr/${token}/scan`, {
        buyerId: DEV_BUYERS[0]!.userId,
      });
      expect(a.status).toBe(200);
      await addFault(short, { kind: 'notify-drop' });
      await sleep(new Date(scanned.expiresAt).getTime() - Date.now() + 100);
      await runExpiry(short.api.deps);
      for (const order of [unscanned, scanned]) {
        expect((await short.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('CLOSED');
        expect(await short.db.payment.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
          status: 'CLOSED',
          method: 'alipay.trade.precreate',
        });
      }
      expect((await short.db.sku.findUniqueOrThrow({ where: { id: skuId } })).stock).toBe(3);

      // Alipay's race: the scanned trade is paid after the close. The notify (or the last look) refunds it once.
      expect((await payAtSandbox(short, trade.body.tradeNo, { force: true })).resultCode).toBe('9000');
      const body = (await notifyAttempted(short, scanned.orderNo, 'dropped')).attempt.sentBody;
      await clearFaults(short);
      expect(await postNotify(short, body!)).toEqual({ status: 200, text: 'success' });
      await runRecovery(short.api.deps);
      const refunds = await short.db.refund.findMany({ where: { orderId: scanned.id } });
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({ kind: 'AUTO_PAID_AFTER_CLOSE', amountFen: 2_500 });
      await eventually('the automatic refund to succeed', async () =>
        (await short.db.refund.findUniqueOrThrow({ where: { id: refunds[0]!.id } })).status === 'SUCCEEDED'
          ? true
          : undefined,
      );
      expect((await sandboxLedger(short, scanned.orderNo)).totals).toEqual({
        paidFen: 2_500,
        refundedFen: 2_500,
      });
    } finally {
      await short.close();
    }
  });
});

describe('the admin’s collection QR', () => {
  it('owner and staff show a code for an unpaid order; the buyer pays it at the counter', async () => {
    const order = await newOrder(bob, 3_300);
    const detail = await sys.request<AdminOrderDetail>('GET', `/api/admin/orders/${order.id}`, {
      token: admins.staff.token,
    });
    expect(detail.body.actions.collect).toBe(true);
    const byStaff = await sys.request<PaymentQrResponse>('POST', `/api/admin/orders/${order.id}/payment-qr`, {
      token: admins.staff.token,
      body: {},
    });
    expect(byStaff.status, byStaff.text).toBe(200);
    const byOwner = await sys.request<PaymentQrResponse>('POST', `/api/admin/orders/${order.id}/payment-qr`, {
      token: admins.owner.token,
      body: {},
    });
    expect(byOwner.body.qrCode).toBe(byStaff.body.qrCode);
    const started = await sys.db.orderEvent.findFirstOrThrow({
      where: { orderId: order.id, type: 'PAYMENT_STARTED' },
    });
    expect(started).toMatchObject({ actorType: 'admin', actorId: admins.staff.id });

    await scanAndPay(byOwner.body.qrCode);
    await waitForStatus(sys, order.id, 'PAID');
    const paid = await sys.request<ErrorBody>('POST', `/api/admin/orders/${order.id}/payment-qr`, {
      token: admins.owner.token,
      body: {},
    });
    expect(paid.status).toBe(409);
    expect(paid.body.error.code).toBe('ALREADY_PAID');
    const after = await sys.request<AdminOrderDetail>('GET', `/api/admin/orders/${order.id}`, {
      token: admins.owner.token,
    });
    expect(after.body.actions.collect).toBe(false);
  });

  it('refuses bad input, unknown orders and missing sessions', async () => {
    const order = await newOrder(bob);
    const url = `/api/admin/orders/${order.id}/payment-qr`;
    expect((await sys.request('POST', url, { body: {} })).status).toBe(401);
    for (const [path, body] of [
      [url, { extra: 1 }],
      [`${url}?x=1`, {}],
    ] as const) {
      const res = await sys.request<ErrorBody>('POST', path, { token: admins.owner.token, body });
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    const unknown = await sys.request<ErrorBody>(
      'POST',
      '/api/admin/orders/ckzzzzzzzzzzzzzzzzzzzzzzz/payment-qr',
      {
        token: admins.owner.token,
        body: {},
      },
    );
    expect(unknown.status).toBe(404);
    expect(await sys.db.payment.count({ where: { orderId: order.id } })).toBe(0);
  });
});

describe('reconciliation', () => {
  it('wap and QR payments match the bill like any other', async () => {
    const wapOrder = await newOrder(alice, 1_111);
    const wap = (await startWap(alice, wapOrder.id)).body as PaymentWapResponse;
    await payOnWapCashier(wap.url);
    const qrOrder = await newOrder(alice, 2_222);
    const qr = (await startQr(alice, qrOrder.id)).body as PaymentQrResponse;
    await scanAndPay(qr.qrCode);
    await waitForStatus(sys, wapOrder.id, 'PAID');
    await waitForStatus(sys, qrOrder.id, 'PAID');

    const result = await reconcile(sys, today());
    expect(result.failure).toBeNull();
    const kinds = await kindsByKey(sys, today());
    expect(kinds[`trade ${wapOrder.orderNo}`]).toBe('MATCHED');
    expect(kinds[`trade ${qrOrder.orderNo}`]).toBe('MATCHED');
    expect(Object.values(kinds).every((kind) => kind === 'MATCHED' || kind === 'PAID_AFTER_CLOSE')).toBe(
      true,
    );
  });
});
