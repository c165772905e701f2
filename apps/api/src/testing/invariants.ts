import type { Db } from '../db';

/**
 * What must hold in any shop database, however it got there (a crash and restart, a restore from backup): the
 * checks the crash test and the backup test share. Each returns the problems it found, in words; empty means it
 * holds.
 */

/**
 * Stock equals what live orders hold: for each SKU, the units taken from `initialStock` equal the units in its
 * orders that are not CLOSED, and no stock is negative. `initialStock` maps each SKU a test created to its stock then.
 */
export async function stockProblems(db: Db, initialStock: ReadonlyMap<string, number>): Promise<string[]> {
  const skuIds = [...initialStock.keys()];
  const [skus, held] = await Promise.all([
    db.sku.findMany({ where: { id: { in: skuIds } }, select: { id: true, stock: true } }),
    db.orderItem.groupBy({
      by: ['skuId'],
      where: { skuId: { in: skuIds }, order: { status: { not: 'CLOSED' } } },
      _sum: { quantity: true },
    }),
  ]);
  const heldBySku = new Map(held.map((row) => [row.skuId, row._sum.quantity ?? 0]));
  const problems: string[] = [];
  for (const [skuId, initial] of initialStock) {
    const sku = skus.find((s) => s.id === skuId);
    if (!sku) {
      problems.push(`SKU ${skuId} is missing`);
      continue;
    }
    if (sku.stock < 0) problems.push(`SKU ${skuId} has stock ${sku.stock}`);
    const units = heldBySku.get(skuId) ?? 0;
    if (initial - sku.stock !== units) {
      problems.push(`SKU ${skuId}: ${initial - sku.stock} units taken from stock, ${units} in live orders`);
    }
  }
  return problems;
}

/**
 * Paid once: no order has more than one PAID event, every PAID order has exactly one and a PAID payment, and every
 * PAID payment belongs to an order that was paid (PAID, or moved on from it: shipped, completed, refunded).
 */
export async function paidProblems(db: Db): Promise<string[]> {
  const [events, paidOrders, paidPayments] = await Promise.all([
    db.orderEvent.groupBy({ by: ['orderId'], where: { toStatus: 'PAID' }, _count: { _all: true } }),
    db.order.findMany({
      where: { status: 'PAID' },
      select: { id: true, payment: { select: { status: true } } },
    }),
    db.payment.findMany({
      where: { status: 'PAID' },
      select: { orderId: true, order: { select: { status: true } } },
    }),
  ]);
  const eventsByOrder = new Map(events.map((row) => [row.orderId, row._count._all]));
  const problems: string[] = [];
  for (const [orderId, n] of eventsByOrder) if (n > 1) problems.push(`order ${orderId} has ${n} PAID events`);
  for (const order of paidOrders) {
    if (eventsByOrder.get(order.id) !== 1) problems.push(`PAID order ${order.id} has no PAID event`);
    if (order.payment?.status !== 'PAID') {
      problems.push(`PAID order ${order.id} has a payment in ${order.payment?.status ?? 'no'} status`);
    }
  }
  for (const payment of paidPayments) {
    if (!['PAID', 'SHIPPED', 'COMPLETED', 'REFUNDED'].includes(payment.order.status)) {
      problems.push(`the PAID payment of order ${payment.orderId} has its order ${payment.order.status}`);
    }
  }
  return problems;
}

/**
 * The notify inbox agrees with the orders: a payment notify id is APPLIED at most once and its order has
 * exactly one PAID event, and no verified, acknowledged TRADE_SUCCESS notify leaves its order PENDING_PAYMENT.
 */
export async function notifyInboxProblems(db: Db): Promise<string[]> {
  const rows = await db.notifyInbox.findMany({
    where: { verified: true },
    select: {
      notifyId: true,
      orderId: true,
      outcome: true,
      acknowledged: true,
      tradeStatus: true,
      order: { select: { status: true, events: { where: { toStatus: 'PAID' }, select: { id: true } } } },
    },
  });
  const problems: string[] = [];
  const applied = new Map<string, number>();
  for (const row of rows) {
    const paidTrade = row.tradeStatus === 'TRADE_SUCCESS' || row.tradeStatus === 'TRADE_FINISHED';
    if (row.outcome === 'APPLIED' && paidTrade) {
      const key = row.notifyId ?? '';
      applied.set(key, (applied.get(key) ?? 0) + 1);
      if (row.order && row.order.events.length !== 1) {
        problems.push(
          `notify ${row.notifyId} APPLIED, but its order has ${row.order.events.length} PAID events`,
        );
      }
    }
    if (paidTrade && row.acknowledged && row.order?.status === 'PENDING_PAYMENT') {
      problems.push(`notify ${row.notifyId} was acknowledged, but its order is still ${row.order.status}`);
    }
  }
  for (const [notifyId, n] of applied) if (n > 1) problems.push(`notify ${notifyId} APPLIED ${n} times`);
  return problems;
}

/** All of the above. */
export async function shopInvariantProblems(
  db: Db,
  initialStock: ReadonlyMap<string, number>,
): Promise<string[]> {
  return [
    ...(await stockProblems(db, initialStock)),
    ...(await paidProblems(db)),
    ...(await notifyInboxProblems(db)),
  ];
}
