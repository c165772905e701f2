import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { audit, type AdminActor } from '../admin/audit/service';
import { requestRefund } from '../payment/refund.service';
import {
  addFault,
  notifyAttempted,
  openTrade,
  payAtSandbox,
  signUpShopper,
  type Shopper,
} from '../payment/test-support';
import { requeryLine, resolveLine } from './actions.service';
import { kindsByKey, linesOf, paidOrder, reconcile, today, type PaidOrder } from './test-support';

/**
 * Differences injected at the sandbox, each the way it happens in life, and the report finds exactly those:
 * - a payment whose notify never reached the shop and that no query asked about: MISSING_IN_LEDGER;
 * - an amount changed in Alipay's bill: AMOUNT_MISMATCH;
 * - a refund made at Alipay behind the shop's back (in the merchant console): REFUND_MISMATCH.
 * Everything else matches. Then the merchant's tools: a resolution note survives a rerun, and re-querying the
 * missing payment applies it through the payment service, after which the line matches.
 */

let sys: TestSystem;
let alice: Shopper;
let clean: PaidOrder;
let altered: PaidOrder;
let consoleRefunded: PaidOrder;
let unseen: { orderId: string; orderNo: string; tradeNo: string };
let billDate: string;

const owner: AdminActor = { id: 'owner-1', name: 'owner', role: 'owner', ip: '127.0.0.1' };

beforeAll(async () => {
  sys = await startTestSystem({ billsSameDay: true, sandboxTimeScale: 0.01 });
  // The audit rows below link to the owner's account.
  await sys.db.admin.create({
    data: {
      id: owner.id,
      username: owner.name,
      passwordHash: 'never-signs-in',
      role: owner.role,
      displayName: owner.name,
    },
  });
  alice = await signUpShopper(sys);

  clean = await paidOrder(sys, alice, 8_800);

  altered = await paidOrder(sys, alice, 4_000);
  for (const field of ['orderAmount', 'receiptAmount']) {
    const adjusted = await sys.sandbox('POST', '/sandbox/bills/adjustments', {
      tradeNo: altered.tradeNo,
      field,
      amountFen: 4_100,
    });
    expect(adjusted.status, adjusted.text).toBe(201);
  }

  consoleRefunded = await paidOrder(sys, alice, 6_000);
  const behindBack = await sys.sandbox('POST', `/sandbox/trades/${consoleRefunded.tradeNo}/refund`, {
    amountFen: 1_000,
    outRequestNo: 'CONSOLE_REFUND_1',
    reason: '客服后台退款',
  });
  expect(behindBack.status, behindBack.text).toBe(200);

  // Every notify is dropped from here on, and no job runs (JOBS_ENABLED=false): the shop never hears of this one.
  await addFault(sys, { kind: 'notify-drop' });
  const { order, tradeNo } = await openTrade(sys, alice, { priceFen: 1_990 });
  expect((await payAtSandbox(sys, tradeNo)).resultCode).toBe('9000');
  unseen = { orderId: order.id, orderNo: order.orderNo, tradeNo };
  const { notify } = await notifyAttempted(sys, order.orderNo, 'dropped');
  expect(notify.attempts.map((a) => a.outcome)).toEqual(['dropped']);
  expect(await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
    status: 'OPEN',
  });
  billDate = today();
});
afterAll(() => sys.close());

describe('injected differences', () => {
  it('produce exactly those classes and nothing else', async () => {
    const result = await reconcile(sys, billDate);
    expect(result.run).toMatchObject({
      status: 'DIFFERENCES',
      billLineCount: 5,
      matchedCount: 2,
      differenceCount: 3,
    });
    expect(await kindsByKey(sys, billDate)).toEqual({
      [`trade ${clean.order.orderNo}`]: 'MATCHED',
      [`trade ${altered.order.orderNo}`]: 'AMOUNT_MISMATCH',
      [`trade ${consoleRefunded.order.orderNo}`]: 'MATCHED',
      'refund CONSOLE_REFUND_1': 'REFUND_MISMATCH',
      [`trade ${unseen.orderNo}`]: 'MISSING_IN_LEDGER',
    });
    const lines = await linesOf(sys, billDate);
    const about = (outTradeNo: string, lineType = 'trade') =>
      lines.find((line) => line.outTradeNo === outTradeNo && line.lineType === lineType);
    expect(about(altered.order.orderNo)).toMatchObject({
      billAmountFen: 4_100,
      ledgerAmountFen: 4_000,
      detail: 'bill 订单金额 41.00 / 商家实收 41.00, shop 40.00',
    });
    expect(about(consoleRefunded.order.orderNo, 'refund')).toMatchObject({
      tradeNo: consoleRefunded.tradeNo,
      billAmountFen: 1_000,
      ledgerAmountFen: null,
      detail: 'refunded at Alipay; the shop has no refund with this request number',
    });
    expect(about(unseen.orderNo)).toMatchObject({
      tradeNo: unseen.tradeNo,
      billAmountFen: 1_990,
      ledgerAmountFen: 1_990,
      detail: "paid at Alipay; the shop's payment is OPEN and the order PENDING_PAYMENT",
    });
    // The settlement is Alipay's view: it counts the altered amount and the console refund.
    expect(result.settlement).toMatchObject({
      tradeCount: 4,
      refundCount: 1,
      grossFen: BigInt(8_800 + 4_100 + 6_000 + 1_990),
      refundFen: 1_000n,
    });
  });

  it('keeps a resolution note through a rerun, with the same hash', async () => {
    const first = await sys.db.reconciliationRun.findUniqueOrThrow({ where: { billDate } });
    const line = (await linesOf(sys, billDate)).find((l) => l.kind === 'REFUND_MISMATCH')!;
    const resolved = await resolveLine(
      sys.api.deps,
      audit,
      owner,
      line.id,
      '客服在支付宝后台退了 10 元运费，已核实',
    );
    expect(resolved).toMatchObject({
      resolvedById: 'owner-1',
      resolutionNote: '客服在支付宝后台退了 10 元运费，已核实',
    });
    const entry = await sys.db.auditLog.findFirstOrThrow({ where: { targetId: line.id } });
    expect(entry).toMatchObject({
      action: 'reconciliation.line.resolve',
      actorName: 'owner',
      targetType: 'ReconciliationLine',
    });
    expect(JSON.parse(entry.afterJson!)).toMatchObject({
      kind: 'REFUND_MISMATCH',
      resolutionNote: '客服在支付宝后台退了 10 元运费，已核实',
    });

    const again = await reconcile(sys, billDate);
    expect(again.run.reportHash).toBe(first.reportHash);
    const kept = (await linesOf(sys, billDate)).find((l) => l.kind === 'REFUND_MISMATCH')!;
    expect(kept.id).not.toBe(line.id);
    expect(kept).toMatchObject({
      resolvedById: 'owner-1',
      resolutionNote: '客服在支付宝后台退了 10 元运费，已核实',
    });
    expect((await linesOf(sys, billDate)).filter((l) => l.resolvedAt !== null)).toHaveLength(1);
  });

  it('re-querying the missing payment applies it through the payment service; the line then matches', async () => {
    const line = (await linesOf(sys, billDate)).find((l) => l.kind === 'MISSING_IN_LEDGER')!;
    const result = await requeryLine(sys.api.deps, audit, owner, line.id);
    expect(result.trade).toMatchObject({
      ok: true,
      tradeNo: unseen.tradeNo,
      tradeStatus: 'TRADE_SUCCESS',
      totalFen: 1_990,
    });
    expect(result.applied).toBe('paid');
    expect(result.rerun?.run).toMatchObject({ status: 'DIFFERENCES', differenceCount: 2, matchedCount: 3 });

    expect(await sys.db.order.findUniqueOrThrow({ where: { id: unseen.orderId } })).toMatchObject({
      status: 'PAID',
    });
    expect(await sys.db.payment.findUniqueOrThrow({ where: { orderId: unseen.orderId } })).toMatchObject({
      status: 'PAID',
      paidVia: 'query',
    });
    const call = await sys.db.gatewayCall.findFirstOrThrow({
      where: { orderId: unseen.orderId, purpose: 'query' },
    });
    expect(call).toMatchObject({ method: 'alipay.trade.query', outcome: 'success' });
    expect((await kindsByKey(sys, billDate))[`trade ${unseen.orderNo}`]).toBe('MATCHED');
    expect(await sys.db.auditLog.count({ where: { action: 'reconciliation.line.requery' } })).toBe(1);

    // Asked again, Alipay's answer changes nothing more and the report stays as it is.
    const latest = (await linesOf(sys, billDate)).find((l) => l.outTradeNo === unseen.orderNo)!;
    const twice = await requeryLine(sys.api.deps, audit, owner, latest.id);
    expect(twice).toMatchObject({ applied: 'already-settled', rerun: null });
  });

  it('re-querying a refund Alipay made behind our back changes nothing in the ledger', async () => {
    const line = (await linesOf(sys, billDate)).find((l) => l.kind === 'REFUND_MISMATCH')!;
    const result = await requeryLine(sys.api.deps, audit, owner, line.id);
    expect(result).toMatchObject({ applied: 'already-settled', refund: null, rerun: null });
    expect(result.trade).toMatchObject({ tradeStatus: 'TRADE_SUCCESS' });
    expect(await sys.db.refund.count({ where: { outRequestNo: 'CONSOLE_REFUND_1' } })).toBe(0);
  });
});

describe('more differences, and what re-querying does about them', () => {
  it('a row the bill leaves out is MISSING_IN_BILL', async () => {
    const omitted = await sys.sandbox('POST', '/sandbox/bills/adjustments', {
      tradeNo: clean.tradeNo,
      omit: true,
    });
    expect(omitted.status).toBe(201);
    await reconcile(sys, billDate);
    const line = (await linesOf(sys, billDate)).find((l) => l.outTradeNo === clean.order.orderNo)!;
    expect(line).toMatchObject({
      kind: 'MISSING_IN_BILL',
      lineType: 'trade',
      tradeNo: clean.tradeNo,
      billAmountFen: null,
      ledgerAmountFen: 8_800,
      detail: 'the shop recorded this payment paid (by notify); the bill lacks it',
    });
    await sys.sandbox('DELETE', '/sandbox/bills/adjustments');
    // The amount change was cleared with it; put it back for the tests below.
    for (const field of ['orderAmount', 'receiptAmount']) {
      await sys.sandbox('POST', '/sandbox/bills/adjustments', {
        tradeNo: altered.tradeNo,
        field,
        amountFen: 4_100,
      });
    }
  });

  it('a refund Alipay made while ours is UNKNOWN is a STATUS_MISMATCH; re-querying settles it and the line matches', async () => {
    await addFault(sys, { kind: 'gateway-drop-after-apply', count: 1, methods: ['alipay.trade.refund'] });
    const refund = await requestRefund(sys.api.deps, {
      orderId: clean.order.id,
      amountFen: 800,
      reason: '少发一件',
      actor: { type: 'admin', id: 'owner-1' },
    });
    expect(refund.status).toBe('UNKNOWN');

    const result = await reconcile(sys, billDate);
    const line = (await linesOf(sys, billDate)).find((l) => l.outRequestNo === refund.outRequestNo)!;
    expect(line).toMatchObject({
      kind: 'STATUS_MISMATCH',
      billAmountFen: 800,
      ledgerAmountFen: 800,
      detail: "refunded at Alipay; the shop's refund is UNKNOWN",
    });
    expect(result.run.status).toBe('DIFFERENCES');

    const requery = await requeryLine(sys.api.deps, audit, owner, line.id);
    expect(requery).toMatchObject({ refund: 'succeeded', applied: 'already-settled' });
    expect(await sys.db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({
      status: 'SUCCEEDED',
    });
    expect((await kindsByKey(sys, billDate))[`refund ${refund.outRequestNo}`]).toBe('MATCHED');
    expect(requery.rerun?.run.differenceCount).toBe(2);
  });
});
