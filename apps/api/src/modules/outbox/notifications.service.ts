import {
  EVENT_TITLES,
  EVENT_TYPES,
  formatFen,
  type AdminNotificationList,
  type AdminNotificationQuery,
  type EventType,
} from '@shop/contract';
import type { OutboxEvent } from '@shop/db';
import type { Db } from '../../db';
import type { EventData } from './messages';

/**
 * The admin's notification centre: the outbox's events as they happen (paid orders, shipments, refunds,
 * after-sale requests and decisions, reconciliation differences), newest first, with what each admin has not read
 * yet (events after the moment they last marked the centre read, or after their account was made).
 */

/** A data field as text: strings and numbers as they are, anything else as nothing. */
function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** An amount as the admin's tables show it (`¥3,299.00`); anything but whole fen as nothing. */
function yuan(fen: unknown): string {
  return typeof fen === 'number' && Number.isSafeInteger(fen) ? formatFen(fen) : '';
}

/** One line about an event, for people. */
export function eventText(type: EventType, data: EventData): string {
  const order = data.order?.orderNo ? `订单 ${data.order.orderNo}` : '订单';
  switch (type) {
    case 'order.paid':
      return `${order} 已支付 ${yuan(data.order?.totalFen ?? data.amountFen)}`;
    case 'order.shipped':
      return `${order} 已发货（${text(data.carrier)} ${text(data.trackingNo)}）`;
    case 'refund.succeeded':
      return `${order} 退款 ${yuan(data.amountFen)} 已到账`;
    case 'after_sale.requested':
      return `${order} 申请售后 ${yuan(data.amountFen)}：${text(data.reason)}`;
    case 'after_sale.decided':
      return `${order} 的售后申请已${data.decision === 'REFUSED' ? '拒绝' : '同意'}`;
    case 'reconciliation.differences':
      return `${text(data.billDate)} 的对账有 ${text(data.differenceCount ?? 0)} 处差异`;
  }
}

async function readUpTo(db: Db, adminId: string): Promise<Date> {
  const read = await db.adminNotificationRead.findUnique({ where: { adminId } });
  if (read) return read.readUpTo;
  const admin = await db.admin.findUnique({ where: { id: adminId }, select: { createdAt: true } });
  return admin?.createdAt ?? new Date(0);
}

const KNOWN = { type: { in: [...EVENT_TYPES] } };

export async function unreadCount(db: Db, adminId: string): Promise<number> {
  const since = await readUpTo(db, adminId);
  return db.outboxEvent.count({ where: { ...KNOWN, createdAt: { gt: since } } });
}

export async function listNotifications(
  db: Db,
  adminId: string,
  query: AdminNotificationQuery,
): Promise<AdminNotificationList> {
  const since = await readUpTo(db, adminId);
  const [total, unread, rows] = await Promise.all([
    db.outboxEvent.count({ where: KNOWN }),
    db.outboxEvent.count({ where: { ...KNOWN, createdAt: { gt: since } } }),
    db.outboxEvent.findMany({
      where: KNOWN,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return {
    items: rows.map((row: OutboxEvent) => {
      const type = row.type as EventType;
      return {
        id: row.id,
        type,
        title: EVENT_TITLES[type],
        text: eventText(type, JSON.parse(row.dataJson) as EventData),
        orderId: row.orderId,
        createdAt: row.createdAt.toISOString(),
        unread: row.createdAt > since,
      };
    }),
    total,
    page: query.page,
    pageSize: query.pageSize,
    unreadCount: unread,
  };
}

/** Marks everything up to now read for this admin. */
export async function markRead(db: Db, adminId: string): Promise<void> {
  const now = new Date();
  await db.adminNotificationRead.upsert({
    where: { adminId },
    create: { adminId, readUpTo: now },
    update: { readUpTo: now },
  });
}
