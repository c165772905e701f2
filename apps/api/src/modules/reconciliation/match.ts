import { fenToYuan, formatChinaDate } from '@shop/alipay';
import type { ReconciliationKind, ReconciliationLineType } from '@shop/contract';
import type { BillRow } from './bill';

/**
 * Matching a day's bill against the ledger: pure data in, report lines out (no database, no clock).
 *
 * Every bill row becomes exactly one line. Trade rows (交易) are matched to our payment by 支付宝交易号 (trade_no),
 * else by 商户订单号 (out_trade_no = our order number); refund rows (退款) to our refund by 退款批次号/请求号
 * (out_request_no). The whole ledger is searched, not only the day's rows, so a row recorded on a neighbouring day
 * by us still matches (the line says so). Then every ledger row of the day that no bill row claimed becomes a
 * MISSING_IN_BILL line: payments whose `paidAt`, and refunds whose `succeededAt`, fall in the China calendar day.
 *
 * A line's kind is its most serious finding; its detail names every finding. Trade rows, most serious first:
 * - MISSING_IN_LEDGER: no payment for the trade, our payment is not PAID (still CREATED/OPEN), or the bill lists the
 *   trade twice.
 * - STATUS_MISMATCH: paid at Alipay but our payment is CLOSED; the numbers contradict ours (the same order number
 *   with another trade number); or paid for an order we closed without an automatic refund (or with a FAILED one).
 * - AMOUNT_MISMATCH: 订单金额 or 商家实收 differs from our payment's amount (the shop offers no discounts, so both
 *   must equal it).
 * - PAID_AFTER_CLOSE: paid for an order we closed, and our automatic refund (AUTO_PAID_AFTER_CLOSE) exists and is
 *   not FAILED. This is the expected answer to Alipay's paid-after-close race: the trade row is PAID_AFTER_CLOSE
 *   and the automatic refund's own bill row is matched like any refund (MATCHED when it succeeded). It does not
 *   count as a difference.
 * Refund rows:
 * - REFUND_MISMATCH: no refund with that request number, a refund of another trade, the refund listed twice, or
 *   another amount.
 * - STATUS_MISMATCH: refunded at Alipay while our refund is PENDING, UNKNOWN or FAILED.
 */

export type PaymentState = 'CREATED' | 'OPEN' | 'PAID' | 'CLOSED';
export type RefundState = 'PENDING' | 'UNKNOWN' | 'SUCCEEDED' | 'FAILED';

export interface LedgerPayment {
  outTradeNo: string;
  tradeNo: string | null;
  amountFen: number;
  status: PaymentState;
  paidAt: Date | null;
  /** notify | query | close */
  paidVia: string | null;
  /** The order's status (PENDING_PAYMENT, PAID, ..., CLOSED). */
  orderStatus: string;
  /** The automatic refund of a payment made after its order closed, when one exists. */
  autoRefund: { outRequestNo: string; status: RefundState } | null;
}

export interface LedgerRefund {
  outRequestNo: string;
  /** Of the refunded payment. */
  outTradeNo: string;
  tradeNo: string | null;
  amountFen: number;
  status: RefundState;
  kind: 'MERCHANT' | 'AUTO_PAID_AFTER_CLOSE';
  succeededAt: Date | null;
}

export interface Ledger {
  payments: readonly LedgerPayment[];
  refunds: readonly LedgerRefund[];
}

/** The UTC instants [start, end) of the China calendar day being reconciled. */
export interface DayRange {
  start: Date;
  end: Date;
}

export interface ReportLine {
  kind: ReconciliationKind;
  lineType: ReconciliationLineType;
  tradeNo: string | null;
  outTradeNo: string | null;
  outRequestNo: string | null;
  /** Trade lines: 订单金额; refund lines: the refunded amount (positive). Null when the bill lacks the line. */
  billAmountFen: number | null;
  ledgerAmountFen: number | null;
  detail: string;
}

interface Finding {
  kind: ReconciliationKind;
  text: string;
}

/** The kinds in order of seriousness: a line takes the first of its findings. */
const SERIOUSNESS: readonly ReconciliationKind[] = [
  'MISSING_IN_LEDGER',
  'REFUND_MISMATCH',
  'STATUS_MISMATCH',
  'AMOUNT_MISMATCH',
  'MISSING_IN_BILL',
  'PAID_AFTER_CLOSE',
  'MATCHED',
];

function settleFindings(findings: Finding[]): { kind: ReconciliationKind; detail: string } {
  if (findings.length === 0) return { kind: 'MATCHED', detail: '' };
  const ordered = [...findings].sort((a, b) => SERIOUSNESS.indexOf(a.kind) - SERIOUSNESS.indexOf(b.kind));
  return { kind: (ordered[0] as Finding).kind, detail: ordered.map((f) => f.text).join('; ') };
}

const yuan = (fen: number) => fenToYuan(fen);

function inRange(date: Date | null, day: DayRange): boolean {
  return date !== null && date.getTime() >= day.start.getTime() && date.getTime() < day.end.getTime();
}

function otherDayNote(date: Date | null, day: DayRange, what: string): Finding[] {
  // Informational only (kind MATCHED): the ledger dates the row on a neighbouring China day.
  return date && !inRange(date, day)
    ? [{ kind: 'MATCHED', text: `${what} on ${formatChinaDate(date)}` }]
    : [];
}

function matchTrade(
  row: BillRow,
  payment: LedgerPayment | undefined,
  claimed: Set<LedgerPayment>,
  day: DayRange,
): ReportLine {
  const base = {
    lineType: 'trade' as const,
    tradeNo: row.tradeNo,
    outTradeNo: row.outTradeNo,
    outRequestNo: null,
    billAmountFen: row.orderFen,
  };
  if (!payment) {
    return {
      ...base,
      kind: 'MISSING_IN_LEDGER',
      ledgerAmountFen: null,
      detail: 'paid at Alipay; the shop has no payment for this trade or order number',
    };
  }
  if (claimed.has(payment)) {
    return {
      ...base,
      kind: 'MISSING_IN_LEDGER',
      ledgerAmountFen: payment.amountFen,
      detail: 'the bill lists this trade again; the shop recorded one payment for it',
    };
  }
  claimed.add(payment);

  const findings: Finding[] = [];
  if (payment.tradeNo !== null && payment.tradeNo !== row.tradeNo) {
    findings.push({
      kind: 'STATUS_MISMATCH',
      text: `the shop's payment of this order is trade ${payment.tradeNo}`,
    });
  }
  if (payment.outTradeNo !== row.outTradeNo) {
    findings.push({
      kind: 'STATUS_MISMATCH',
      text: `the shop has this trade under order number ${payment.outTradeNo}`,
    });
  }
  if (payment.status === 'CREATED' || payment.status === 'OPEN') {
    findings.push({
      kind: 'MISSING_IN_LEDGER',
      text: `paid at Alipay; the shop's payment is ${payment.status} and the order ${payment.orderStatus}`,
    });
  } else if (payment.status === 'CLOSED') {
    findings.push({
      kind: 'STATUS_MISMATCH',
      text: `paid at Alipay; the shop closed this payment (order ${payment.orderStatus}) and made no refund`,
    });
  }
  if (row.orderFen !== payment.amountFen || row.receiptFen !== payment.amountFen) {
    findings.push({
      kind: 'AMOUNT_MISMATCH',
      text:
        `bill 订单金额 ${yuan(row.orderFen)} / 商家实收 ${yuan(row.receiptFen)}, ` +
        `shop ${yuan(payment.amountFen)}`,
    });
  }
  if (payment.status === 'PAID' && payment.orderStatus === 'CLOSED') {
    const auto = payment.autoRefund;
    if (auto && auto.status !== 'FAILED') {
      findings.push({
        kind: 'PAID_AFTER_CLOSE',
        text: `paid after the order closed; automatic refund ${auto.outRequestNo} is ${auto.status}`,
      });
    } else {
      findings.push({
        kind: 'STATUS_MISMATCH',
        text: auto
          ? `paid after the order closed; automatic refund ${auto.outRequestNo} FAILED`
          : 'paid after the order closed; the shop made no automatic refund',
      });
    }
  }
  if (payment.status === 'PAID')
    findings.push(...otherDayNote(payment.paidAt, day, 'the shop recorded it paid'));
  return { ...base, ledgerAmountFen: payment.amountFen, ...settleFindings(findings) };
}

function matchRefund(
  row: BillRow,
  refund: LedgerRefund | undefined,
  claimed: Set<LedgerRefund>,
  day: DayRange,
): ReportLine {
  const base = {
    lineType: 'refund' as const,
    tradeNo: row.tradeNo,
    outTradeNo: row.outTradeNo,
    outRequestNo: row.outRequestNo,
    billAmountFen: -row.orderFen,
  };
  if (!refund) {
    return {
      ...base,
      kind: 'REFUND_MISMATCH',
      ledgerAmountFen: null,
      detail: row.outRequestNo
        ? 'refunded at Alipay; the shop has no refund with this request number'
        : 'refunded at Alipay without a request number the shop could know',
    };
  }
  if (claimed.has(refund)) {
    return {
      ...base,
      kind: 'REFUND_MISMATCH',
      ledgerAmountFen: refund.amountFen,
      detail: 'the bill lists this refund again; the shop recorded it once',
    };
  }
  claimed.add(refund);

  const findings: Finding[] = [];
  if (refund.outTradeNo !== row.outTradeNo || (refund.tradeNo !== null && refund.tradeNo !== row.tradeNo)) {
    findings.push({
      kind: 'REFUND_MISMATCH',
      text: `the shop's refund with this number belongs to order ${refund.outTradeNo}`,
    });
  }
  if (-row.orderFen !== refund.amountFen || -row.receiptFen !== refund.amountFen) {
    findings.push({
      kind: 'REFUND_MISMATCH',
      text:
        `bill refunded ${yuan(-row.orderFen)} (商家实收 ${yuan(-row.receiptFen)}), ` +
        `shop ${yuan(refund.amountFen)}`,
    });
  }
  if (refund.status !== 'SUCCEEDED') {
    findings.push({
      kind: 'STATUS_MISMATCH',
      text: `refunded at Alipay; the shop's refund is ${refund.status}`,
    });
  }
  if (refund.kind === 'AUTO_PAID_AFTER_CLOSE') {
    findings.push({ kind: 'MATCHED', text: 'the automatic refund of a payment made after its order closed' });
  }
  if (refund.status === 'SUCCEEDED') {
    findings.push(...otherDayNote(refund.succeededAt, day, 'the shop recorded it refunded'));
  }
  return { ...base, ledgerAmountFen: refund.amountFen, ...settleFindings(findings) };
}

function missingPayment(payment: LedgerPayment): ReportLine {
  return {
    kind: 'MISSING_IN_BILL',
    lineType: 'trade',
    tradeNo: payment.tradeNo,
    outTradeNo: payment.outTradeNo,
    outRequestNo: null,
    billAmountFen: null,
    ledgerAmountFen: payment.amountFen,
    detail: `the shop recorded this payment paid${payment.paidVia ? ` (by ${payment.paidVia})` : ''}; the bill lacks it`,
  };
}

function missingRefund(refund: LedgerRefund): ReportLine {
  return {
    kind: 'MISSING_IN_BILL',
    lineType: 'refund',
    tradeNo: refund.tradeNo,
    outTradeNo: refund.outTradeNo,
    outRequestNo: refund.outRequestNo,
    billAmountFen: null,
    ledgerAmountFen: refund.amountFen,
    detail: 'the shop recorded this refund succeeded; the bill lacks it',
  };
}

/** Matches the bill rows against the ledger and returns the report's lines, sorted canonically. */
export function matchBill(rows: readonly BillRow[], ledger: Ledger, day: DayRange): ReportLine[] {
  const byTradeNo = new Map<string, LedgerPayment>();
  const byOutTradeNo = new Map<string, LedgerPayment>();
  for (const payment of ledger.payments) {
    if (payment.tradeNo) byTradeNo.set(payment.tradeNo, payment);
    byOutTradeNo.set(payment.outTradeNo, payment);
  }
  const byRequestNo = new Map(ledger.refunds.map((refund) => [refund.outRequestNo, refund]));
  const claimedPayments = new Set<LedgerPayment>();
  const claimedRefunds = new Set<LedgerRefund>();

  const lines = rows.map((row) =>
    row.type === 'trade'
      ? matchTrade(row, byTradeNo.get(row.tradeNo) ?? byOutTradeNo.get(row.outTradeNo), claimedPayments, day)
      : matchRefund(
          row,
          row.outRequestNo ? byRequestNo.get(row.outRequestNo) : undefined,
          claimedRefunds,
          day,
        ),
  );
  for (const payment of ledger.payments) {
    if (payment.status === 'PAID' && inRange(payment.paidAt, day) && !claimedPayments.has(payment)) {
      lines.push(missingPayment(payment));
    }
  }
  for (const refund of ledger.refunds) {
    if (refund.status === 'SUCCEEDED' && inRange(refund.succeededAt, day) && !claimedRefunds.has(refund)) {
      lines.push(missingRefund(refund));
    }
  }
  return sortLines(lines);
}

const LINE_TYPE_ORDER: Record<ReconciliationLineType, number> = { trade: 0, refund: 1 };

function compareText(a: string | null, b: string | null): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareNumber(a: number | null, b: number | null): number {
  return (a ?? Number.MIN_SAFE_INTEGER) - (b ?? Number.MIN_SAFE_INTEGER);
}

/** The canonical order of a report: by type, trade number, order number, request number, then the rest. */
export function sortLines(lines: readonly ReportLine[]): ReportLine[] {
  return [...lines].sort(
    (a, b) =>
      LINE_TYPE_ORDER[a.lineType] - LINE_TYPE_ORDER[b.lineType] ||
      compareText(a.tradeNo, b.tradeNo) ||
      compareText(a.outTradeNo, b.outTradeNo) ||
      compareText(a.outRequestNo, b.outRequestNo) ||
      compareText(a.kind, b.kind) ||
      compareNumber(a.billAmountFen, b.billAmountFen) ||
      compareNumber(a.ledgerAmountFen, b.ledgerAmountFen) ||
      compareText(a.detail, b.detail),
  );
}
