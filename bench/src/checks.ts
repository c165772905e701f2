import type { Db } from '@shop/db';
import type { BenchSkus } from './fixtures';
import { unexpectedStatuses } from './load';
import { COPIES_PER_NOTIFY, type NotifyTrade } from './scenarios/notify';
import type { HttpScenario } from './scenarios/types';

/**
 * What must hold after the loads, read from the database the API wrote: the benchmark fails on any of these, whatever
 * the speed. Performance targets are reported, never failed on.
 */
export interface Check {
  id: string;
  title: string;
  passed: boolean;
  detail: string;
}

/** The statuses each load may answer with; anything else (a 5xx above all) is a failure under load. */
const ALLOWED_STATUSES: Record<string, readonly number[]> = {
  ceiling: [200],
  'catalog-list': [200],
  'product-detail': [200],
  checkout: [201],
  // Refusals once the SKUs are sold out: 409 OUT_OF_STOCK.
  'checkout-sellout': [201, 409],
  notify: [200],
  // An order (201), then its payment (200).
  purchase: [200, 201],
  'ceiling-after': [200],
};

function statusCheck(scenarios: readonly HttpScenario[]): Check {
  const problems: string[] = [];
  for (const scenario of scenarios) {
    const odd = unexpectedStatuses(scenario.load, ALLOWED_STATUSES[scenario.id] ?? [200]);
    const parts = Object.entries(odd).map(([status, count]) => `${count}× ${status}`);
    if (scenario.load.errors > 0) parts.push(`${scenario.load.errors} connection errors`);
    if (scenario.load.timeouts > 0) parts.push(`${scenario.load.timeouts} timeouts`);
    if (parts.length > 0) problems.push(`${scenario.id}: ${parts.join(', ')}`);
  }
  return {
    id: 'expected-answers',
    title: 'every request got an expected answer (no 5xx, no errors, no timeouts)',
    passed: problems.length === 0,
    detail: problems.length === 0 ? 'all answers as expected' : problems.join('; '),
  };
}

async function stockChecks(db: Db, sets: Record<string, BenchSkus>): Promise<Check[]> {
  const negative = await db.sku.count({ where: { stock: { lt: 0 } } });
  const checks: Check[] = [
    {
      id: 'stock-not-negative',
      title: 'no SKU has stock below zero',
      passed: negative === 0,
      detail: negative === 0 ? 'every SKU has stock >= 0' : `${negative} SKUs below zero`,
    },
  ];
  for (const [name, set] of Object.entries(sets)) {
    const skus = await db.sku.findMany({
      where: { id: { in: set.skuIds } },
      select: { id: true, stock: true },
    });
    const ordered = await db.orderItem.groupBy({
      by: ['skuId'],
      where: { skuId: { in: set.skuIds }, order: { status: { not: 'CLOSED' } } },
      _sum: { quantity: true },
    });
    const orderedBySku = new Map(ordered.map((row) => [row.skuId, row._sum.quantity ?? 0]));
    const mismatches = skus.filter((sku) => set.initialStock - sku.stock !== (orderedBySku.get(sku.id) ?? 0));
    const taken = skus.reduce((sum, sku) => sum + (set.initialStock - sku.stock), 0);
    const inOrders = [...orderedBySku.values()].reduce((a, b) => a + b, 0);
    const onSale = set.initialStock * set.skuIds.length;
    checks.push({
      id: `orders-equal-stock-taken:${name}`,
      title: `${name}: units in open or paid orders equal the stock taken, SKU by SKU`,
      passed: mismatches.length === 0 && skus.length === set.skuIds.length,
      detail:
        mismatches.length === 0
          ? `${inOrders} units ordered = ${taken} taken from stock over ${skus.length} SKUs`
          : mismatches
              .map(
                (s) =>
                  `SKU ${s.id}: taken ${set.initialStock - s.stock}, ordered ${orderedBySku.get(s.id) ?? 0}`,
              )
              .join('; '),
    });
    checks.push({
      id: `no-oversell:${name}`,
      title: `${name}: no more units ordered than were on sale`,
      passed: inOrders <= onSale && skus.every((s) => s.stock >= 0),
      detail: `${inOrders} of ${onSale} units ordered, ${onSale - taken} left`,
    });
  }
  return checks;
}

/**
 * Payments and the notify inbox, read whole: the bench's database holds only the bench's orders and notifies, and
 * nothing but the notifies pays an order, so every PAID order must be one that was notified.
 */
async function paidChecks(
  db: Db,
  delivered: readonly NotifyTrade[],
  productIds: readonly string[],
): Promise<Check[]> {
  const [paidOrders, paidPayments, paidEvents, inbox] = await Promise.all([
    db.order.findMany({ where: { status: 'PAID' }, select: { id: true } }),
    db.payment.findMany({ where: { status: 'PAID' }, select: { orderId: true } }),
    db.orderEvent.groupBy({ by: ['orderId'], where: { type: 'PAID' }, _count: { _all: true } }),
    db.notifyInbox.groupBy({
      by: ['notifyId', 'outcome', 'acknowledged', 'verified'],
      _count: { _all: true },
    }),
  ]);
  const notified = new Set(delivered.map((t) => t.orderId));
  const paid = new Set(paidOrders.map((o) => o.id));
  const paymentPaid = new Set(paidPayments.map((p) => p.orderId));
  const eventsByOrder = new Map(paidEvents.map((row) => [row.orderId, row._count._all]));
  const notPaid = [...notified].filter((id) => !paid.has(id) || !paymentPaid.has(id));
  const paidUnasked = [...paid].filter((id) => !notified.has(id));
  const notOnce = [...notified].filter((id) => eventsByOrder.get(id) !== 1);
  const repeatedAnywhere = paidEvents.filter((row) => row._count._all > 1);

  const perNotify = new Map<string, { total: number; applied: number; duplicate: number; other: number }>();
  for (const row of inbox) {
    const entry = perNotify.get(row.notifyId ?? '') ?? { total: 0, applied: 0, duplicate: 0, other: 0 };
    const n = row._count._all;
    entry.total += n;
    if (!row.acknowledged || !row.verified) entry.other += n;
    else if (row.outcome === 'APPLIED') entry.applied += n;
    else if (row.outcome === 'DUPLICATE') entry.duplicate += n;
    else entry.other += n;
    perNotify.set(row.notifyId ?? '', entry);
  }
  const badInbox = delivered
    .map((t) => t.notifyId)
    .filter((id) => {
      const e = perNotify.get(id);
      return !e || e.total !== COPIES_PER_NOTIFY || e.applied !== 1 || e.duplicate !== COPIES_PER_NOTIFY - 1;
    });

  // Product.salesCount moves with each order's one PENDING_PAYMENT -> PAID transition: a double transition shows.
  const [products, paidUnits] = await Promise.all([
    db.product.findMany({ where: { id: { in: [...productIds] } }, select: { id: true, salesCount: true } }),
    db.orderItem.groupBy({
      by: ['productId'],
      where: { productId: { in: [...productIds] }, order: { status: 'PAID' } },
      _sum: { quantity: true },
    }),
  ]);
  const unitsByProduct = new Map(paidUnits.map((row) => [row.productId, row._sum.quantity ?? 0]));
  const salesMismatch = products.filter((p) => p.salesCount !== (unitsByProduct.get(p.id) ?? 0));

  const n = delivered.length;
  return [
    {
      id: 'paid-exactly-once',
      title: 'each notified order became PAID, with exactly one PAID transition',
      passed:
        n > 0 &&
        notPaid.length === 0 &&
        paidUnasked.length === 0 &&
        notOnce.length === 0 &&
        repeatedAnywhere.length === 0,
      detail:
        `${n - notPaid.length}/${n} notified orders and their payments PAID, ${n - notOnce.length}/${n} with ` +
        `exactly one PAID event; ${paidUnasked.length} PAID orders never notified, ` +
        `${repeatedAnywhere.length} orders with more than one PAID event`,
    },
    {
      id: 'notify-inbox-exactly-once',
      title: `each notify stored ${COPIES_PER_NOTIFY} times: one APPLIED, the rest DUPLICATE, all acknowledged`,
      passed: n > 0 && badInbox.length === 0,
      detail:
        badInbox.length === 0
          ? `${n} notifies, ${n * COPIES_PER_NOTIFY} inbox rows as expected`
          : `${badInbox.length} notifies differ, e.g. ${badInbox[0]}: ${JSON.stringify(perNotify.get(badInbox[0]!) ?? null)}`,
    },
    {
      id: 'sales-count',
      title: 'each bench product counts its paid units once',
      passed: salesMismatch.length === 0,
      detail:
        salesMismatch.length === 0
          ? `${products.length} products, ${[...unitsByProduct.values()].reduce((a, b) => a + b, 0)} paid units`
          : salesMismatch
              .map((p) => `${p.id}: salesCount ${p.salesCount}, paid ${unitsByProduct.get(p.id) ?? 0}`)
              .join('; '),
    },
  ];
}

/** Every payment the loads started was opened at Alipay: no intent left without its trade. */
async function paymentChecks(db: Db): Promise<Check[]> {
  const [total, stuck] = await Promise.all([
    db.payment.count(),
    db.payment.count({ where: { OR: [{ status: 'CREATED' }, { tradeNo: null }] } }),
  ]);
  return [
    {
      id: 'payments-opened',
      title: 'every payment started was opened at Alipay with its trade number',
      passed: total > 0 && stuck === 0,
      detail: `${total} payments, ${stuck} without an open trade`,
    },
  ];
}

export async function runChecks(
  db: Db,
  input: {
    scenarios: readonly HttpScenario[];
    skuSets: Record<string, BenchSkus>;
    delivered: readonly NotifyTrade[];
  },
): Promise<Check[]> {
  const productIds = Object.values(input.skuSets).flatMap((set) => set.productIds);
  return [
    statusCheck(input.scenarios),
    ...(await stockChecks(db, input.skuSets)),
    ...(await paidChecks(db, input.delivered, productIds)),
    ...(await paymentChecks(db)),
  ];
}
