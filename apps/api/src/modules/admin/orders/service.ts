import {
  roleCan,
  type AdminBuyer,
  type AdminOrderDetail,
  type AdminOrderEvent,
  type AdminOrderList,
  type AdminOrderListQuery,
  type AdminOrderSummary,
  type AdminRole,
} from '@shop/contract';
import type { Prisma } from '@shop/db';
import type { Db, DbOrTx } from '../../../db';
import { notFound } from '../../../errors';
import type { FieldCipher } from '../../../lib/field-cipher';
import { REFUNDABLE_STATUSES } from '../../order/state';
import { orderFields } from '../../order/view';
import { paymentTimeline } from '../../payment/timeline.service';
import { parseJsonObject } from '../../payment/views';
import { auditTrail } from '../audit/service';
import { countMatchingOrders, matchingOrderIds } from './query';

/** Reading orders for the merchant: the filtered list and one order with everything that happened to its money. */

export interface AdminOrderReadDeps {
  db: Db;
  cipher: FieldCipher;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const SUMMARY_SELECT = {
  id: true,
  orderNo: true,
  status: true,
  subject: true,
  totalFen: true,
  refundedFen: true,
  refundPendingFen: true,
  shipName: true,
  shipProvince: true,
  shipCity: true,
  shipDistrict: true,
  carrier: true,
  trackingNo: true,
  createdAt: true,
  paidAt: true,
  shippedAt: true,
  payment: { select: { tradeNo: true, status: true } },
  user: { select: { id: true, alipayUserId: true, alipayOpenId: true, nickname: true } },
  items: { select: { title: true, specText: true, quantity: true }, orderBy: { id: 'asc' } },
} as const satisfies Prisma.OrderSelect;

export type SummaryRow = Prisma.OrderGetPayload<{ select: typeof SUMMARY_SELECT }>;

function buyerOf(user: SummaryRow['user']): AdminBuyer {
  return {
    userId: user.id,
    alipayUserId: user.alipayUserId,
    alipayOpenId: user.alipayOpenId,
    nickname: user.nickname,
  };
}

export function orderSummaryView(row: SummaryRow): AdminOrderSummary {
  return {
    id: row.id,
    orderNo: row.orderNo,
    tradeNo: row.payment?.tradeNo ?? null,
    status: row.status,
    paymentStatus: row.payment?.status ?? null,
    subject: row.subject,
    totalFen: row.totalFen,
    refundedFen: row.refundedFen,
    refundPendingFen: row.refundPendingFen,
    itemCount: row.items.reduce((sum, item) => sum + item.quantity, 0),
    buyer: buyerOf(row.user),
    shipName: row.shipName,
    createdAt: row.createdAt.toISOString(),
    paidAt: iso(row.paidAt),
    shippedAt: iso(row.shippedAt),
  };
}

/** The rows for `ids`, in the order of `ids` (the SQL statement decided it). */
export async function summaryRows(db: DbOrTx, ids: readonly string[]): Promise<SummaryRow[]> {
  const rows = await db.order.findMany({ where: { id: { in: [...ids] } }, select: SUMMARY_SELECT });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One page of the filtered, sorted orders, with the number matching over all pages. */
export async function listAdminOrders(db: Db, query: AdminOrderListQuery): Promise<AdminOrderList> {
  const [total, ids] = await Promise.all([
    countMatchingOrders(db, query),
    matchingOrderIds(db, query, { offset: (query.page - 1) * query.pageSize, limit: query.pageSize }),
  ]);
  const rows = await summaryRows(db, ids);
  return { items: rows.map(orderSummaryView), total, page: query.page, pageSize: query.pageSize };
}

/**
 * `13812345678` as `138****5678`: enough for staff to match a caller, not enough to copy the number. Anything not
 * shaped like a mainland mobile keeps only its last four characters.
 */
export function maskPhone(phone: string): string {
  if (/^1\d{10}$/.test(phone)) return `${phone.slice(0, 3)}****${phone.slice(7)}`;
  return phone.length <= 4 ? '*'.repeat(phone.length) : `${'*'.repeat(phone.length - 4)}${phone.slice(-4)}`;
}

/**
 * One order for an admin of `role`: items, amounts, buyer, the shipping address (phone whole for roles with
 * `orders.read-phone`, masked otherwise), every order event with the acting admin's name, the payment timeline (the
 * payments module's `paymentTimeline`), the audit rows about the order, and what this role may do to it now.
 */
export async function getAdminOrder(
  deps: AdminOrderReadDeps,
  role: AdminRole,
  orderId: string,
): Promise<AdminOrderDetail> {
  const order = await deps.db.order.findUnique({
    where: { id: orderId },
    include: {
      user: { select: { id: true, alipayUserId: true, alipayOpenId: true, nickname: true } },
      payment: { select: { status: true } },
      items: { orderBy: { id: 'asc' } },
      events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    },
  });
  if (!order) throw notFound('Order');
  const [payment, audit, admins] = await Promise.all([
    paymentTimeline(deps.db, order.id),
    auditTrail(deps.db, 'Order', order.id),
    deps.db.admin.findMany({
      where: {
        id: {
          in: order.events.flatMap((e) => (e.actorType === 'admin' && e.actorId ? [e.actorId] : [])),
        },
      },
      select: { id: true, displayName: true },
    }),
  ]);
  const adminNames = new Map(admins.map((admin) => [admin.id, admin.displayName]));
  const phone = deps.cipher.decrypt(order.shipPhoneCipher);
  const showPhone = roleCan(role, 'orders.read-phone');
  const paid = order.payment?.status === 'PAID';
  const refundableFen = paid ? Math.max(0, order.totalFen - order.refundedFen - order.refundPendingFen) : 0;
  return {
    ...orderFields(order, order.items),
    refundPendingFen: order.refundPendingFen,
    refundableFen,
    buyer: buyerOf(order.user),
    address: {
      name: order.shipName,
      phone: showPhone ? phone : maskPhone(phone),
      phoneMasked: !showPhone,
      province: order.shipProvince,
      city: order.shipCity,
      district: order.shipDistrict,
      detail: deps.cipher.decrypt(order.shipDetailCipher),
    },
    events: order.events.map((event): AdminOrderEvent => ({
      id: event.id,
      type: event.type,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      actorType: event.actorType,
      actorId: event.actorId,
      actorName:
        event.actorType === 'admin' && event.actorId ? (adminNames.get(event.actorId) ?? null) : null,
      reason: event.reason,
      data: parseJsonObject(event.dataJson),
      at: event.createdAt.toISOString(),
    })),
    payment,
    audit,
    actions: {
      refund:
        roleCan(role, 'orders.refund') &&
        paid &&
        REFUNDABLE_STATUSES.includes(order.status) &&
        refundableFen > 0,
      ship: roleCan(role, 'orders.ship') && order.status === 'PAID',
      complete: roleCan(role, 'orders.complete') && order.status === 'SHIPPED',
      collect: roleCan(role, 'orders.read') && order.status === 'PENDING_PAYMENT',
    },
  };
}
