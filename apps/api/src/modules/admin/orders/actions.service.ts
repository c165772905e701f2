import type { AdminShipBody, OrderStatus, RefundCreateBody, RefundView } from '@shop/contract';
import { inTransaction, sql, type Db } from '../../../db';
import { AppError, notFound } from '../../../errors';
import { lockOrder, transitionOrder } from '../../order/transition';
import { emitEvent } from '../../outbox/events';
import { requestRefund } from '../../payment/refund.service';
import { keyedRefundRequestNo, type PaymentDeps } from '../../payment/settings';
import { audit, type AdminActor } from '../audit/service';

/** What an admin does to an order: refund (through the payments service), ship and complete. Each is audited. */

export interface RefundOutcome {
  refund: RefundView;
  /** False when the request key named a refund made earlier (a repeated click): nothing new happened. */
  created: boolean;
}

/**
 * Refunds part or all of an order through `requestRefund`, which reserves the amount with a guarded update, sends
 * alipay.trade.refund with a stable out_request_no after its transaction commits, and settles by the answer. With a
 * request key (the Idempotency-Key header) a repeated request answers with the first refund and Alipay is not called
 * twice. The audit row is written once per refund, after the outcome is known, with the order's money before and
 * after.
 */
export async function refundOrder(
  deps: PaymentDeps,
  actor: AdminActor,
  orderId: string,
  body: RefundCreateBody,
  requestKey: string | undefined,
): Promise<RefundOutcome> {
  const before = await deps.db.order.findUnique({
    where: { id: orderId },
    select: {
      status: true,
      refundedFen: true,
      refundPendingFen: true,
      payment: { select: { outTradeNo: true } },
    },
  });
  if (!before) throw notFound('Order');
  const earlier =
    requestKey && before.payment
      ? await deps.db.refund.findUnique({
          where: { outRequestNo: keyedRefundRequestNo(before.payment.outTradeNo, requestKey) },
          select: { id: true },
        })
      : null;
  const refund = await requestRefund(deps, {
    orderId,
    amountFen: body.amountFen,
    reason: body.reason,
    actor: { type: 'admin', id: actor.id },
    requestKey,
  });
  await inTransaction(deps.db, async (tx) => {
    // Two identical requests racing past the lookup above get the same refund back; one audit row tells its story.
    const recorded = await tx.auditLog.count({
      where: {
        action: 'order.refund',
        targetType: 'Order',
        targetId: orderId,
        afterJson: { contains: `"refundId":"${refund.id}"` },
      },
    });
    if (recorded > 0) return;
    const after = await tx.order.findUniqueOrThrow({
      where: { id: orderId },
      select: { status: true, refundedFen: true, refundPendingFen: true },
    });
    await audit(tx, actor, {
      action: 'order.refund',
      targetType: 'Order',
      targetId: orderId,
      before: {
        status: before.status,
        refundedFen: before.refundedFen,
        refundPendingFen: before.refundPendingFen,
      },
      after: {
        refundId: refund.id,
        outRequestNo: refund.outRequestNo,
        amountFen: refund.amountFen,
        reason: refund.reason,
        refundStatus: refund.status,
        status: after.status,
        refundedFen: after.refundedFen,
        refundPendingFen: after.refundPendingFen,
      },
    });
  });
  return { refund, created: earlier === null };
}

function stateConflict(status: string | null, wanted: string): AppError {
  return new AppError('ORDER_STATE_CONFLICT', `Only a ${wanted} order can do this; this one is ${status}`, {
    details: { status },
  });
}

/**
 * PAID -> SHIPPED with the carrier and tracking number, through `transitionOrder` (guarded update and event). The
 * same shipment again is a no-op (a repeated click); any other state is 409 ORDER_STATE_CONFLICT. Returns whether
 * the order changed.
 */
export async function shipOrder(
  db: Db,
  actor: AdminActor,
  orderId: string,
  shipment: AdminShipBody,
): Promise<boolean> {
  return sql(db).transaction(async (tx) => {
    const order = await tx.get<{ status: OrderStatus; carrier: string | null; trackingNo: string | null }>(
      `SELECT "status", "carrier", "trackingNo" FROM "Order" WHERE "id" = ?${tx.dialect.forUpdate}`,
      orderId,
    );
    if (!order) throw notFound('Order');
    if (
      order.status === 'SHIPPED' &&
      order.carrier === shipment.carrier &&
      order.trackingNo === shipment.trackingNo
    ) {
      return false;
    }
    const result = await transitionOrder(tx, {
      orderId,
      from: ['PAID'],
      to: 'SHIPPED',
      event: {
        type: 'SHIPPED',
        actorType: 'admin',
        actorId: actor.id,
        reason: `${shipment.carrier} ${shipment.trackingNo}`,
        data: { carrier: shipment.carrier, trackingNo: shipment.trackingNo },
      },
      set: { shippedAt: new Date(), carrier: shipment.carrier, trackingNo: shipment.trackingNo },
    });
    if (!result.changed) throw stateConflict(result.current, 'PAID');
    await emitEvent(tx, {
      type: 'order.shipped',
      orderId,
      data: { orderId, carrier: shipment.carrier, trackingNo: shipment.trackingNo },
    });
    await audit(tx, actor, {
      action: 'order.ship',
      targetType: 'Order',
      targetId: orderId,
      before: { status: order.status, carrier: order.carrier, trackingNo: order.trackingNo },
      after: { status: 'SHIPPED', carrier: shipment.carrier, trackingNo: shipment.trackingNo },
    });
    return true;
  });
}

/** SHIPPED -> COMPLETED. An order already completed is a no-op; any other state is 409 ORDER_STATE_CONFLICT. */
export async function completeOrder(db: Db, actor: AdminActor, orderId: string): Promise<boolean> {
  return sql(db).transaction(async (tx) => {
    const status = await lockOrder(tx, orderId);
    if (!status) throw notFound('Order');
    if (status === 'COMPLETED') return false;
    const result = await transitionOrder(tx, {
      orderId,
      from: ['SHIPPED'],
      to: 'COMPLETED',
      event: { type: 'COMPLETED', actorType: 'admin', actorId: actor.id },
      set: { completedAt: new Date() },
    });
    if (!result.changed) throw stateConflict(result.current, 'SHIPPED');
    await audit(tx, actor, {
      action: 'order.complete',
      targetType: 'Order',
      targetId: orderId,
      before: { status },
      after: { status: 'COMPLETED' },
    });
    return true;
  });
}
