import { generateKeyPairSync } from 'node:crypto';
import { encodeForm, fenToYuan, signNotify } from '@shop/alipay';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../db';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { transitionOrder } from '../order/transition';
import {
  addFault,
  clearFaults,
  eventually,
  notifyAttempted,
  openTrade,
  orderStatus,
  paidNotifyFields,
  payAtSandbox,
  postNotify,
  signedNotifyBody,
  signUpShopper,
  waitForStatus,
  type Shopper,
} from './test-support';

let sys: TestSystem;
let alice: Shopper;

beforeAll(async () => {
  sys = await startTestSystem();
  alice = await signUpShopper(sys, DEV_BUYERS[0]!.userId);
});
afterAll(() => sys.close());
afterEach(() => clearFaults(sys));

/** The signed form the sandbox delivered for a paid order, exactly as it went over the wire. */
async function deliveredPaymentNotify(outTradeNo: string): Promise<string> {
  const { attempt } = await notifyAttempted(sys, outTradeNo, 'success');
  if (!attempt.sentBody) throw new Error(`no body logged for the payment notify of ${outTradeNo}`);
  return attempt.sentBody;
}

async function paidOrder(): Promise<{ orderId: string; orderNo: string; body: string }> {
  const { order, tradeNo } = await openTrade(sys, alice);
  await payAtSandbox(sys, tradeNo);
  await waitForStatus(sys, order.id, 'PAID');
  return { orderId: order.id, orderNo: order.orderNo, body: await deliveredPaymentNotify(order.orderNo) };
}

describe('notifies that must not count', () => {
  it('forged signature, changed amount, wrong app id, unknown out_trade_no: no change, not acknowledged, recorded', async () => {
    // Keep the sandbox's own notifies (its trade expiry closes the trade quickly at this time scale) away.
    await addFault(sys, { kind: 'notify-drop' });
    const { order, tradeNo } = await openTrade(sys, alice, { priceFen: 4200 });
    const yuan = fenToYuan(4200);
    const attackerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const fields = paidNotifyFields(order, tradeNo, yuan);
    const corrupted = signNotify(fields, attackerKey);

    const cases: Array<[string, string]> = [
      ['bad-signature', encodeForm(corrupted)],
      ['bad-signature', encodeForm({ ...signNotify(fields, attackerKey), sign: 'not even base64!' })],
      ['amount', signedNotifyBody(sys, { ...fields, total_amount: '0.01', receipt_amount: '0.01' })],
      ['app-id', signedNotifyBody(sys, { ...fields, app_id: '9021000000000099' })],
      ['unknown-order', signedNotifyBody(sys, { ...fields, out_trade_no: '20990101000000000001' })],
      ['trade-no', signedNotifyBody(sys, { ...fields, trade_no: '2099010122001400000000000001' })],
    ];
    for (const [reason, body] of cases) {
      const res = await postNotify(sys, body);
      expect(res, reason).toEqual({ status: 400, text: 'failure' });
    }

    expect(await orderStatus(sys, order.id)).toBe('PENDING_PAYMENT');
    const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(payment.status).toBe('OPEN');
    const rows = await sys.db.notifyInbox.findMany({
      where: { rawBody: { in: cases.map(([, body]) => body) } },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    });
    expect(rows.map((r) => r.rejectReason)).toEqual(cases.map(([reason]) => reason));
    expect(rows.every((r) => r.outcome === 'REJECTED' && !r.acknowledged)).toBe(true);
    expect(rows.slice(0, 2).every((r) => !r.verified)).toBe(true);
    expect(rows.slice(2).every((r) => r.verified)).toBe(true);
    // Forgeries that name our order are shown on it.
    expect(rows.filter((r) => r.orderId === order.id)).toHaveLength(5);
  });

  it.each(['signature', 'amount'] as const)(
    'a %s forgery delivered first does not block the genuine notify with the same notify_id',
    async (mode) => {
      const { order, tradeNo } = await openTrade(sys, alice);
      await addFault(sys, { kind: 'notify-tamper', mode, count: 1 });
      await payAtSandbox(sys, tradeNo);
      await waitForStatus(sys, order.id, 'PAID');
      const rows = await sys.db.notifyInbox.findMany({
        where: { orderId: order.id },
        orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      });
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ verified: false, rejectReason: 'bad-signature', acknowledged: false });
      expect(rows[1]).toMatchObject({ verified: true, outcome: 'APPLIED', acknowledged: true });
      expect(rows[0]!.notifyId).toBe(rows[1]!.notifyId);
    },
  );

  it('copies of a forged notify arriving at once are each checked and refused, none taken for a duplicate', async () => {
    await addFault(sys, { kind: 'notify-drop' });
    const { order, tradeNo } = await openTrade(sys, alice);
    const attackerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = encodeForm(
      signNotify(paidNotifyFields(order, tradeNo, fenToYuan(order.totalFen)), attackerKey),
    );
    const results = await Promise.all(Array.from({ length: 8 }, () => postNotify(sys, forged)));
    expect(results).toEqual(Array.from({ length: 8 }, () => ({ status: 400, text: 'failure' })));
    const rows = await sys.db.notifyInbox.findMany({ where: { rawBody: forged } });
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.outcome === 'REJECTED' && r.rejectReason === 'bad-signature')).toBe(true);
    expect(await orderStatus(sys, order.id)).toBe('PENDING_PAYMENT');
  });

  it('garbage is refused with a non-success answer and recorded, never a 500', async () => {
    const start = new Date();
    const cases: Array<{ body: string; contentType: string }> = [
      { body: '', contentType: 'application/x-www-form-urlencoded' },
      { body: '{"trade_status":"TRADE_SUCCESS"}', contentType: 'application/json' },
      { body: '\u0000\u00ff\u00fe%%%&&&==', contentType: 'application/octet-stream' },
      { body: 'trade_status=TRADE_SUCCESS&out_trade_no=1', contentType: 'application/x-www-form-urlencoded' },
      { body: 'a=%ZZ&sign=%E4%B8', contentType: 'text/plain' },
      { body: 'a=b&sign=x', contentType: 'application/x-www-form-urlencoded; charset=no-such-charset' },
      { body: `a=${'x'.repeat(100 * 1024)}`, contentType: 'application/x-www-form-urlencoded' },
    ];
    for (const { body, contentType } of cases) {
      const res = await postNotify(sys, body, contentType);
      expect(res).toEqual({ status: 400, text: 'failure' });
    }
    // The sandbox's own (genuine) notifies for earlier tests' trades may arrive meanwhile: only unverified rows count.
    const rows = await sys.db.notifyInbox.findMany({
      where: { receivedAt: { gte: start }, verified: false },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    });
    expect(rows).toHaveLength(cases.length);
    expect(rows.every((r) => r.outcome === 'REJECTED' && !r.acknowledged && !r.verified)).toBe(true);
    expect(rows.map((r) => r.rejectReason)).toEqual([
      'bad-signature',
      'bad-signature',
      'bad-signature',
      'bad-signature',
      'bad-signature',
      'malformed',
      'malformed',
    ]);
  });
});

describe('notifies that count', () => {
  it('accepts the malformed Content-Type Alipay has sent', async () => {
    await addFault(sys, { kind: 'notify-drop' });
    const { order, tradeNo } = await openTrade(sys, alice, { priceFen: 1999 });
    const body = signedNotifyBody(sys, paidNotifyFields(order, tradeNo, fenToYuan(1999)));
    const res = await postNotify(sys, body, 'application/x-www-form-urlencoded; text/html; charset=utf-8');
    expect(res).toEqual({ status: 200, text: 'success' });
    expect(await orderStatus(sys, order.id)).toBe('PAID');
    const row = await sys.db.notifyInbox.findFirstOrThrow({ where: { orderId: order.id } });
    expect(row).toMatchObject({
      verified: true,
      outcome: 'APPLIED',
      contentType: 'application/x-www-form-urlencoded; text/html; charset=utf-8',
    });
  });

  it('the captured notify re-posted 10 times at once: one transition, all answered "success", all recorded', async () => {
    const { orderId, body } = await paidOrder();
    const results = await Promise.all(Array.from({ length: 10 }, () => postNotify(sys, body)));
    expect(results).toEqual(Array.from({ length: 10 }, () => ({ status: 200, text: 'success' })));
    const rows = await sys.db.notifyInbox.findMany({ where: { orderId } });
    expect(rows).toHaveLength(11);
    const applied = rows.filter((r) => r.outcome === 'APPLIED');
    expect(applied).toHaveLength(1);
    // The copies' rows, written together while one another's inserts ran, each name the row that counted.
    const copies = rows.filter((r) => r.outcome === 'DUPLICATE');
    expect(copies.map((r) => [r.outcomeDetail, r.verified, r.acknowledged])).toEqual(
      Array.from({ length: 10 }, () => [`notify_id seen before (inbox ${applied[0]!.id})`, true, true]),
    );
    expect(await sys.db.orderEvent.count({ where: { orderId, toStatus: 'PAID' } })).toBe(1);
  });

  it('a byte-identical copy is a DUPLICATE on the order; a forgery or another encoding reusing its notify_id is checked whole', async () => {
    const { orderId, orderNo, body } = await paidOrder();
    const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId } });
    const fields = Object.fromEntries(new URLSearchParams(body));
    const attackerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const { sign: _sign, sign_type: _signType, ...unsigned } = fields;
    // The same notify_id, the amount changed and signed with another key: a forgery, not a copy.
    const forged = encodeForm(signNotify({ ...unsigned, total_amount: '0.01' }, attackerKey));
    expect(await postNotify(sys, forged)).toEqual({ status: 400, text: 'failure' });
    // The same fields with the genuine signature, encoded otherwise (another field order): verified and checked anew.
    const reordered = encodeForm(Object.fromEntries(Object.entries(fields).reverse()));
    expect(reordered).not.toBe(body);
    expect(await postNotify(sys, reordered)).toEqual({ status: 200, text: 'success' });
    expect(await postNotify(sys, body)).toEqual({ status: 200, text: 'success' });

    const rows = await sys.db.notifyInbox.findMany({
      where: { notifyId: fields.notify_id },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    });
    expect(rows.map((r) => [r.outcome, r.verified, r.acknowledged, r.orderId])).toEqual([
      ['APPLIED', true, true, orderId],
      ['REJECTED', false, false, orderId],
      ['DUPLICATE', true, true, orderId],
      ['DUPLICATE', true, true, orderId],
    ]);
    expect(rows[1]!.rejectReason).toBe('bad-signature');
    expect(rows[3]!.outcomeDetail).toBe(`notify_id seen before (inbox ${rows[0]!.id})`);
    expect(await sys.db.orderEvent.count({ where: { orderId, toStatus: 'PAID' } })).toBe(1);
    expect((await sys.db.payment.findUniqueOrThrow({ where: { orderId } })).status).toBe(payment.status);
    expect(orderNo).toBe(fields.out_trade_no);
  });

  it('a shipped order never goes back to PAID on a late duplicate notify', async () => {
    const { orderId, orderNo, body } = await paidOrder();
    await sql(sys.db).transaction((tx) =>
      transitionOrder(tx, {
        orderId,
        from: ['PAID'],
        to: 'SHIPPED',
        set: { shippedAt: new Date(), carrier: 'SF', trackingNo: 'SF123' },
        event: { type: 'SHIPPED', actorType: 'admin' },
      }),
    );
    expect(await postNotify(sys, body)).toEqual({ status: 200, text: 'success' });
    // A notify with a new notify_id (TRADE_FINISHED once the refund window ends) is no step back either.
    const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId } });
    const finished = signedNotifyBody(
      sys,
      paidNotifyFields({ orderNo }, payment.tradeNo!, fenToYuan(payment.amountFen), {
        trade_status: 'TRADE_FINISHED',
      }),
    );
    expect(await postNotify(sys, finished)).toEqual({ status: 200, text: 'success' });

    expect(await orderStatus(sys, orderId)).toBe('SHIPPED');
    const rows = await sys.db.notifyInbox.findMany({
      where: { orderId },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    });
    expect(rows.map((r) => r.outcome)).toEqual(['APPLIED', 'DUPLICATE', 'NO_CHANGE']);
    expect(await sys.db.orderEvent.count({ where: { orderId, toStatus: 'PAID' } })).toBe(1);
  });

  it('a TRADE_CLOSED notify (the trade timed out at Alipay) closes the pending order and returns its stock', async () => {
    const { order, skuId } = await openTrade(sys, alice, { stock: 4, quantity: 2 });
    expect((await sys.db.sku.findUniqueOrThrow({ where: { id: skuId } })).stock).toBe(2);
    // At this time scale the sandbox closes an unpaid trade within a second and notifies it.
    await waitForStatus(sys, order.id, 'CLOSED');
    const row = await sys.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(row.closeReason).toBe('trade-closed');
    expect((await sys.db.sku.findUniqueOrThrow({ where: { id: skuId } })).stock).toBe(4);
    const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(payment.status).toBe('CLOSED');
    const inbox = await eventually('the close notify row', () =>
      sys.db.notifyInbox
        .findFirst({ where: { orderId: order.id, tradeStatus: 'TRADE_CLOSED' } })
        .then((r) => r ?? undefined),
    );
    expect(inbox).toMatchObject({ verified: true, outcome: 'APPLIED', acknowledged: true });
  });
});
