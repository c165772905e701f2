import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { sandboxLedger, signUpShopper, type Shopper } from '../payment/test-support';
import { downloadBill, readBillArchive, type BillSummary } from './bill';
import { listSettlements } from './report.service';
import { paidOrder, reconcile, refunded, today, type PaidOrder } from './test-support';

/**
 * Settlement against the bill's own summary file (业务明细(汇总)): what the run stores must be exactly the summary's
 * totals, which Alipay (here the sandbox, at a 0.6% fee) computes on its side, and it must agree with both ledgers.
 */

let sys: TestSystem;
let alice: Shopper;
const orders: PaidOrder[] = [];
let billDate: string;
let summary: BillSummary;

beforeAll(async () => {
  sys = await startTestSystem({ billsSameDay: true, sandboxTimeScale: 0.01 });
  alice = await signUpShopper(sys);
  // Fees at 0.6%, half up: 0.60, 0.00, 0.20, 0.07, 1.50.
  for (const priceFen of [10_000, 1, 3_333, 1_234, 25_000])
    orders.push(await paidOrder(sys, alice, priceFen));
  const [, , thirds, , big] = orders as [PaidOrder, PaidOrder, PaidOrder, PaidOrder, PaidOrder];
  // 33.33 refunded in two parts (fees back 0.06 then 0.14: the whole 0.20), 0.01 of 250.00 (fee back 0.00).
  await refunded(sys, thirds.order.id, 1_000);
  await refunded(sys, thirds.order.id, 2_333);
  await refunded(sys, big.order.id, 1);
  billDate = today();

  // The bill as Alipay serves it, read on its own: its summary file is the yardstick.
  const { billDownloadUrl } = await sys.api.deps.alipay.billDownloadUrl({ billType: 'trade', billDate });
  const archive = readBillArchive(await downloadBill(billDownloadUrl, { timeoutMs: 10_000 }));
  expect(archive.summary).not.toBeNull();
  summary = archive.summary!;
});
afterAll(() => sys.close());

describe('settlement', () => {
  it('equals the totals of the bill’s own summary file', async () => {
    const { settlement, run } = await reconcile(sys, billDate);
    expect(run.status).toBe('CLEAN');
    expect(settlement).not.toBeNull();
    const s = settlement!;
    expect(s.tradeCount).toBe(summary.tradeCount);
    expect(s.refundCount).toBe(summary.refundCount);
    expect(s.grossFen - s.refundFen).toBe(BigInt(summary.receiptFen));
    expect(-s.feeFen).toBe(BigInt(summary.feeFen));
    expect(s.netFen).toBe(BigInt(summary.netFen));
    expect(summary).toEqual({
      tradeCount: 5,
      refundCount: 3,
      orderFen: 39_568 - 3_334,
      receiptFen: 39_568 - 3_334,
      feeFen: -217,
      netFen: 36_017,
    });
    expect(s).toMatchObject({ grossFen: 39_568n, refundFen: 3_334n, feeFen: 217n, netFen: 36_017n });
  });

  it('agrees with the shop’s ledger and the sandbox’s', async () => {
    const payments = await sys.db.payment.findMany({ where: { status: 'PAID' } });
    const refunds = await sys.db.refund.findMany({ where: { status: 'SUCCEEDED' } });
    const stored = await sys.db.settlement.findUniqueOrThrow({ where: { billDate } });
    expect(BigInt(payments.reduce((sum, p) => sum + p.amountFen, 0))).toBe(stored.grossFen);
    expect(BigInt(refunds.reduce((sum, r) => sum + r.amountFen, 0))).toBe(stored.refundFen);
    let paidFen = 0;
    let refundedFen = 0;
    for (const { order } of orders) {
      const ledger = await sandboxLedger(sys, order.orderNo);
      paidFen += ledger.totals.paidFen;
      refundedFen += ledger.totals.refundedFen;
    }
    expect([BigInt(paidFen), BigInt(refundedFen)]).toEqual([stored.grossFen, stored.refundFen]);
  });

  it('is listed with its totals as integer fen (the BigInt columns converted at the edge)', async () => {
    const list = await listSettlements(sys.db, { from: billDate, to: billDate });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      billDate,
      tradeCount: 5,
      refundCount: 3,
      grossFen: 39_568,
      refundFen: 3_334,
      feeFen: 217,
      netFen: 36_017,
    });
    expect(list.totals).toEqual({
      tradeCount: 5,
      refundCount: 3,
      grossFen: 39_568,
      refundFen: 3_334,
      feeFen: 217,
      netFen: 36_017,
    });
  });
});
