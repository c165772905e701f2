import {
  Id,
  type OrderItemView,
  type OrderList,
  type OrderListQuery,
  type OrderSummary,
  type OrderView,
} from '@shop/contract';
import type { Order, OrderEvent, Prisma } from '@shop/db';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db';
import { notFound } from '../../errors';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import type { FieldCipher } from '../../lib/field-cipher';

/** What reading an order needs: the database and the cipher for the shipping address snapshot. */
export interface OrderReadDeps {
  db: Db;
  cipher: FieldCipher;
}

export const ITEM_SELECT = {
  skuId: true,
  productId: true,
  title: true,
  specText: true,
  imagePath: true,
  unitPriceFen: true,
  quantity: true,
  lineTotalFen: true,
} as const satisfies Prisma.OrderItemSelect;

type ItemRow = Prisma.OrderItemGetPayload<{ select: typeof ITEM_SELECT }>;

export function toItemView(item: ItemRow): OrderItemView {
  return {
    skuId: item.skuId,
    productId: item.productId,
    title: item.title,
    specText: item.specText,
    imageUrl: item.imagePath,
    unitPriceFen: item.unitPriceFen,
    quantity: item.quantity,
    lineTotalFen: item.lineTotalFen,
  };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The fields every view of an order shares (the shopper's and the merchant's): money, times, shipping, items. */
export function orderFields(order: Order, items: readonly ItemRow[]) {
  return {
    id: order.id,
    orderNo: order.orderNo,
    status: order.status,
    subject: order.subject,
    itemsFen: order.itemsFen,
    shippingFen: order.shippingFen,
    totalFen: order.totalFen,
    refundedFen: order.refundedFen,
    refundPendingFen: order.refundPendingFen,
    createdAt: order.createdAt.toISOString(),
    expiresAt: order.expiresAt.toISOString(),
    paidAt: iso(order.paidAt),
    shippedAt: iso(order.shippedAt),
    completedAt: iso(order.completedAt),
    closedAt: iso(order.closedAt),
    closeReason: order.closeReason,
    carrier: order.carrier,
    trackingNo: order.trackingNo,
    note: order.buyerNote,
    items: items.map(toItemView),
  } satisfies Omit<OrderView, 'address' | 'timeline'>;
}

/** What an order's view is made of: the order row, its items and the events of its timeline. */
export type OrderViewRow = Order & {
  items: Array<ItemRow & { id: string }>;
  events: Array<Pick<OrderEvent, 'type' | 'toStatus' | 'reason' | 'createdAt'>>;
};

/** The owner's view of one order; another user's order is a 404, exactly like an unknown id. */
export async function getOrderView(deps: OrderReadDeps, userId: string, orderId: string): Promise<OrderView> {
  const order = await deps.db.order.findFirst({
    where: { id: orderId, userId },
    include: {
      items: { select: { id: true, ...ITEM_SELECT }, orderBy: { id: 'asc' } },
      events: {
        select: { type: true, toStatus: true, reason: true, createdAt: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      },
    },
  });
  if (!order) throw notFound('Order');
  return orderViewOf(deps.cipher, order);
}

/**
 * The view of an order from its rows: items in id order, events as given (oldest first). Order creation builds it
 * from the rows its transaction wrote rather than reading them back.
 */
export function orderViewOf(cipher: FieldCipher, order: OrderViewRow): OrderView {
  const items = [...order.items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    ...orderFields(order, items),
    address: {
      name: order.shipName,
      phone: cipher.decrypt(order.shipPhoneCipher),
      province: order.shipProvince,
      city: order.shipCity,
      district: order.shipDistrict,
      detail: cipher.decrypt(order.shipDetailCipher),
    },
    timeline: order.events.map((event) => ({
      type: event.type,
      status: event.toStatus,
      at: event.createdAt.toISOString(),
      note: event.reason,
    })),
  };
}

/** Newest first: the cursor carries the last order's creation time (ms) and id. */
const OrderCursor = z.strictObject({ t: z.number().int().min(0), id: Id });

/** An order with a refund of any kind: money refunded, a refund on its way, or refunded in full. */
const WITH_REFUND: Prisma.OrderWhereInput = {
  OR: [
    { refundedFen: { gt: 0 } },
    { refundPendingFen: { gt: 0 } },
    { status: 'REFUNDED' },
    // Any after-sale request, whatever became of it (after-sales/).
    { afterSales: { some: {} } },
  ],
};

/**
 * The owner's orders, newest first, optionally of one status and with or without refunds (the shop's 退款/售后
 * tab), a page at a time. Served by the (userId, createdAt) and (userId, status, createdAt) indexes; each order's
 * items come in one batched query, not one per order.
 */
export async function listOrders(db: DbOrTx, userId: string, query: OrderListQuery): Promise<OrderList> {
  const and: Prisma.OrderWhereInput[] = [{ userId }];
  if (query.status) and.push({ status: query.status });
  if (query.refunds === 'true') and.push(WITH_REFUND);
  if (query.refunds === 'false') and.push({ NOT: WITH_REFUND });
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor, OrderCursor);
    const at = new Date(cursor.t);
    and.push({ OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: cursor.id } }] });
  }
  const where: Prisma.OrderWhereInput = { AND: and };
  const rows = await db.order.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    select: {
      id: true,
      orderNo: true,
      status: true,
      totalFen: true,
      refundedFen: true,
      refundPendingFen: true,
      createdAt: true,
      expiresAt: true,
      items: { select: ITEM_SELECT, orderBy: { id: 'asc' } },
    },
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((order): OrderSummary => ({
      id: order.id,
      orderNo: order.orderNo,
      status: order.status,
      totalFen: order.totalFen,
      refundedFen: order.refundedFen,
      refundPendingFen: order.refundPendingFen,
      itemCount: order.items.reduce((sum, item) => sum + item.quantity, 0),
      firstItem: order.items[0] ? toItemView(order.items[0]) : null,
      createdAt: order.createdAt.toISOString(),
      expiresAt: order.expiresAt.toISOString(),
    })),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ t: last.createdAt.getTime(), id: last.id }) : null,
  };
}
