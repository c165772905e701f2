import type { OrderStatus } from '@shop/contract';
import {
  newId,
  readDate,
  readDateOrNull,
  type Refund,
  type RefundKind,
  type RefundStatus,
  type SqlReader,
  type SqlTx,
} from '@shop/db';
import { guardedTransition } from '../../lib/state-machine';
import { REFUNDABLE_STATUSES } from '../order/state';
import { lockOrder, recordOrderEvent, transitionOrder } from '../order/transition';
import { emitEvent } from '../outbox/events';
import { OPEN_REFUND_STATUSES, REFUND_MACHINE } from './state';

/*
 * Every write to a Refund row and to an order's refund money (refundPendingFen, refundedFen), in one place, on sql()
 * inside the caller's transaction. The invariant `refundedFen + refundPendingFen <= totalFen` is held by the guarded
 * updates here, across processes: a refund reserves its amount as pending before Alipay is called, and moves it to
 * refunded (or frees it) once Alipay answers.
 */

const REFUND_COLUMNS =
  '"id", "orderId", "paymentId", "outRequestNo", "amountFen", "reason", "kind", "status", "requestedById", ' +
  '"failureCode", "failureMessage", "succeededAt", "nextQueryAt", "queryCount", "createdAt", "updatedAt"';

type RefundRow = Omit<Refund, 'succeededAt' | 'nextQueryAt' | 'createdAt' | 'updatedAt'> & {
  succeededAt: string | Date | null;
  nextQueryAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
};

function refundOf(row: RefundRow): Refund {
  return {
    ...row,
    succeededAt: readDateOrNull(row.succeededAt),
    nextQueryAt: readDateOrNull(row.nextQueryAt),
    createdAt: readDate(row.createdAt),
    updatedAt: readDate(row.updatedAt),
  };
}

export async function findRefund(
  q: SqlReader,
  by: { id: string } | { outRequestNo: string },
): Promise<Refund | null> {
  const [column, value] = Object.entries(by)[0]!;
  const row = await q.get<RefundRow>(`SELECT ${REFUND_COLUMNS} FROM "Refund" WHERE "${column}" = ?`, value);
  return row ? refundOf(row) : null;
}

/** Refunds the recovery job should ask about now, oldest due first. */
export async function dueRefunds(q: SqlReader, now: Date, limit: number): Promise<Refund[]> {
  const rows = await q.all<RefundRow>(
    `SELECT ${REFUND_COLUMNS} FROM "Refund"
     WHERE "status" IN (?, ?) AND "nextQueryAt" <= ? ORDER BY "nextQueryAt" ASC LIMIT ?`,
    ...OPEN_REFUND_STATUSES,
    now,
    limit,
  );
  return rows.map(refundOf);
}

/**
 * Reserves `amountFen` of an order for a refund: one guarded UPDATE that holds `refundedFen + refundPendingFen <=
 * totalFen` whatever else runs at the same time, in this process or another. Returns false when the amount does not
 * fit or the order's status is not one of `statuses`.
 */
export async function reserveRefund(
  tx: SqlTx,
  orderId: string,
  amountFen: number,
  statuses: readonly OrderStatus[],
): Promise<boolean> {
  const changed = await tx.run(
    `UPDATE "Order" SET "refundPendingFen" = "refundPendingFen" + ?, "updatedAt" = ?
     WHERE "id" = ? AND "refundedFen" + "refundPendingFen" + ? <= "totalFen"
       AND "status" IN (${statuses.map(() => '?').join(', ')})`,
    amountFen,
    new Date(),
    orderId,
    amountFen,
    ...statuses,
  );
  return changed === 1;
}

export interface NewRefund {
  orderId: string;
  paymentId: string;
  outRequestNo: string;
  amountFen: number;
  reason: string;
  kind: RefundKind;
  requestedById: string | null;
  /** When the recovery job looks at it if nobody settles it first (this process dying before Alipay answers). */
  nextQueryAt: Date;
}

/**
 * Writes a PENDING refund whose amount the caller has just reserved (reserveRefund, same transaction). Its
 * out_request_no is unique: when another request or process wrote the same one first, nothing is written and null is
 * returned, and the caller's transaction must roll back (its reservation with it).
 */
export async function insertRefund(tx: SqlTx, input: NewRefund): Promise<Refund | null> {
  const now = new Date();
  const refund: Refund = {
    id: newId(),
    ...input,
    status: 'PENDING',
    failureCode: null,
    failureMessage: null,
    succeededAt: null,
    queryCount: 0,
    createdAt: now,
    updatedAt: now,
  };
  const written = await tx.insert('Refund', refund, { onConflictDoNothing: ['outRequestNo'] });
  return written === 1 ? refund : null;
}

export type RefundCompletionSource = 'refund' | 'refund-query' | 'notify';

/**
 * A refund Alipay confirms (the refund call's answer, a refund query or a refund notify): SUCCEEDED once, its amount
 * moved from pending to refunded, and a merchant refund that brings the total to the whole order makes it REFUNDED.
 * A refund we had marked FAILED that Alipay says succeeded is taken as succeeded too (Alipay holds the money).
 */
export async function completeRefund(
  tx: SqlTx,
  refund: Refund,
  source: RefundCompletionSource,
): Promise<boolean> {
  await lockOrder(tx, refund.orderId);
  const now = new Date();
  const done = { succeededAt: now, nextQueryAt: null };
  const fromOpen = await guardedTransition(tx, REFUND_MACHINE, {
    id: refund.id,
    from: OPEN_REFUND_STATUSES,
    to: 'SUCCEEDED',
    set: done,
    now,
  });
  if (fromOpen) {
    const moved = await tx.run(
      `UPDATE "Order" SET "refundPendingFen" = "refundPendingFen" - ?, "refundedFen" = "refundedFen" + ?,
         "updatedAt" = ?
       WHERE "id" = ? AND "refundPendingFen" >= ?`,
      refund.amountFen,
      refund.amountFen,
      now,
      refund.orderId,
      refund.amountFen,
    );
    if (moved !== 1) throw new Error(`order ${refund.orderId} does not hold refund ${refund.id} as pending`);
  } else {
    const fromFailed = await guardedTransition(tx, REFUND_MACHINE, {
      id: refund.id,
      from: ['FAILED'],
      to: 'SUCCEEDED',
      set: done,
      now,
    });
    if (!fromFailed) return false;
    const moved = await tx.run(
      `UPDATE "Order" SET "refundedFen" = "refundedFen" + ?, "updatedAt" = ?
       WHERE "id" = ? AND "refundedFen" + "refundPendingFen" + ? <= "totalFen"`,
      refund.amountFen,
      now,
      refund.orderId,
      refund.amountFen,
    );
    if (moved !== 1) throw new Error(`order ${refund.orderId} cannot take refund ${refund.id} as refunded`);
  }
  await recordOrderEvent(tx, refund.orderId, {
    type: 'REFUND_SUCCEEDED',
    actorType: source === 'notify' ? 'alipay' : 'system',
    reason: `refund confirmed by ${source}`,
    data: { refundId: refund.id, outRequestNo: refund.outRequestNo, amountFen: refund.amountFen, source },
  });
  await emitEvent(tx, {
    type: 'refund.succeeded',
    orderId: refund.orderId,
    data: {
      orderId: refund.orderId,
      refundId: refund.id,
      outRequestNo: refund.outRequestNo,
      amountFen: refund.amountFen,
      kind: refund.kind,
      reason: refund.reason,
    },
  });
  if (refund.kind === 'MERCHANT') {
    const order = await tx.get<{ refundedFen: number; totalFen: number }>(
      'SELECT "refundedFen", "totalFen" FROM "Order" WHERE "id" = ?',
      refund.orderId,
    );
    if (order && order.refundedFen === order.totalFen) {
      await transitionOrder(tx, {
        orderId: refund.orderId,
        from: REFUNDABLE_STATUSES,
        to: 'REFUNDED',
        event: {
          type: 'REFUNDED',
          actorType: 'system',
          reason: 'the whole amount has been refunded',
          data: { refundId: refund.id },
        },
      });
    }
  }
  return true;
}

/** A refund Alipay definitely refused: FAILED once, and its reservation released so it can be asked for again. */
export async function failRefund(
  tx: SqlTx,
  refund: Refund,
  failure: { code: string; message: string },
): Promise<boolean> {
  await lockOrder(tx, refund.orderId);
  const failed = await guardedTransition(tx, REFUND_MACHINE, {
    id: refund.id,
    from: OPEN_REFUND_STATUSES,
    to: 'FAILED',
    set: { failureCode: failure.code, failureMessage: failure.message, nextQueryAt: null },
  });
  if (!failed) return false;
  const released = await tx.run(
    `UPDATE "Order" SET "refundPendingFen" = "refundPendingFen" - ?, "updatedAt" = ?
     WHERE "id" = ? AND "refundPendingFen" >= ?`,
    refund.amountFen,
    new Date(),
    refund.orderId,
    refund.amountFen,
  );
  if (released !== 1) throw new Error(`order ${refund.orderId} does not hold refund ${refund.id} as pending`);
  await recordOrderEvent(tx, refund.orderId, {
    type: 'REFUND_FAILED',
    actorType: 'system',
    reason: failure.message,
    data: {
      refundId: refund.id,
      outRequestNo: refund.outRequestNo,
      amountFen: refund.amountFen,
      code: failure.code,
    },
  });
  return true;
}

/** PENDING -> UNKNOWN: Alipay did not answer; the recovery job queries it (and sends it again if Alipay has none). */
export async function markRefundUnknown(
  tx: SqlTx,
  refund: Refund,
  options: { nextQueryAt: Date; error: string },
): Promise<boolean> {
  const moved = await guardedTransition(tx, REFUND_MACHINE, {
    id: refund.id,
    from: ['PENDING'],
    to: 'UNKNOWN',
    set: { nextQueryAt: options.nextQueryAt },
  });
  if (moved) {
    await recordOrderEvent(tx, refund.orderId, {
      type: 'REFUND_OUTCOME_UNKNOWN',
      actorType: 'system',
      reason: 'Alipay did not answer the refund; it will be queried and, if absent, sent again',
      data: { refundId: refund.id, outRequestNo: refund.outRequestNo, error: options.error },
    });
  }
  return moved;
}

/** Keeps the last failure on a refund that stays open (a request that never left, an automatic refund refused). */
export async function noteRefundFailure(
  tx: SqlTx,
  refundId: string,
  failure: { code: string; message: string },
): Promise<void> {
  await tx.run(
    `UPDATE "Refund" SET "failureCode" = ?, "failureMessage" = ?, "updatedAt" = ?
     WHERE "id" = ? AND "status" IN (?, ?)`,
    failure.code,
    failure.message,
    new Date(),
    refundId,
    ...OPEN_REFUND_STATUSES,
  );
}

/** Has the recovery job ask about every open refund of an order now rather than on its usual schedule. */
export async function wakeOpenRefunds(tx: SqlTx, orderId: string): Promise<void> {
  const now = new Date();
  await tx.run(
    `UPDATE "Refund" SET "nextQueryAt" = ?, "updatedAt" = ? WHERE "orderId" = ? AND "status" IN (?, ?)`,
    now,
    now,
    orderId,
    ...OPEN_REFUND_STATUSES,
  );
}

/** The recovery job's lease on a refund, like claimPaymentQuery's on a payment. */
export async function claimRefundQuery(
  tx: SqlTx,
  refund: { id: string; status: RefundStatus; nextQueryAt: Date | null },
  next: Date,
): Promise<boolean> {
  if (!refund.nextQueryAt) return false;
  const claimed = await tx.run(
    `UPDATE "Refund" SET "nextQueryAt" = ?, "queryCount" = "queryCount" + 1, "updatedAt" = ?
     WHERE "id" = ? AND "status" = ? AND "nextQueryAt" = ?`,
    next,
    new Date(),
    refund.id,
    refund.status,
    refund.nextQueryAt,
  );
  return claimed === 1;
}
