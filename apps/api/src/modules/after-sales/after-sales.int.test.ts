import type { AdminAfterSaleList, AfterSaleView, OrderView } from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { demoAdmins, type DemoAdmins } from '../admin/test-support';
import { runRecovery } from '../payment/recovery.job';
import {
  addFault,
  clearFaults,
  payAtSandbox,
  sandboxLedger,
  seedSku,
  signUpShopper,
  startPayment,
  waitForStatus,
  type Shopper,
} from '../payment/test-support';
import { runAfterSaleRefunds } from './jobs';
import { DAY_MS, runAutoComplete } from './receipt.service';

/*
 * After-sales against the real API, the real sandbox and a fresh database (SQLite here, PostgreSQL under
 * integration-postgres): requests, caps, approvals that refund once, refusals, returns, cancels racing approvals,
 * 确认收货 and the auto-complete job.
 */

let sys: TestSystem;
let alice: Shopper;
let bob: Shopper;
let admins: DemoAdmins;

beforeAll(async () => {
  sys = await startTestSystem({ env: { PAYMENT_QUERY_DELAY_MS: '1', REFUND_RETRY_DELAY_MS: '1' } });
  alice = await signUpShopper(sys);
  bob = await signUpShopper(sys, '2088000000000002');
  admins = await demoAdmins(sys);
});
afterAll(() => sys.close());

/** A paid order of two lines: 30.00 (x1) and 20.00 (x2), 70.00 in all; shipped when asked. */
async function paidOrder(options: { shipped?: boolean; shopper?: Shopper } = {}) {
  const shopper = options.shopper ?? alice;
  const a = await seedSku(sys, { priceFen: 3_000 });
  const b = await seedSku(sys, { priceFen: 2_000 });
  const placed = await sys.request<OrderView>('POST', '/api/orders', {
    token: shopper.token,
    body: {
      items: [
        { skuId: a.skuId, quantity: 1 },
        { skuId: b.skuId, quantity: 2 },
      ],
      addressId: shopper.addressId,
    },
  });
  expect(placed.status, placed.text).toBe(201);
  const { tradeNo } = await startPayment(sys, shopper, placed.body.id);
  await payAtSandbox(sys, tradeNo);
  await waitForStatus(sys, placed.body.id, 'PAID');
  if (options.shipped) {
    const shipped = await sys.request('POST', `/api/admin/orders/${placed.body.id}/ship`, {
      token: admins.owner.token,
      body: { carrier: '顺丰速运', trackingNo: 'SF1234567890' },
    });
    expect(shipped.status, shipped.text).toBe(200);
  }
  return { order: placed.body, skuA: a.skuId, skuB: b.skuId };
}

function ask(orderId: string, body: Record<string, unknown>, shopper: Shopper = alice) {
  return sys.request<AfterSaleView>('POST', `/api/orders/${orderId}/after-sales`, {
    token: shopper.token,
    body,
  });
}

function admin(action: string, id: string, body: unknown = {}, token = admins.owner.token) {
  return sys.request<AfterSaleView>('POST', `/api/admin/after-sales/${id}/${action}`, { token, body });
}

async function orderOf(orderId: string, shopper: Shopper = alice) {
  const res = await sys.request<OrderView>('GET', `/api/orders/${orderId}`, { token: shopper.token });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('asking for a refund', () => {
  it('refunds a whole paid order once on approval; the order, the sandbox and the timeline agree', async () => {
    const { order } = await paidOrder();
    const asked = await ask(order.id, { kind: 'REFUND_ONLY', reason: '不想要了', description: '买重了' });
    expect(asked.status, asked.text).toBe(201);
    expect(asked.body).toMatchObject({
      status: 'REQUESTED',
      amountFen: 7_000,
      kind: 'REFUND_ONLY',
      lines: [],
    });

    const approved = await admin('approve', asked.body.id);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'REFUNDED', refundStatus: 'SUCCEEDED' });

    const after = await orderOf(order.id);
    expect(after).toMatchObject({ status: 'REFUNDED', refundedFen: 7_000, refundPendingFen: 0 });
    expect(after.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['AFTER_SALE_REQUESTED', 'AFTER_SALE_APPROVED', 'AFTER_SALE_REFUNDED']),
    );
    const ledger = await sandboxLedger(sys, order.orderNo);
    expect(ledger.totals).toEqual({ paidFen: 7_000, refundedFen: 7_000 });
    expect(ledger.items.filter((i) => i.kind === 'refund')).toHaveLength(1);

    const tab = await sys.request<{ items: Array<{ id: string }> }>('GET', '/api/orders?refunds=true', {
      token: alice.token,
    });
    expect(tab.body.items.map((o) => o.id)).toContain(order.id);
  });

  it('prices chosen lines, and refuses a second request above what is left with 422 REFUND_EXCEEDS_PAID', async () => {
    const { order, skuA, skuB } = await paidOrder({ shipped: true });
    const first = await ask(order.id, {
      kind: 'REFUND_ONLY',
      reason: '商品破损',
      lines: [{ skuId: skuB, quantity: 1 }],
    });
    expect(first.body).toMatchObject({
      amountFen: 2_000,
      lines: [{ skuId: skuB, quantity: 1, unitPriceFen: 2_000 }],
    });
    expect((await admin('approve', first.body.id)).body.status).toBe('REFUNDED');

    const tooMuch = await ask(order.id, {
      kind: 'REFUND_ONLY',
      reason: '质量问题',
      lines: [
        { skuId: skuA, quantity: 1 },
        { skuId: skuB, quantity: 2 },
      ],
    });
    expect(tooMuch.status, tooMuch.text).toBe(422);
    expect(tooMuch.body).toMatchObject({
      error: { code: 'REFUND_EXCEEDS_PAID', details: { requestedFen: 7_000, refundableFen: 5_000 } },
    });
    const overAmount = await ask(order.id, { kind: 'REFUND_ONLY', reason: '其他', amountFen: 5_001 });
    expect(overAmount.status).toBe(422);

    const rest = await ask(order.id, { kind: 'REFUND_ONLY', reason: '其他' });
    expect(rest.body.amountFen).toBe(5_000);
    expect((await admin('approve', rest.body.id)).body.status).toBe('REFUNDED');
    expect(await orderOf(order.id)).toMatchObject({ status: 'REFUNDED', refundedFen: 7_000 });
    expect((await sandboxLedger(sys, order.orderNo)).totals.refundedFen).toBe(7_000);
    const again = await ask(order.id, { kind: 'REFUND_ONLY', reason: '其他' });
    expect(again.status).toBe(409);
  });

  it('refuses what may not be asked: one open request per order, unpaid orders, returns before shipping, strangers', async () => {
    const { order, skuA } = await paidOrder();
    expect((await ask(order.id, { kind: 'RETURN_REFUND', reason: '质量问题' })).body).toMatchObject({
      error: { code: 'ORDER_STATE_CONFLICT' },
    });
    expect((await ask(order.id, { kind: 'REFUND_ONLY', reason: '质量问题' }, bob)).status).toBe(404);
    expect(
      (await ask(order.id, { kind: 'REFUND_ONLY', reason: '其他', lines: [{ skuId: skuA, quantity: 2 }] }))
        .status,
    ).toBe(400);
    const first = await ask(order.id, { kind: 'REFUND_ONLY', reason: '拍错/多拍' });
    expect(first.status).toBe(201);
    const second = await ask(order.id, { kind: 'REFUND_ONLY', reason: '拍错/多拍' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      error: { code: 'AFTER_SALE_OPEN', details: { afterSaleId: first.body.id } },
    });

    const sku = await seedSku(sys);
    const unpaid = await sys.request<OrderView>('POST', '/api/orders', {
      token: alice.token,
      body: { items: [{ skuId: sku.skuId, quantity: 1 }], addressId: alice.addressId },
    });
    expect((await ask(unpaid.body.id, { kind: 'REFUND_ONLY', reason: '其他' })).body).toMatchObject({
      error: { code: 'ORDER_STATE_CONFLICT', details: { status: 'PENDING_PAYMENT' } },
    });
  });

  it('answers bad input on every after-sales endpoint with 400 VALIDATION_ERROR, and changes nothing', async () => {
    const { order } = await paidOrder();
    const before = await sys.db.afterSale.count();
    const badBodies: unknown[] = [
      {},
      { kind: 'REFUND_ONLY' },
      { kind: 'EXCHANGE', reason: '其他' },
      { kind: 'REFUND_ONLY', reason: 'I do not want it' },
      { kind: 'REFUND_ONLY', reason: '其他', amountFen: 0 },
      { kind: 'REFUND_ONLY', reason: '其他', amountFen: 1.5 },
      { kind: 'REFUND_ONLY', reason: '其他', amountFen: '100' },
      { kind: 'REFUND_ONLY', reason: '其他', lines: [] },
      { kind: 'REFUND_ONLY', reason: '其他', lines: [{ skuId: 'x', quantity: 0 }] },
      { kind: 'REFUND_ONLY', reason: '其他', photos: ['https://evil.example/a.jpg'] },
      { kind: 'REFUND_ONLY', reason: '其他', description: 'a\u0000b' },
      { kind: 'REFUND_ONLY', reason: '其他', priceFen: 1 },
      [],
      'text',
    ];
    for (const body of badBodies) {
      const res = await ask(order.id, body as Record<string, unknown>);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    }
    expect((await ask('no such id!', { kind: 'REFUND_ONLY', reason: '其他' })).status).toBe(400);
    const asked = await ask(order.id, { kind: 'REFUND_ONLY', reason: '其他' });
    const id = asked.body.id;
    const shopperCalls: Array<[string, string, unknown]> = [
      ['POST', `/api/after-sales/${id}/cancel`, { now: true }],
      ['POST', `/api/after-sales/${id}/return`, { carrier: '', trackingNo: 'SF1' }],
      ['POST', `/api/after-sales/${id}/return`, { carrier: '顺丰速运', trackingNo: '中文单号' }],
      ['GET', `/api/after-sales/${id}?x=1`, undefined],
      ['GET', '/api/after-sales?orderId=bad id', undefined],
      ['POST', `/api/orders/${order.id}/receive`, { confirm: true }],
    ];
    for (const [method, path, body] of shopperCalls) {
      const res = await sys.request(method, path, { token: alice.token, body });
      expect(res.status, `${method} ${path}`).toBe(400);
    }
    const adminCalls: Array<[string, unknown]> = [
      ['refuse', {}],
      ['refuse', { reason: '' }],
      ['refuse', { reason: 'x'.repeat(201) }],
      ['approve', { amountFen: 1 }],
      ['receive', { ok: 1 }],
    ];
    for (const [action, body] of adminCalls) {
      expect((await admin(action, id, body)).status, action).toBe(400);
    }
    const list = await sys.request('GET', '/api/admin/after-sales?status=NOPE', {
      token: admins.owner.token,
    });
    expect(list.status).toBe(400);
    expect(await sys.db.afterSale.count()).toBe(before + 1);
    expect((await sys.db.afterSale.findUniqueOrThrow({ where: { id } })).status).toBe('REQUESTED');
  });
});

describe('the merchant decides', () => {
  it('approves once under 6 concurrent approvals: one refund, one sandbox refund, one audit row', async () => {
    const { order } = await paidOrder();
    const asked = await ask(order.id, { kind: 'REFUND_ONLY', reason: '商品破损' });
    const answers = await Promise.all(Array.from({ length: 6 }, () => admin('approve', asked.body.id)));
    for (const answer of answers) expect(answer.status, answer.text).toBe(200);
    await expect
      .poll(async () => (await sys.db.afterSale.findUniqueOrThrow({ where: { id: asked.body.id } })).status)
      .toBe('REFUNDED');
    expect(await sys.db.refund.count({ where: { orderId: order.id } })).toBe(1);
    expect((await sandboxLedger(sys, order.orderNo)).items.filter((i) => i.kind === 'refund')).toHaveLength(
      1,
    );
    expect(
      await sys.db.auditLog.count({ where: { action: 'after-sale.approve', targetId: asked.body.id } }),
    ).toBe(1);
    const events = await sys.db.orderEvent.count({
      where: { orderId: order.id, type: 'AFTER_SALE_APPROVED' },
    });
    expect(events).toBe(1);
  });

  it('refuses with a reason the shopper reads; the shopper may ask again; staff may not decide (403, audited)', async () => {
    const { order } = await paidOrder();
    const asked = await ask(order.id, { kind: 'REFUND_ONLY', reason: '不想要了' });
    const denied = await admin('approve', asked.body.id, {}, admins.staff.token);
    expect(denied.status).toBe(403);
    expect(
      await sys.db.auditLog.count({ where: { action: 'access.denied', adminId: admins.staff.id } }),
    ).toBeGreaterThan(0);

    const refused = await admin('refuse', asked.body.id, { reason: '商品已拆封，影响二次销售' });
    expect(refused.body).toMatchObject({ status: 'REFUSED', refuseReason: '商品已拆封，影响二次销售' });
    const seen = await sys.request<AfterSaleView>('GET', `/api/after-sales/${asked.body.id}`, {
      token: alice.token,
    });
    expect(seen.body).toMatchObject({ status: 'REFUSED', refuseReason: '商品已拆封，影响二次销售' });
    expect((await orderOf(order.id)).timeline.at(-1)).toMatchObject({
      type: 'AFTER_SALE_REFUSED',
      note: '商品已拆封，影响二次销售',
    });
    expect((await admin('approve', asked.body.id)).status).toBe(409);
    expect((await ask(order.id, { kind: 'REFUND_ONLY', reason: '质量问题' })).status).toBe(201);
    expect(await sys.db.refund.count({ where: { orderId: order.id } })).toBe(0);
    expect((await sys.request('GET', `/api/after-sales/${asked.body.id}`, { token: bob.token })).status).toBe(
      404,
    );
  });

  it('a return: approve, the shopper sends it back with a tracking number, the merchant receives it, refunded', async () => {
    const { order } = await paidOrder({ shipped: true });
    const asked = await ask(order.id, { kind: 'RETURN_REFUND', reason: '质量问题' });
    expect((await admin('receive', asked.body.id)).status).toBe(409);
    expect((await admin('approve', asked.body.id)).body.status).toBe('AWAITING_RETURN');
    const sent = await sys.request<AfterSaleView>('POST', `/api/after-sales/${asked.body.id}/return`, {
      token: alice.token,
      body: { carrier: '中通快递', trackingNo: 'ZT778899001' },
    });
    expect(sent.body).toMatchObject({
      status: 'RETURN_SHIPPED',
      returnCarrier: '中通快递',
      returnTrackingNo: 'ZT778899001',
    });
    expect(await sys.db.refund.count({ where: { orderId: order.id } })).toBe(0);
    const received = await admin('receive', asked.body.id);
    expect(received.body).toMatchObject({ status: 'REFUNDED', refundStatus: 'SUCCEEDED' });
    const list = await sys.request<AdminAfterSaleList>('GET', '/api/admin/after-sales?status=REFUNDED', {
      token: admins.owner.token,
    });
    expect(list.body.items.map((i) => i.id)).toContain(asked.body.id);
    expect((await sandboxLedger(sys, order.orderNo)).totals.refundedFen).toBe(7_000);
  });

  it('a cancel racing an approval: exactly one wins, and money moves only if the approval did', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { order } = await paidOrder();
      const asked = await ask(order.id, { kind: 'REFUND_ONLY', reason: '不想要了' });
      const [cancel, approve] = await Promise.all([
        sys.request<AfterSaleView>('POST', `/api/after-sales/${asked.body.id}/cancel`, {
          token: alice.token,
          body: {},
        }),
        admin('approve', asked.body.id),
      ]);
      const row = await sys.db.afterSale.findUniqueOrThrow({ where: { id: asked.body.id } });
      const refunds = await sys.db.refund.count({ where: { orderId: order.id } });
      if (row.status === 'CANCELLED') {
        expect(cancel.status).toBe(200);
        expect(approve.status).toBe(409);
        expect(refunds).toBe(0);
      } else {
        expect(row.status).toBe('REFUNDED');
        expect(approve.status).toBe(200);
        expect(cancel.status).toBe(409);
        expect(refunds).toBe(1);
      }
    }
  });

  it('counts requests waiting for the merchant for the badge', async () => {
    const before = await sys.request<AdminAfterSaleList>('GET', '/api/admin/after-sales?status=OPEN', {
      token: admins.staff.token,
    });
    const { order } = await paidOrder();
    await ask(order.id, { kind: 'REFUND_ONLY', reason: '其他' });
    const after = await sys.request<AdminAfterSaleList>('GET', '/api/admin/after-sales?status=OPEN', {
      token: admins.staff.token,
    });
    expect(after.body.openCount).toBe(before.body.openCount + 1);
    expect(after.body.items[0]).toMatchObject({ orderNo: order.orderNo, status: 'REQUESTED' });
  });
});

describe('refunds that do not finish at once', () => {
  it('5 concurrent asks on one order make one request; the others are 409 AFTER_SALE_OPEN', async () => {
    const { order } = await paidOrder();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => ask(order.id, { kind: 'REFUND_ONLY', reason: '其他' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await sys.db.afterSale.count({ where: { orderId: order.id } })).toBe(1);
  });

  it('an approval whose process died before the refund is finished by the job with the same key, once', async () => {
    const { order } = await paidOrder();
    const asked = await ask(order.id, { kind: 'REFUND_ONLY', reason: '商品破损' });
    // What a crash right after the approval's commit leaves: REFUNDING, attempt 1, no refund written yet.
    await sys.db.afterSale.update({
      where: { id: asked.body.id },
      data: { status: 'REFUNDING', attempt: 1, updatedAt: new Date(Date.now() - 60_000) },
    });
    expect(await runAfterSaleRefunds(sys.api.deps)).toBe(1);
    expect(await runAfterSaleRefunds(sys.api.deps)).toBe(0);
    const row = await sys.db.afterSale.findUniqueOrThrow({ where: { id: asked.body.id } });
    expect(row.status).toBe('REFUNDED');
    expect(await sys.db.refund.count({ where: { orderId: order.id } })).toBe(1);
    expect((await sandboxLedger(sys, order.orderNo)).items.filter((i) => i.kind === 'refund')).toHaveLength(
      1,
    );
  });

  it('a refund whose answer was lost stays REFUNDING until recovery settles it, then the job makes it REFUNDED', async () => {
    const { order } = await paidOrder();
    const asked = await ask(order.id, { kind: 'REFUND_ONLY', reason: '质量问题' });
    await addFault(sys, { kind: 'gateway-error', count: 1, methods: ['alipay.trade.refund'] });
    try {
      const approved = await admin('approve', asked.body.id);
      expect(approved.body).toMatchObject({ status: 'REFUNDING', refundStatus: 'UNKNOWN' });
    } finally {
      await clearFaults(sys);
    }
    await runRecovery(sys.api.deps);
    await runAfterSaleRefunds(sys.api.deps);
    const seen = await sys.request<AfterSaleView>('GET', `/api/after-sales/${asked.body.id}`, {
      token: alice.token,
    });
    expect(seen.body).toMatchObject({ status: 'REFUNDED', refundStatus: 'SUCCEEDED' });
    expect(await sys.db.refund.count({ where: { orderId: order.id } })).toBe(1);
    expect((await sandboxLedger(sys, order.orderNo)).totals.refundedFen).toBe(7_000);
  });
});

describe('receiving', () => {
  it('确认收货 completes a shipped order once; an unshipped one is 409', async () => {
    const paid = await paidOrder();
    expect(
      (await sys.request('POST', `/api/orders/${paid.order.id}/receive`, { token: alice.token, body: {} }))
        .status,
    ).toBe(409);
    const { order } = await paidOrder({ shipped: true });
    const first = await sys.request<OrderView>('POST', `/api/orders/${order.id}/receive`, {
      token: alice.token,
      body: {},
    });
    expect(first.body).toMatchObject({ status: 'COMPLETED' });
    const again = await sys.request<OrderView>('POST', `/api/orders/${order.id}/receive`, {
      token: alice.token,
      body: {},
    });
    expect(again.status).toBe(200);
    expect(await sys.db.orderEvent.count({ where: { orderId: order.id, type: 'RECEIVED' } })).toBe(1);
    expect(
      (await sys.request('POST', `/api/orders/${order.id}/receive`, { token: bob.token, body: {} })).status,
    ).toBe(404);
  });

  it('auto-completes shipped orders after the configured days, once under two concurrent passes, not with a request open', async () => {
    const late = await paidOrder({ shipped: true });
    const paused = await paidOrder({ shipped: true });
    const recent = await paidOrder({ shipped: true });
    const tenDaysAgo = new Date(Date.now() - 11 * DAY_MS);
    await sys.db.order.updateMany({
      where: { id: { in: [late.order.id, paused.order.id] } },
      data: { shippedAt: tenDaysAgo },
    });
    await ask(paused.order.id, { kind: 'REFUND_ONLY', reason: '其他' });

    const passes = await Promise.all([runAutoComplete(sys.api.deps, 10), runAutoComplete(sys.api.deps, 10)]);
    expect(passes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    const status = async (id: string) => (await sys.db.order.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(late.order.id)).toBe('COMPLETED');
    expect(await status(paused.order.id)).toBe('SHIPPED');
    expect(await status(recent.order.id)).toBe('SHIPPED');
    expect(await sys.db.orderEvent.count({ where: { orderId: late.order.id, type: 'AUTO_COMPLETED' } })).toBe(
      1,
    );
    expect((await orderOf(late.order.id)).timeline.at(-1)).toMatchObject({
      type: 'AUTO_COMPLETED',
      status: 'COMPLETED',
    });
    expect(await runAutoComplete(sys.api.deps, 10)).toBe(0);
  });
});
