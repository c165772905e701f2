import type { Prisma } from '@shop/db';
import type { Db } from '../../db';
import type { BillRow } from './bill';
import type { DayRange, Ledger, LedgerPayment, LedgerRefund } from './match';

/**
 * The ledger side of a reconciliation: our payments and refunds that the bill names (by trade number, order number
 * or refund request number, whatever day we recorded them), plus those we recorded on the day (payments by
 * `paidAt`, refunds by `succeededAt`), shaped for `matchBill`.
 */

/** SQLite limits the variables of one statement; long `IN` lists are sent in slices. */
const IN_LIST_SLICE = 500;

function slices<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IN_LIST_SLICE) out.push(items.slice(i, i + IN_LIST_SLICE));
  return out;
}

const unique = (values: Iterable<string | null>) =>
  [...new Set(values)].filter((value): value is string => value !== null && value !== '');

const paymentSelect = {
  id: true,
  outTradeNo: true,
  tradeNo: true,
  amountFen: true,
  status: true,
  paidAt: true,
  paidVia: true,
  order: { select: { status: true } },
  refunds: {
    where: { kind: 'AUTO_PAID_AFTER_CLOSE' },
    select: { outRequestNo: true, status: true },
    orderBy: { createdAt: 'asc' },
    take: 1,
  },
} as const;

const refundSelect = {
  id: true,
  outRequestNo: true,
  amountFen: true,
  status: true,
  kind: true,
  succeededAt: true,
  payment: { select: { outTradeNo: true, tradeNo: true } },
} as const;

export async function loadLedger(db: Db, rows: readonly BillRow[], day: DayRange): Promise<Ledger> {
  const trades = rows.filter((row) => row.type === 'trade');
  const tradeNos = unique(trades.map((row) => row.tradeNo));
  const outTradeNos = unique(trades.map((row) => row.outTradeNo));
  const requestNos = unique(rows.filter((row) => row.type === 'refund').map((row) => row.outRequestNo));

  const findPayments = (where: Prisma.PaymentWhereInput) =>
    db.payment.findMany({ where, select: paymentSelect });
  type PaymentRow = Awaited<ReturnType<typeof findPayments>>[number];
  const payments = new Map<string, PaymentRow>();
  const addPayments = (found: PaymentRow[]) => found.forEach((p) => payments.set(p.id, p));
  addPayments(await findPayments({ paidAt: { gte: day.start, lt: day.end } }));
  for (const slice of slices(tradeNos)) addPayments(await findPayments({ tradeNo: { in: slice } }));
  for (const slice of slices(outTradeNos)) addPayments(await findPayments({ outTradeNo: { in: slice } }));

  const findRefunds = (where: Prisma.RefundWhereInput) => db.refund.findMany({ where, select: refundSelect });
  type RefundRow = Awaited<ReturnType<typeof findRefunds>>[number];
  const refunds = new Map<string, RefundRow>();
  const addRefunds = (found: RefundRow[]) => found.forEach((r) => refunds.set(r.id, r));
  addRefunds(await findRefunds({ succeededAt: { gte: day.start, lt: day.end } }));
  for (const slice of slices(requestNos)) addRefunds(await findRefunds({ outRequestNo: { in: slice } }));

  // Ids order the rows so the same ledger always yields the same MISSING_IN_BILL lines in the same order.
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    payments: [...payments.values()].sort(byId).map((p): LedgerPayment => ({
      outTradeNo: p.outTradeNo,
      tradeNo: p.tradeNo,
      amountFen: p.amountFen,
      status: p.status,
      paidAt: p.paidAt,
      paidVia: p.paidVia,
      orderStatus: p.order.status,
      autoRefund: p.refunds[0] ?? null,
    })),
    refunds: [...refunds.values()].sort(byId).map((r): LedgerRefund => ({
      outRequestNo: r.outRequestNo,
      outTradeNo: r.payment.outTradeNo,
      tradeNo: r.payment.tradeNo,
      amountFen: r.amountFen,
      status: r.status,
      kind: r.kind,
      succeededAt: r.succeededAt,
    })),
  };
}
