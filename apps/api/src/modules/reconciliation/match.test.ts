import { chinaDayRange } from '@shop/alipay';
import { describe, expect, it } from 'vitest';
import type { BillRow } from './bill';
import { matchBill, sortLines, type LedgerPayment, type LedgerRefund, type ReportLine } from './match';

const DAY = chinaDayRange('2026-03-01')!;
const AT_NOON = new Date('2026-03-01T04:00:00Z'); // 12:00 in China
const NEXT_DAY = new Date('2026-03-02T01:00:00Z'); // 09:00 on 2026-03-02 in China

let n = 0;
function ids() {
  n++;
  return { tradeNo: `20260301220010000000000${String(n).padStart(5, '0')}`, outTradeNo: `2026030110000${n}` };
}

function tradeRow(
  p: Pick<LedgerPayment, 'tradeNo' | 'outTradeNo' | 'amountFen'>,
  over: Partial<BillRow> = {},
): BillRow {
  return {
    line: 6,
    type: 'trade',
    tradeNo: p.tradeNo!,
    outTradeNo: p.outTradeNo,
    outRequestNo: null,
    orderFen: p.amountFen,
    receiptFen: p.amountFen,
    feeFen: -Math.round(p.amountFen * 0.006),
    finishedAt: AT_NOON,
    subject: '大衣',
    ...over,
  };
}

function refundRow(r: LedgerRefund, over: Partial<BillRow> = {}): BillRow {
  return {
    line: 7,
    type: 'refund',
    tradeNo: r.tradeNo!,
    outTradeNo: r.outTradeNo,
    outRequestNo: r.outRequestNo,
    orderFen: -r.amountFen,
    receiptFen: -r.amountFen,
    feeFen: 1,
    finishedAt: AT_NOON,
    subject: '大衣',
    ...over,
  };
}

function payment(over: Partial<LedgerPayment> = {}): LedgerPayment {
  return {
    ...ids(),
    amountFen: 10_000,
    status: 'PAID',
    paidAt: AT_NOON,
    paidVia: 'notify',
    orderStatus: 'PAID',
    autoRefund: null,
    ...over,
  };
}

function refundOf(p: LedgerPayment, over: Partial<LedgerRefund> = {}): LedgerRefund {
  return {
    outRequestNo: `${p.outTradeNo}_R1`,
    outTradeNo: p.outTradeNo,
    tradeNo: p.tradeNo,
    amountFen: 3_000,
    status: 'SUCCEEDED',
    kind: 'MERCHANT',
    succeededAt: AT_NOON,
    ...over,
  };
}

const kinds = (lines: ReportLine[]) => lines.map((line) => line.kind);

describe('matchBill', () => {
  it('MATCHED: a paid trade and its refund as the ledger has them', () => {
    const p = payment();
    const r = refundOf(p);
    const lines = matchBill([refundRow(r), tradeRow(p)], { payments: [p], refunds: [r] }, DAY);
    expect(lines).toEqual([
      {
        kind: 'MATCHED',
        lineType: 'trade',
        tradeNo: p.tradeNo,
        outTradeNo: p.outTradeNo,
        outRequestNo: null,
        billAmountFen: 10_000,
        ledgerAmountFen: 10_000,
        detail: '',
      },
      {
        kind: 'MATCHED',
        lineType: 'refund',
        tradeNo: p.tradeNo,
        outTradeNo: p.outTradeNo,
        outRequestNo: r.outRequestNo,
        billAmountFen: 3_000,
        ledgerAmountFen: 3_000,
        detail: '',
      },
    ]);
  });

  it('matches by order number when the shop never learned the trade number', () => {
    const p = payment({ tradeNo: null });
    const row = tradeRow({ ...p, tradeNo: '2026030122001999' });
    expect(kinds(matchBill([row], { payments: [p], refunds: [] }, DAY))).toEqual(['MATCHED']);
  });

  it('MISSING_IN_LEDGER: paid at Alipay while our payment is still open, or unknown to us', () => {
    const open = payment({ status: 'OPEN', paidAt: null, paidVia: null, orderStatus: 'PENDING_PAYMENT' });
    const stranger = { ...ids(), amountFen: 500 };
    const lines = matchBill([tradeRow(open), tradeRow(stranger)], { payments: [open], refunds: [] }, DAY);
    expect(lines.map(({ kind, ledgerAmountFen, detail }) => ({ kind, ledgerAmountFen, detail }))).toEqual([
      {
        kind: 'MISSING_IN_LEDGER',
        ledgerAmountFen: 10_000,
        detail: "paid at Alipay; the shop's payment is OPEN and the order PENDING_PAYMENT",
      },
      {
        kind: 'MISSING_IN_LEDGER',
        ledgerAmountFen: null,
        detail: 'paid at Alipay; the shop has no payment for this trade or order number',
      },
    ]);
  });

  it('MISSING_IN_LEDGER: the bill lists one trade twice', () => {
    const p = payment();
    const lines = matchBill([tradeRow(p), tradeRow(p)], { payments: [p], refunds: [] }, DAY);
    expect(kinds(lines).sort()).toEqual(['MATCHED', 'MISSING_IN_LEDGER']);
  });

  it('MISSING_IN_BILL: a payment and a refund recorded on the day that the bill lacks; other days are not asked for', () => {
    const p = payment({ paidVia: 'query' });
    const r = refundOf(payment());
    const yesterday = payment({ paidAt: new Date('2026-02-28T04:00:00Z') });
    const unpaid = payment({ status: 'OPEN', paidAt: null });
    const pendingRefund = refundOf(payment(), { status: 'PENDING', succeededAt: null });
    const lines = matchBill([], { payments: [p, yesterday, unpaid], refunds: [r, pendingRefund] }, DAY);
    expect(lines).toEqual([
      {
        kind: 'MISSING_IN_BILL',
        lineType: 'trade',
        tradeNo: p.tradeNo,
        outTradeNo: p.outTradeNo,
        outRequestNo: null,
        billAmountFen: null,
        ledgerAmountFen: 10_000,
        detail: 'the shop recorded this payment paid (by query); the bill lacks it',
      },
      {
        kind: 'MISSING_IN_BILL',
        lineType: 'refund',
        tradeNo: r.tradeNo,
        outTradeNo: r.outTradeNo,
        outRequestNo: r.outRequestNo,
        billAmountFen: null,
        ledgerAmountFen: 3_000,
        detail: 'the shop recorded this refund succeeded; the bill lacks it',
      },
    ]);
  });

  it('AMOUNT_MISMATCH: the bill’s order amount or receipt differs from our payment', () => {
    const a = payment();
    const b = payment();
    const lines = matchBill(
      [tradeRow(a, { orderFen: 10_001, receiptFen: 10_001 }), tradeRow(b, { receiptFen: 9_000 })],
      { payments: [a, b], refunds: [] },
      DAY,
    );
    expect(
      lines.map(({ kind, billAmountFen, ledgerAmountFen, detail }) => ({
        kind,
        billAmountFen,
        ledgerAmountFen,
        detail,
      })),
    ).toEqual([
      {
        kind: 'AMOUNT_MISMATCH',
        billAmountFen: 10_001,
        ledgerAmountFen: 10_000,
        detail: 'bill 订单金额 100.01 / 商家实收 100.01, shop 100.00',
      },
      {
        kind: 'AMOUNT_MISMATCH',
        billAmountFen: 10_000,
        ledgerAmountFen: 10_000,
        detail: 'bill 订单金额 100.00 / 商家实收 90.00, shop 100.00',
      },
    ]);
  });

  it('STATUS_MISMATCH: paid at Alipay but closed with us, or paid after close with no automatic refund', () => {
    const closed = payment({ status: 'CLOSED', paidAt: null, orderStatus: 'CLOSED' });
    const noRefund = payment({ orderStatus: 'CLOSED' });
    const failedRefund = payment({
      orderStatus: 'CLOSED',
      autoRefund: { outRequestNo: 'X_AUTO', status: 'FAILED' },
    });
    const lines = matchBill(
      [tradeRow(closed), tradeRow(noRefund), tradeRow(failedRefund)],
      { payments: [closed, noRefund, failedRefund], refunds: [] },
      DAY,
    );
    expect(lines.map(({ kind, detail }) => ({ kind, detail }))).toEqual([
      {
        kind: 'STATUS_MISMATCH',
        detail: 'paid at Alipay; the shop closed this payment (order CLOSED) and made no refund',
      },
      { kind: 'STATUS_MISMATCH', detail: 'paid after the order closed; the shop made no automatic refund' },
      { kind: 'STATUS_MISMATCH', detail: 'paid after the order closed; automatic refund X_AUTO FAILED' },
    ]);
  });

  it('STATUS_MISMATCH: refunded at Alipay while our refund is pending, unknown or failed', () => {
    const p = payment();
    const refunds = (['PENDING', 'UNKNOWN', 'FAILED'] as const).map((status, i) =>
      refundOf(p, { outRequestNo: `${p.outTradeNo}_R${i + 1}`, status, succeededAt: null }),
    );
    const lines = matchBill(
      refunds.map((r) => refundRow(r)),
      { payments: [], refunds },
      DAY,
    );
    expect(lines.map((line) => line.detail)).toEqual([
      "refunded at Alipay; the shop's refund is PENDING",
      "refunded at Alipay; the shop's refund is UNKNOWN",
      "refunded at Alipay; the shop's refund is FAILED",
    ]);
    expect(new Set(kinds(lines))).toEqual(new Set(['STATUS_MISMATCH']));
  });

  it('STATUS_MISMATCH: the bill pairs our order number with another trade number', () => {
    const p = payment();
    const lines = matchBill(
      [tradeRow({ ...p, tradeNo: '2026030122009999' })],
      { payments: [p], refunds: [] },
      DAY,
    );
    expect(lines[0]).toMatchObject({
      kind: 'STATUS_MISMATCH',
      detail: `the shop's payment of this order is trade ${p.tradeNo}`,
    });
  });

  it('PAID_AFTER_CLOSE: the trade row of a payment for a closed order whose automatic refund exists; its refund row MATCHED', () => {
    const p = payment({ orderStatus: 'CLOSED' });
    const auto = refundOf(p, {
      outRequestNo: `${p.outTradeNo}_AUTO`,
      amountFen: p.amountFen,
      kind: 'AUTO_PAID_AFTER_CLOSE',
    });
    p.autoRefund = { outRequestNo: auto.outRequestNo, status: 'SUCCEEDED' };
    const lines = matchBill([tradeRow(p), refundRow(auto)], { payments: [p], refunds: [auto] }, DAY);
    expect(lines.map(({ kind, detail }) => ({ kind, detail }))).toEqual([
      {
        kind: 'PAID_AFTER_CLOSE',
        detail: `paid after the order closed; automatic refund ${auto.outRequestNo} is SUCCEEDED`,
      },
      { kind: 'MATCHED', detail: 'the automatic refund of a payment made after its order closed' },
    ]);

    // The automatic refund still on its way: the pair is expected all the same; its refund is not in the bill yet.
    const pending = payment({
      orderStatus: 'CLOSED',
      autoRefund: { outRequestNo: 'Y_AUTO', status: 'UNKNOWN' },
    });
    expect(kinds(matchBill([tradeRow(pending)], { payments: [pending], refunds: [] }, DAY))).toEqual([
      'PAID_AFTER_CLOSE',
    ]);
  });

  it('REFUND_MISMATCH: a refund we never asked for, another amount, another trade', () => {
    const p = payment();
    const ours = refundOf(p);
    const other = payment();
    const foreign = refundOf(other, { outRequestNo: 'FOREIGN_1' });
    const lines = matchBill(
      [
        refundRow(ours, { orderFen: -2_000, receiptFen: -2_000 }),
        refundRow({ ...ours, outRequestNo: 'CONSOLE_1' }),
        refundRow({ ...foreign, outTradeNo: p.outTradeNo, tradeNo: p.tradeNo }),
        refundRow({ ...ours, outRequestNo: null as unknown as string }),
      ],
      { payments: [], refunds: [ours, foreign] },
      DAY,
    );
    expect(
      lines.map(({ outRequestNo, kind, billAmountFen, ledgerAmountFen, detail }) => ({
        outRequestNo,
        kind,
        billAmountFen,
        ledgerAmountFen,
        detail,
      })),
    ).toEqual([
      {
        outRequestNo: null,
        kind: 'REFUND_MISMATCH',
        billAmountFen: 3_000,
        ledgerAmountFen: null,
        detail: 'refunded at Alipay without a request number the shop could know',
      },
      {
        outRequestNo: ours.outRequestNo,
        kind: 'REFUND_MISMATCH',
        billAmountFen: 2_000,
        ledgerAmountFen: 3_000,
        detail: 'bill refunded 20.00 (商家实收 20.00), shop 30.00',
      },
      {
        outRequestNo: 'CONSOLE_1',
        kind: 'REFUND_MISMATCH',
        billAmountFen: 3_000,
        ledgerAmountFen: null,
        detail: 'refunded at Alipay; the shop has no refund with this request number',
      },
      {
        outRequestNo: 'FOREIGN_1',
        kind: 'REFUND_MISMATCH',
        billAmountFen: 3_000,
        ledgerAmountFen: 3_000,
        detail: `the shop's refund with this number belongs to order ${other.outTradeNo}`,
      },
    ]);
  });

  it('a line takes its most serious finding and names them all', () => {
    const p = payment({ status: 'OPEN', paidAt: null, orderStatus: 'PENDING_PAYMENT' });
    const [line] = matchBill(
      [tradeRow(p, { orderFen: 1, receiptFen: 1 })],
      { payments: [p], refunds: [] },
      DAY,
    );
    expect(line).toMatchObject({
      kind: 'MISSING_IN_LEDGER',
      detail:
        "paid at Alipay; the shop's payment is OPEN and the order PENDING_PAYMENT; " +
        'bill 订单金额 0.01 / 商家实收 0.01, shop 100.00',
    });
  });

  it('a bill row recorded by us on the next China day still matches, and says so', () => {
    const p = payment({ paidAt: NEXT_DAY });
    const r = refundOf(p, { succeededAt: NEXT_DAY });
    const lines = matchBill([tradeRow(p), refundRow(r)], { payments: [p], refunds: [r] }, DAY);
    expect(lines.map(({ kind, detail }) => ({ kind, detail }))).toEqual([
      { kind: 'MATCHED', detail: 'the shop recorded it paid on 2026-03-02' },
      { kind: 'MATCHED', detail: 'the shop recorded it refunded on 2026-03-02' },
    ]);
  });

  it('the same inputs in any order give the same lines in the same order', () => {
    const ps = [payment(), payment(), payment({ orderStatus: 'REFUNDED' })];
    const rs = ps.map((p) => refundOf(p));
    const rows = [...ps.map((p) => tradeRow(p)), ...rs.map((r) => refundRow(r))];
    const a = matchBill(rows, { payments: ps, refunds: rs }, DAY);
    const b = matchBill(
      [...rows].reverse(),
      { payments: [...ps].reverse(), refunds: [...rs].reverse() },
      DAY,
    );
    expect(b).toEqual(a);
    expect(sortLines([...a].reverse())).toEqual(a);
    expect(a.map((line) => line.lineType)).toEqual(['trade', 'trade', 'trade', 'refund', 'refund', 'refund']);
  });

  it('every bill row gives exactly one line, and every unclaimed ledger row of the day one more', () => {
    const matched = payment();
    const missing = payment();
    const open = payment({ status: 'OPEN', paidAt: null });
    const rows = [tradeRow(matched), tradeRow(open), tradeRow({ ...ids(), amountFen: 1 })];
    const lines = matchBill(rows, { payments: [matched, missing, open], refunds: [] }, DAY);
    expect(lines).toHaveLength(rows.length + 1);
    expect(kinds(lines).filter((kind) => kind === 'MISSING_IN_BILL')).toHaveLength(1);
  });
});
