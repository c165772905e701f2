import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeForm, formatChinaTime, loadPrivateKey, signNotify } from '@shop/alipay';
import type { OrderView, PaymentCreateResponse } from '@shop/contract';
import { DEV_APP_ID, DEV_BUYERS, devKeyFiles } from '@shop/dev-identity';
import { expect } from 'vitest';
import { createProduct, shopperWithAddress } from '../../testing/factories';
import type { TestSystem } from '../../testing/harness';

/**
 * Helpers for the payment integration tests, on top of the shared factories: orders are placed the way a shopper
 * places them (address and order through the API), paid at the sandbox through its control API, and notifies are
 * signed with the sandbox's development key when a test needs one the sandbox would not send.
 */

export interface Shopper {
  token: string;
  userId: string;
  buyerId: string;
  addressId: string;
}

/** A published product with one SKU (default ¥12.30, stock 10). */
export async function seedSku(
  sys: TestSystem,
  options: { priceFen?: number; stock?: number } = {},
): Promise<{ skuId: string; productId: string }> {
  const product = await createProduct(sys.db, {
    skus: [{ priceFen: options.priceFen ?? 1230, stock: options.stock ?? 10 }],
  });
  return { skuId: product.skuIds[0]!, productId: product.id };
}

/** A signed-in sandbox buyer with a saved address, through the real API. */
export async function signUpShopper(sys: TestSystem, buyerId = DEV_BUYERS[0]!.userId): Promise<Shopper> {
  const shopper = await shopperWithAddress(sys, buyerId);
  return { ...shopper, buyerId };
}

export async function placeOrder(
  sys: TestSystem,
  shopper: Shopper,
  skuId: string,
  quantity = 1,
): Promise<OrderView> {
  const res = await sys.request<OrderView>('POST', '/api/orders', {
    token: shopper.token,
    body: { items: [{ skuId, quantity }], addressId: shopper.addressId },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export async function startPayment(
  sys: TestSystem,
  shopper: Shopper,
  orderId: string,
): Promise<PaymentCreateResponse> {
  const res = await sys.request<PaymentCreateResponse>('POST', `/api/orders/${orderId}/payment`, {
    token: shopper.token,
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** A placed order with its trade open at the sandbox. */
export async function openTrade(
  sys: TestSystem,
  shopper: Shopper,
  options: { priceFen?: number; stock?: number; quantity?: number } = {},
): Promise<{ order: OrderView; tradeNo: string; skuId: string }> {
  const { skuId } = await seedSku(sys, options);
  const order = await placeOrder(sys, shopper, skuId, options.quantity ?? 1);
  const { tradeNo } = await startPayment(sys, shopper, order.id);
  return { order, tradeNo, skuId };
}

export interface PayOutcome {
  resultCode: string;
  reason?: string;
  notifyId?: string | null;
}

/** The buyer pays at the sandbox (the cashier's button, through the control API). */
export async function payAtSandbox(
  sys: TestSystem,
  tradeNo: string,
  body: { force?: boolean } = {},
): Promise<PayOutcome> {
  const res = await sys.sandbox<PayOutcome>('POST', `/sandbox/trades/${tradeNo}/pay`, body);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

export async function addFault(sys: TestSystem, spec: Record<string, unknown>): Promise<void> {
  const res = await sys.sandbox('POST', '/sandbox/faults', spec);
  expect(res.status, res.text).toBe(201);
}

export async function clearFaults(sys: TestSystem): Promise<void> {
  const res = await sys.sandbox('DELETE', '/sandbox/faults');
  expect(res.status, res.text).toBe(200);
}

export interface SandboxAttempt {
  attemptNo: number;
  copyNo: number;
  httpStatus: number | null;
  responseBody: string | null;
  outcome: 'success' | 'failure' | 'dropped';
  sentBody: string | null;
}

export interface SandboxNotify {
  notifyId: string;
  kind: 'payment' | 'refund' | 'close';
  status: string;
  fields: Record<string, string>;
  attempts: SandboxAttempt[];
}

export async function sandboxNotifications(sys: TestSystem, outTradeNo: string): Promise<SandboxNotify[]> {
  const res = await sys.sandbox<{ items: SandboxNotify[] }>(
    'GET',
    `/sandbox/notifications?outTradeNo=${outTradeNo}`,
  );
  expect(res.status, res.text).toBe(200);
  return res.body.items;
}

/**
 * The sandbox's notify of `kind` about an order, once an attempt of it with `outcome` is in the sandbox's log. The
 * sandbox sends notifies from its queue after the pay call has answered, and logs a delivery only when the shop's
 * answer is back, after the shop has committed: the log read right after paying, or right after the order turns
 * PAID, can hold no attempt yet.
 */
export async function notifyAttempted(
  sys: TestSystem,
  outTradeNo: string,
  outcome: SandboxAttempt['outcome'],
  kind: SandboxNotify['kind'] = 'payment',
): Promise<{ notify: SandboxNotify; attempt: SandboxAttempt }> {
  return eventually(`a ${outcome} attempt of the ${kind} notify of ${outTradeNo}`, async () => {
    const notify = (await sandboxNotifications(sys, outTradeNo)).find((n) => n.kind === kind);
    const attempt = notify?.attempts.find((a) => a.outcome === outcome);
    return notify && attempt ? { notify, attempt } : undefined;
  });
}

export interface Ledger {
  items: Array<{ kind: 'payment' | 'refund'; amountFen: number; outRequestNo: string | null }>;
  totals: { paidFen: number; refundedFen: number };
}

export async function sandboxLedger(sys: TestSystem, outTradeNo: string): Promise<Ledger> {
  const res = await sys.sandbox<Ledger>('GET', `/sandbox/ledger?outTradeNo=${outTradeNo}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export async function orderStatus(sys: TestSystem, orderId: string): Promise<string> {
  return (await sys.db.order.findUniqueOrThrow({ where: { id: orderId } })).status;
}

export async function waitForStatus(sys: TestSystem, orderId: string, status: string): Promise<void> {
  await eventually(`order ${orderId} to be ${status}`, async () =>
    (await orderStatus(sys, orderId)) === status ? true : undefined,
  );
}

/** Signs a notify with the gateway's development key, as the sandbox (or Alipay) would. */
export function signedNotifyBody(sys: TestSystem, fields: Record<string, string>): string {
  const key = loadPrivateKey(readFileSync(devKeyFiles(sys.dataDir).alipayPrivate, 'utf8'));
  return encodeForm(signNotify({ notify_time: formatChinaTime(new Date()), ...fields }, key));
}

/** The fields of a genuine payment notify for `order` paid through `tradeNo`. */
export function paidNotifyFields(
  order: Pick<OrderView, 'orderNo'>,
  tradeNo: string,
  totalYuan: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    notify_type: 'trade_status_sync',
    notify_id: `test${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    app_id: DEV_APP_ID,
    charset: 'utf-8',
    version: '1.0',
    trade_no: tradeNo,
    out_trade_no: order.orderNo,
    buyer_id: DEV_BUYERS[0]!.userId,
    trade_status: 'TRADE_SUCCESS',
    total_amount: totalYuan,
    receipt_amount: totalYuan,
    gmt_payment: formatChinaTime(new Date()),
    ...overrides,
  };
}

export const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

export async function postNotify(
  sys: TestSystem,
  body: string,
  contentType = FORM,
): Promise<{ status: number; text: string }> {
  const res = await sys.request<string>('POST', '/api/alipay/notify', { rawBody: body, contentType });
  return { status: res.status, text: res.text };
}
