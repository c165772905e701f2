import type {
  AfterSaleCreateBody,
  AfterSaleRefuseBody,
  AfterSaleReturnBody,
  AfterSaleStatus,
  AfterSaleView,
  OrderStatus,
} from '@shop/contract';
import { newId, type SqlTx } from '@shop/db';
import { sql } from '../../db';
import { AppError, notFound } from '../../errors';
import { guardedTransition } from '../../lib/state-machine';
import { audit, type AdminActor } from '../admin/audit/service';
import { REFUNDABLE_STATUSES } from '../order/state';
import { lockOrder, recordOrderEvent, type OrderEventInput } from '../order/transition';
import { emitEvent } from '../outbox/events';
import { requestRefund } from '../payment/refund.service';
import type { PaymentDeps } from '../payment/settings';
import { AFTER_SALE_MACHINE } from './state';
import { afterSaleViews, findAfterSale, openAfterSaleOf, orderItemsOf, type AfterSaleRow } from './store';

/*
 * After-sales (售后) as a service: the shopper asks, cancels and sends a return back; the merchant approves, refuses
 * and confirms the return's receipt. Every step is a guarded transition of the request (AFTER_SALE_MACHINE) and an
 * order event saying who and why, in one transaction. Money moves only through requestRefund, the one refund path:
 * its reservation caps what is refunded by what is left, and the request's own refund key (`AS_<id>_<attempt>`)
 * makes a repeated or concurrent approval send one refund, which Alipay applies once.
 */

export type AfterSaleDeps = PaymentDeps;

function conflict(status: AfterSaleStatus, wanted: string): AppError {
  return new AppError('AFTER_SALE_STATE_CONFLICT', `A request that is ${status} cannot be ${wanted}`, {
    details: { status },
  });
}

async function viewOf(
  tx: SqlTx | Parameters<typeof afterSaleViews>[0],
  row: AfterSaleRow,
): Promise<AfterSaleView> {
  const [view] = await afterSaleViews(tx, [row]);
  return view!;
}

/** Moves a request and writes its order event; false when it was not in one of `from` (someone else moved it). */
async function move(
  tx: SqlTx,
  row: AfterSaleRow,
  input: {
    from: readonly AfterSaleStatus[];
    to: AfterSaleStatus;
    event: OrderEventInput;
    set?: Record<string, string | number | Date | null>;
  },
): Promise<boolean> {
  const moved = await guardedTransition(tx, AFTER_SALE_MACHINE, {
    id: row.id,
    from: input.from,
    to: input.to,
    ...(input.set ? { set: input.set } : {}),
  });
  if (moved) {
    await recordOrderEvent(tx, row.orderId, {
      ...input.event,
      data: { afterSaleId: row.id, afterSaleStatus: input.to, ...input.event.data },
    });
  }
  return moved;
}

// ---------------------------------------------------------------------------------------------------------------
// The shopper
// ---------------------------------------------------------------------------------------------------------------

/**
 * A shopper's request on their own paid, shipped or completed order (a return only once it was shipped). One open
 * request per order: 409 AFTER_SALE_OPEN. The amount is what the chosen lines cost, or what is left of the order
 * without lines, never more than what is left to refund (422 REFUND_EXCEEDS_PAID with `refundableFen`).
 */
export async function createAfterSale(
  deps: AfterSaleDeps,
  input: { userId: string; orderId: string; body: AfterSaleCreateBody },
): Promise<AfterSaleView> {
  const { body } = input;
  return sql(deps.db).transaction(async (tx) => {
    const status = await lockOrder(tx, input.orderId);
    const order = await tx.get<{
      userId: string;
      totalFen: number;
      refundedFen: number;
      refundPendingFen: number;
    }>(
      'SELECT "userId", "totalFen", "refundedFen", "refundPendingFen" FROM "Order" WHERE "id" = ?',
      input.orderId,
    );
    if (!status || !order || order.userId !== input.userId) throw notFound('Order');
    const allowed: readonly OrderStatus[] =
      body.kind === 'RETURN_REFUND' ? ['SHIPPED', 'COMPLETED'] : REFUNDABLE_STATUSES;
    if (!allowed.includes(status)) {
      throw new AppError('ORDER_STATE_CONFLICT', `An order that is ${status} takes no ${body.kind} request`, {
        details: { status },
      });
    }
    const open = await openAfterSaleOf(tx, input.orderId);
    if (open) {
      throw new AppError('AFTER_SALE_OPEN', 'This order already has a request in progress', {
        details: { afterSaleId: open.id, status: open.status },
      });
    }
    const leftFen = Number(order.totalFen) - Number(order.refundedFen) - Number(order.refundPendingFen);
    let linesFen = leftFen;
    if (body.lines) {
      const items = await orderItemsOf(tx, input.orderId);
      linesFen = 0;
      for (const [index, line] of body.lines.entries()) {
        const item = items.find((i) => i.skuId === line.skuId);
        if (!item || line.quantity > item.quantity) {
          throw new AppError(
            'VALIDATION_ERROR',
            'A line is not on this order, or asks for more than was bought',
            {
              details: {
                fields: [
                  {
                    path: `body.lines.${index}`,
                    message: item ? 'quantity exceeds the order' : 'not on this order',
                  },
                ],
              },
            },
          );
        }
        linesFen += item.unitPriceFen * line.quantity;
      }
    }
    const amountFen = body.amountFen ?? linesFen;
    if (amountFen > linesFen || amountFen > leftFen || amountFen < 1) {
      throw new AppError(
        'REFUND_EXCEEDS_PAID',
        'The request is more than what is left to refund on this order',
        {
          details: { requestedFen: amountFen, refundableFen: Math.max(0, Math.min(leftFen, linesFen)) },
        },
      );
    }
    const now = new Date();
    const row: AfterSaleRow = {
      id: newId(),
      orderId: input.orderId,
      userId: input.userId,
      kind: body.kind,
      status: 'REQUESTED',
      amountFen,
      reason: body.reason,
      description: body.description ?? '',
      linesJson: JSON.stringify(body.lines ?? []),
      photosJson: JSON.stringify(body.photos ?? []),
      refuseReason: null,
      returnCarrier: null,
      returnTrackingNo: null,
      refundId: null,
      attempt: 0,
      decidedById: null,
      decidedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert('AfterSale', { ...row });
    await recordOrderEvent(tx, input.orderId, {
      type: 'AFTER_SALE_REQUESTED',
      actorType: 'user',
      actorId: input.userId,
      reason: body.reason,
      data: { afterSaleId: row.id, afterSaleStatus: 'REQUESTED', kind: body.kind, amountFen },
    });
    await emitEvent(tx, {
      type: 'after_sale.requested',
      orderId: input.orderId,
      data: { afterSaleId: row.id, orderId: input.orderId, kind: body.kind, amountFen, reason: body.reason },
    });
    return viewOf(tx, row);
  });
}

/** The shopper withdraws a request not yet approved for money. Cancelling a cancelled one answers with it. */
export async function cancelAfterSale(
  deps: AfterSaleDeps,
  input: { userId: string; afterSaleId: string },
): Promise<AfterSaleView> {
  return sql(deps.db).transaction(async (tx) => {
    const row = await findAfterSale(tx, input.afterSaleId, { userId: input.userId, lock: true });
    if (!row) throw notFound('AfterSale');
    if (row.status !== 'CANCELLED') {
      const moved = await move(tx, row, {
        from: ['REQUESTED', 'AWAITING_RETURN'],
        to: 'CANCELLED',
        event: {
          type: 'AFTER_SALE_CANCELLED',
          actorType: 'user',
          actorId: input.userId,
          reason: '买家撤销申请',
        },
      });
      if (!moved) throw conflict(row.status, 'cancelled');
    }
    return viewOf(tx, (await findAfterSale(tx, row.id))!);
  });
}

/** The shopper sent a return back: its carrier and tracking number. The same again answers with the request. */
export async function submitReturn(
  deps: AfterSaleDeps,
  input: { userId: string; afterSaleId: string; body: AfterSaleReturnBody },
): Promise<AfterSaleView> {
  const { carrier, trackingNo } = input.body;
  return sql(deps.db).transaction(async (tx) => {
    const row = await findAfterSale(tx, input.afterSaleId, { userId: input.userId, lock: true });
    if (!row) throw notFound('AfterSale');
    const repeated =
      row.status === 'RETURN_SHIPPED' && row.returnCarrier === carrier && row.returnTrackingNo === trackingNo;
    if (!repeated) {
      const moved = await move(tx, row, {
        from: ['AWAITING_RETURN'],
        to: 'RETURN_SHIPPED',
        event: {
          type: 'AFTER_SALE_RETURN_SHIPPED',
          actorType: 'user',
          actorId: input.userId,
          reason: `${carrier} ${trackingNo}`,
          data: { carrier, trackingNo },
        },
        set: { returnCarrier: carrier, returnTrackingNo: trackingNo },
      });
      if (!moved) throw conflict(row.status, 'given a return tracking number');
    }
    return viewOf(tx, (await findAfterSale(tx, row.id))!);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The merchant
// ---------------------------------------------------------------------------------------------------------------

/**
 * The merchant says yes. A refund-only request (or one whose refund failed) moves to REFUNDING and its refund is
 * sent; a return moves to AWAITING_RETURN for the shopper's tracking number. Approving what is already approved
 * answers with it and sends nothing (a repeated or concurrent click): only the call whose guarded update moved the
 * request sends the refund.
 */
export async function approveAfterSale(
  deps: AfterSaleDeps,
  actor: AdminActor,
  afterSaleId: string,
): Promise<AfterSaleView> {
  const send = await sql(deps.db).transaction(async (tx) => {
    const row = await findAfterSale(tx, afterSaleId, { lock: true });
    if (!row) throw notFound('AfterSale');
    const returning = row.kind === 'RETURN_REFUND' && row.status === 'REQUESTED';
    if (returning) {
      await move(tx, row, {
        from: ['REQUESTED'],
        to: 'AWAITING_RETURN',
        event: {
          type: 'AFTER_SALE_APPROVED',
          actorType: 'admin',
          actorId: actor.id,
          reason: '商家同意退货，请寄回商品',
        },
        set: { decidedById: actor.id, decidedAt: new Date() },
      });
    } else if (row.status === 'REQUESTED' || row.status === 'REFUND_FAILED') {
      if (row.kind === 'RETURN_REFUND' && row.status === 'REQUESTED')
        throw conflict(row.status, 'refunded yet');
      await move(tx, row, {
        from: [row.status],
        to: 'REFUNDING',
        event: { type: 'AFTER_SALE_APPROVED', actorType: 'admin', actorId: actor.id, reason: '商家同意退款' },
        set: { decidedById: actor.id, decidedAt: new Date(), attempt: row.attempt + 1, refundId: null },
      });
    } else if (['AWAITING_RETURN', 'RETURN_SHIPPED', 'REFUNDING', 'REFUNDED'].includes(row.status)) {
      return false;
    } else {
      throw conflict(row.status, 'approved');
    }
    await emitEvent(tx, {
      type: 'after_sale.decided',
      orderId: row.orderId,
      data: {
        afterSaleId: row.id,
        orderId: row.orderId,
        decision: 'APPROVED',
        status: returning ? 'AWAITING_RETURN' : 'REFUNDING',
        amountFen: row.amountFen,
      },
    });
    await audit(tx, actor, {
      action: 'after-sale.approve',
      targetType: 'AfterSale',
      targetId: row.id,
      before: { status: row.status },
      after: { status: returning ? 'AWAITING_RETURN' : 'REFUNDING', amountFen: row.amountFen },
    });
    return !returning;
  });
  if (send) await sendRefund(deps, afterSaleId);
  return readView(deps, afterSaleId);
}

/** The merchant received the returned goods: RETURN_SHIPPED -> REFUNDING, and the refund is sent. */
export async function confirmReturnReceived(
  deps: AfterSaleDeps,
  actor: AdminActor,
  afterSaleId: string,
): Promise<AfterSaleView> {
  const send = await sql(deps.db).transaction(async (tx) => {
    const row = await findAfterSale(tx, afterSaleId, { lock: true });
    if (!row) throw notFound('AfterSale');
    if (row.status === 'REFUNDING' || row.status === 'REFUNDED') return false;
    const moved = await move(tx, row, {
      from: ['RETURN_SHIPPED'],
      to: 'REFUNDING',
      event: {
        type: 'AFTER_SALE_RETURN_RECEIVED',
        actorType: 'admin',
        actorId: actor.id,
        reason: '商家已收到退货',
      },
      set: { attempt: row.attempt + 1, refundId: null },
    });
    if (!moved) throw conflict(row.status, 'received');
    await audit(tx, actor, {
      action: 'after-sale.receive',
      targetType: 'AfterSale',
      targetId: row.id,
      before: { status: row.status },
      after: { status: 'REFUNDING', amountFen: row.amountFen },
    });
    return true;
  });
  if (send) await sendRefund(deps, afterSaleId);
  return readView(deps, afterSaleId);
}

/** The merchant says no, with a reason the shopper reads. Refusing again with the same reason answers with it. */
export async function refuseAfterSale(
  deps: AfterSaleDeps,
  actor: AdminActor,
  afterSaleId: string,
  body: AfterSaleRefuseBody,
): Promise<AfterSaleView> {
  await sql(deps.db).transaction(async (tx) => {
    const row = await findAfterSale(tx, afterSaleId, { lock: true });
    if (!row) throw notFound('AfterSale');
    if (row.status === 'REFUSED' && row.refuseReason === body.reason) return;
    const moved = await move(tx, row, {
      from: ['REQUESTED', 'RETURN_SHIPPED', 'REFUND_FAILED'],
      to: 'REFUSED',
      event: { type: 'AFTER_SALE_REFUSED', actorType: 'admin', actorId: actor.id, reason: body.reason },
      set: { refuseReason: body.reason, decidedById: actor.id, decidedAt: new Date() },
    });
    if (!moved) throw conflict(row.status, 'refused');
    await emitEvent(tx, {
      type: 'after_sale.decided',
      orderId: row.orderId,
      data: {
        afterSaleId: row.id,
        orderId: row.orderId,
        decision: 'REFUSED',
        status: 'REFUSED',
        reason: body.reason,
      },
    });
    await audit(tx, actor, {
      action: 'after-sale.refuse',
      targetType: 'AfterSale',
      targetId: row.id,
      before: { status: row.status },
      after: { status: 'REFUSED', reason: body.reason },
    });
  });
  return readView(deps, afterSaleId);
}

// ---------------------------------------------------------------------------------------------------------------
// The refund of an approved request
// ---------------------------------------------------------------------------------------------------------------

/** The idempotency key of a request's refund: the same attempt always names the same Alipay out_request_no. */
export function afterSaleRefundKey(row: Pick<AfterSaleRow, 'id' | 'attempt'>): string {
  return `AS_${row.id}_${row.attempt}`;
}

/**
 * Sends the refund of a REFUNDING request through requestRefund with the request's key, links it, and settles the
 * request by the refund's outcome. Safe to repeat from any process (the jobs call it for requests a crash left
 * behind): the key makes requestRefund find the first refund instead of making another.
 */
export async function sendRefund(deps: AfterSaleDeps, afterSaleId: string): Promise<void> {
  const row = await sql(deps.db).read((q) => findAfterSale(q, afterSaleId));
  if (!row || row.status !== 'REFUNDING') return;
  if (!row.refundId) {
    let refundId: string;
    try {
      const refund = await requestRefund(deps, {
        orderId: row.orderId,
        amountFen: row.amountFen,
        reason: `售后退款：${row.reason}`,
        actor: { type: 'admin', id: row.decidedById },
        requestKey: afterSaleRefundKey(row),
      });
      refundId = refund.id;
    } catch (error) {
      if (
        !(error instanceof AppError) ||
        !['REFUND_EXCEEDS_PAID', 'ORDER_STATE_CONFLICT'].includes(error.code)
      ) {
        throw error;
      }
      // Nothing was reserved: the order has less left than the request (refunded meanwhile) or took no money.
      await sql(deps.db).transaction(async (tx) => {
        const fresh = await findAfterSale(tx, afterSaleId, { lock: true });
        if (fresh?.status !== 'REFUNDING' || fresh.attempt !== row.attempt) return;
        await move(tx, fresh, {
          from: ['REFUNDING'],
          to: 'REFUND_FAILED',
          event: { type: 'AFTER_SALE_REFUND_FAILED', actorType: 'system', reason: error.code },
        });
      });
      return;
    }
    await sql(deps.db).transaction((tx) =>
      tx.run(
        `UPDATE "AfterSale" SET "refundId" = ?, "updatedAt" = ?
         WHERE "id" = ? AND "status" = 'REFUNDING' AND "attempt" = ? AND "refundId" IS NULL`,
        refundId,
        new Date(),
        row.id,
        row.attempt,
      ),
    );
  }
  await settleAfterSale(deps, afterSaleId);
}

/** A REFUNDING request whose refund Alipay has answered: REFUNDED, or REFUND_FAILED for the merchant to look at. */
export async function settleAfterSale(deps: AfterSaleDeps, afterSaleId: string): Promise<void> {
  await sql(deps.db).transaction(async (tx) => {
    const row = await findAfterSale(tx, afterSaleId, { lock: true });
    if (row?.status !== 'REFUNDING' || !row.refundId) return;
    const refund = await tx.get<{ status: string; failureCode: string | null }>(
      'SELECT "status", "failureCode" FROM "Refund" WHERE "id" = ?',
      row.refundId,
    );
    if (refund?.status === 'SUCCEEDED') {
      await move(tx, row, {
        from: ['REFUNDING'],
        to: 'REFUNDED',
        event: {
          type: 'AFTER_SALE_REFUNDED',
          actorType: 'alipay',
          reason: '退款成功',
          data: { refundId: row.refundId },
        },
      });
    } else if (refund?.status === 'FAILED') {
      await move(tx, row, {
        from: ['REFUNDING'],
        to: 'REFUND_FAILED',
        event: {
          type: 'AFTER_SALE_REFUND_FAILED',
          actorType: 'alipay',
          reason: refund.failureCode ?? '',
          data: { refundId: row.refundId },
        },
      });
    }
  });
}

export async function readView(
  deps: AfterSaleDeps,
  afterSaleId: string,
  userId?: string,
): Promise<AfterSaleView> {
  return sql(deps.db).read(async (q) => {
    const row = await findAfterSale(q, afterSaleId, userId === undefined ? {} : { userId });
    if (!row) throw notFound('AfterSale');
    return viewOf(q, row);
  });
}
