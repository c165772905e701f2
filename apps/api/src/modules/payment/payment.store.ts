import type { OrderStatus } from '@shop/contract';
import {
  newId,
  readDate,
  readDateOrNull,
  type Payment,
  type PaymentStatus,
  type SqlReader,
  type SqlTx,
} from '@shop/db';
import { guardedTransition } from '../../lib/state-machine';
import { OPEN_PAYMENT_STATUSES, PAYMENT_MACHINE } from './state';

/*
 * Every write to a Payment row, in one place, on sql() inside the caller's transaction: the intent, the trade
 * opening, paid, closed, and the recovery job's lease. Status changes go through PAYMENT_MACHINE's guarded update.
 */

/** Every column of a Payment, for reading whole rows through sql(). */
const PAYMENT_COLUMNS =
  '"id", "orderId", "outTradeNo", "tradeNo", "amountFen", "status", "buyerUserId", "buyerOpenId", "paidAt", ' +
  '"paidVia", "method", "productCode", "qrCode", "qrExpiresAt", "closedAt", "nextQueryAt", "queryCount", ' +
  '"createdAt", "updatedAt"';

/** The same, of the Payment aliased `p` in a join. */
const PAYMENT_COLUMNS_OF_P = PAYMENT_COLUMNS.replace(/"(\w+)"/g, 'p."$1"');

type PaymentRow = Omit<
  Payment,
  'paidAt' | 'qrExpiresAt' | 'closedAt' | 'nextQueryAt' | 'createdAt' | 'updatedAt'
> & {
  paidAt: string | Date | null;
  qrExpiresAt: string | Date | null;
  closedAt: string | Date | null;
  nextQueryAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
};

function paymentOf(row: PaymentRow): Payment {
  return {
    ...row,
    paidAt: readDateOrNull(row.paidAt),
    qrExpiresAt: readDateOrNull(row.qrExpiresAt),
    closedAt: readDateOrNull(row.closedAt),
    nextQueryAt: readDateOrNull(row.nextQueryAt),
    createdAt: readDate(row.createdAt),
    updatedAt: readDate(row.updatedAt),
  };
}

/** A payment by its id, its order or its out_trade_no. */
export async function findPayment(
  q: SqlReader,
  by: { id: string } | { orderId: string } | { outTradeNo: string },
): Promise<Payment | null> {
  const [column, value] = Object.entries(by)[0]!;
  const row = await q.get<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM "Payment" WHERE "${column}" = ?`,
    value,
  );
  return row ? paymentOf(row) : null;
}

/**
 * The payment with this out_trade_no, with its order's row locked as lockOrder locks it (PostgreSQL; on SQLite the
 * transaction holds the write lock already) and the order's status as locked: the read and the lock in one
 * statement, so a transition of the order in this transaction need not read it again.
 */
export async function findPaymentLockingOrder(
  tx: SqlTx,
  outTradeNo: string,
): Promise<(Payment & { orderStatus: OrderStatus }) | null> {
  const row = await tx.get<PaymentRow & { orderStatus: OrderStatus }>(
    `SELECT ${PAYMENT_COLUMNS_OF_P}, o."status" AS "orderStatus" FROM "Payment" p JOIN "Order" o ON o."id" = p."orderId"
     WHERE p."outTradeNo" = ?${tx.dialect.forUpdateOf('o')}`,
    outTradeNo,
  );
  return row ? { ...paymentOf(row), orderStatus: row.orderStatus } : null;
}

/** How the shop hands a payment to Alipay: the method and its product code (DESIGN.md, "Ways to pay"). */
export interface PaymentMethod {
  method: 'alipay.trade.create' | 'alipay.trade.wap.pay' | 'alipay.trade.precreate';
  productCode: string;
}

/**
 * The payment intent of an order, written before any gateway call (trade.create, precreate) or signed page
 * (wap.pay): CREATED, out_trade_no = the order number, the method and product code, and a first recovery query
 * scheduled (should the call's answer be lost, or this process die, the recovery job asks Alipay from there).
 * Another request or process that wrote it first wins: its row is returned, whatever its method.
 */
export async function writePaymentIntent(
  tx: SqlTx,
  order: { id: string; orderNo: string; totalFen: number },
  nextQueryAt: Date,
  how: PaymentMethod,
): Promise<{ payment: Payment; created: boolean }> {
  const now = new Date();
  const payment: Payment = {
    id: newId(),
    orderId: order.id,
    outTradeNo: order.orderNo,
    tradeNo: null,
    amountFen: order.totalFen,
    status: 'CREATED',
    buyerUserId: null,
    buyerOpenId: null,
    paidAt: null,
    paidVia: null,
    method: how.method,
    productCode: how.productCode,
    qrCode: null,
    qrExpiresAt: null,
    closedAt: null,
    nextQueryAt,
    queryCount: 0,
    createdAt: now,
    updatedAt: now,
  };
  if ((await tx.insert('Payment', payment, { onConflictDoNothing: ['orderId'] })) === 1) {
    return { payment, created: true };
  }
  const existing = await findPayment(tx, { orderId: order.id });
  if (!existing) throw new Error(`the payment of order ${order.id} conflicted but cannot be read`);
  return { payment: existing, created: false };
}

/** CREATED -> OPEN once alipay.trade.create (or a query) confirmed the trade; returns whether this call moved it. */
export function openPayment(
  tx: SqlTx,
  paymentId: string,
  opened: {
    tradeNo: string;
    buyerUserId?: string | null;
    buyerOpenId?: string | null;
    nextQueryAt?: Date;
  },
): Promise<boolean> {
  return guardedTransition(tx, PAYMENT_MACHINE, {
    id: paymentId,
    from: ['CREATED'],
    to: 'OPEN',
    set: {
      tradeNo: opened.tradeNo,
      ...(opened.buyerUserId !== undefined ? { buyerUserId: opened.buyerUserId } : {}),
      ...(opened.buyerOpenId !== undefined ? { buyerOpenId: opened.buyerOpenId } : {}),
      ...(opened.nextQueryAt ? { nextQueryAt: opened.nextQueryAt } : {}),
    },
  });
}

/** Fills in the trade number of a payment that has none (a create whose answer was lost); never overwrites one. */
export async function learnTradeNo(tx: SqlTx, paymentId: string, tradeNo: string): Promise<void> {
  await tx.run(
    'UPDATE "Payment" SET "tradeNo" = ?, "updatedAt" = ? WHERE "id" = ? AND "tradeNo" IS NULL',
    tradeNo,
    new Date(),
    paymentId,
  );
}

/** How a payment was proven (Payment.paidVia). */
export type PaidSource = 'notify' | 'query' | 'close';

/**
 * The payment becomes PAID, once: from CREATED, OPEN, or CLOSED (paid after the shop closed it). The trade number is
 * filled in only where we had none, and the buyer ids only when Alipay sent them. Returns whether this call moved it.
 */
export function markPaymentPaid(
  tx: SqlTx,
  payment: Pick<Payment, 'id' | 'tradeNo'>,
  paid: {
    source: PaidSource;
    paidAt: Date;
    tradeNo: string;
    buyerUserId?: string | undefined;
    buyerOpenId?: string | undefined;
  },
): Promise<boolean> {
  return guardedTransition(tx, PAYMENT_MACHINE, {
    id: payment.id,
    from: ['CREATED', 'OPEN', 'CLOSED'],
    to: 'PAID',
    set: {
      paidVia: paid.source,
      paidAt: paid.paidAt,
      nextQueryAt: null,
      ...(payment.tradeNo ? {} : { tradeNo: paid.tradeNo }),
      ...(paid.buyerUserId ? { buyerUserId: paid.buyerUserId } : {}),
      ...(paid.buyerOpenId ? { buyerOpenId: paid.buyerOpenId } : {}),
    },
  });
}

/**
 * CREATED or OPEN -> CLOSED. `nextQueryAt` schedules one more query of the trade (the "last look", so a payment that
 * slipped in after the close is found even if its notify is lost); null ends the payment's queries.
 */
export function closePayment(
  tx: SqlTx,
  paymentId: string,
  options: { nextQueryAt: Date | null; tradeNo?: string },
): Promise<boolean> {
  const now = new Date();
  return guardedTransition(tx, PAYMENT_MACHINE, {
    id: paymentId,
    from: OPEN_PAYMENT_STATUSES,
    to: 'CLOSED',
    set: {
      closedAt: now,
      nextQueryAt: options.nextQueryAt,
      ...(options.tradeNo ? { tradeNo: options.tradeNo } : {}),
    },
    now,
  });
}

/** A closed payment had its last look: no more queries. */
export async function endPaymentQueries(tx: SqlTx, paymentId: string): Promise<void> {
  await tx.run(
    `UPDATE "Payment" SET "nextQueryAt" = NULL, "updatedAt" = ? WHERE "id" = ? AND "status" = 'CLOSED'`,
    new Date(),
    paymentId,
  );
}

/**
 * The recovery job's claim on a payment: its next query moves to `next` only where the row still holds the status
 * and `nextQueryAt` this pass read, so of two processes reading the same due payment exactly one gets it; the other
 * skips it. Until `next`, no pass takes it again: the claim is a lease that a process dying mid-query simply lets
 * run out.
 */
export async function claimPaymentQuery(
  tx: SqlTx,
  payment: { id: string; status: PaymentStatus; nextQueryAt: Date | null },
  next: Date,
): Promise<boolean> {
  if (!payment.nextQueryAt) return false;
  const claimed = await tx.run(
    `UPDATE "Payment" SET "nextQueryAt" = ?, "queryCount" = "queryCount" + 1, "updatedAt" = ?
     WHERE "id" = ? AND "status" = ? AND "nextQueryAt" = ?`,
    next,
    new Date(),
    payment.id,
    payment.status,
    payment.nextQueryAt,
  );
  return claimed === 1;
}

/** Payments the recovery job should ask about now, oldest due first. */
export async function duePayments(q: SqlReader, now: Date, limit: number): Promise<Payment[]> {
  const rows = await q.all<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM "Payment"
     WHERE "status" IN (?, ?, ?) AND "nextQueryAt" <= ? ORDER BY "nextQueryAt" ASC LIMIT ?`,
    'CREATED',
    'OPEN',
    'CLOSED',
    now,
    limit,
  );
  return rows.map(paymentOf);
}

/**
 * A new attempt for an order whose current out_trade_no never became a trade at Alipay (an unscanned QR code, a
 * mobile payment never confirmed, closed there first): the payment takes the next out_trade_no, and possibly another
 * method, and forgets the old code. Guarded on the out_trade_no read, CREATED and no trade number, so of two
 * requests renewing at once one wins; the other reads the winner's row. Returns whether this call renewed it.
 */
export async function renewPaymentAttempt(
  tx: SqlTx,
  payment: Pick<Payment, 'id' | 'outTradeNo'>,
  next: PaymentMethod & { outTradeNo: string; nextQueryAt: Date },
): Promise<boolean> {
  const changed = await tx.run(
    `UPDATE "Payment" SET "outTradeNo" = ?, "method" = ?, "productCode" = ?, "qrCode" = NULL, "qrExpiresAt" = NULL,
       "nextQueryAt" = ?, "queryCount" = 0, "updatedAt" = ?
     WHERE "id" = ? AND "outTradeNo" = ? AND "status" = 'CREATED' AND "tradeNo" IS NULL`,
    next.outTradeNo,
    next.method,
    next.productCode,
    next.nextQueryAt,
    new Date(),
    payment.id,
    payment.outTradeNo,
  );
  return changed === 1;
}

/** The QR code precreate gave for the payment's current out_trade_no, and when the shop stops showing it. */
export async function recordQrCode(
  tx: SqlTx,
  payment: Pick<Payment, 'id' | 'outTradeNo'>,
  qr: { qrCode: string; expiresAt: Date },
): Promise<boolean> {
  const changed = await tx.run(
    `UPDATE "Payment" SET "qrCode" = ?, "qrExpiresAt" = ?, "updatedAt" = ?
     WHERE "id" = ? AND "outTradeNo" = ? AND "status" IN ('CREATED', 'OPEN')`,
    qr.qrCode,
    qr.expiresAt,
    new Date(),
    payment.id,
    payment.outTradeNo,
  );
  return changed === 1;
}

/**
 * Brings the next recovery query of an open payment forward to `at` (a verified return_url says the buyer paid; the
 * query, not the return, proves it). Never pushes a sooner query later.
 */
export async function queryPaymentBy(tx: SqlTx, paymentId: string, at: Date): Promise<void> {
  await tx.run(
    `UPDATE "Payment" SET "nextQueryAt" = ?, "updatedAt" = ?
     WHERE "id" = ? AND "status" IN ('CREATED', 'OPEN') AND ("nextQueryAt" IS NULL OR "nextQueryAt" > ?)`,
    at,
    new Date(),
    paymentId,
    at,
  );
}
