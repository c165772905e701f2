import { formatChinaTime } from '@shop/alipay';
import { formatFen, type EventType, type MessageKind, type ShopperMessageView } from '@shop/contract';
import { newId, readDate, type OutboxEvent, type SqlTx } from '@shop/db';
import { sql, type Db } from '../../db';
import type { Env } from '../../env';

/**
 * Shopper subscription messages (ALIPAY.md, "Subscription messages"): which events become which message, the
 * shopper's agreements (Alipay's one-time subscription: one message per agreement), what each message says, and
 * the messages sent, as the shop's 我的 lists them. The delivery worker (worker.ts) sends them with
 * alipay.open.app.mini.templatemessage.send.
 */

/** The message kind an event becomes for its shopper; events that are not the shopper's business have none. */
export const MESSAGE_KIND_OF: Partial<Record<EventType, MessageKind>> = {
  'order.paid': 'payment',
  'order.shipped': 'shipping',
  'refund.succeeded': 'refund',
};

/**
 * Each kind's title and keywords. A template chosen in Alipay's console for a kind must have these four keywords in
 * this order (the development templates of @shop/dev-identity do).
 */
export const MESSAGE_LAYOUT: Readonly<Record<MessageKind, { title: string; labels: readonly string[] }>> = {
  payment: { title: '支付成功通知', labels: ['订单编号', '支付金额', '支付时间', '商品名称'] },
  shipping: { title: '订单发货通知', labels: ['订单编号', '物流公司', '运单号', '发货时间'] },
  refund: { title: '退款成功通知', labels: ['订单编号', '退款金额', '退款时间', '退款原因'] },
};

/** The order as the outbox keeps it with an event (worker.ts, orderSnapshot). */
export interface OrderSnapshot {
  id: string;
  orderNo: string;
  status: string;
  totalFen: number;
  refundedFen: number;
  paidAt: string | null;
  shippedAt: string | null;
  carrier: string | null;
  trackingNo: string | null;
  items: Array<{ title: string; specText: string; quantity: number; unitPriceFen: number }>;
}

/** An event's data as written, with the order snapshot the worker added when it dispatched it. */
export interface EventData {
  order?: OrderSnapshot;
  amountFen?: number;
  reason?: string;
  [key: string]: unknown;
}

/** The shop page a message opens (a path of the mini-program, no leading slash, as Alipay wants it). */
export function messagePage(orderId: string | null): string {
  return orderId ? `pages/order/index?id=${orderId}` : 'pages/index/index';
}

function chinaTime(iso: string | null | undefined, fallback: Date): string {
  return formatChinaTime(iso ? new Date(iso) : fallback);
}

/** At most `max` characters (Alipay's keyword values are short). */
function clip(text: string, max = 20): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function itemSummary(order: OrderSnapshot): string {
  const first = order.items[0];
  if (!first) return '';
  const count = order.items.reduce((sum, item) => sum + item.quantity, 0);
  return count > 1 ? `${clip(first.title, 14)}等${count}件` : clip(first.title);
}

/** The four keyword values of the message an event becomes. */
export function messageValues(kind: MessageKind, event: OutboxEvent, data: EventData): string[] {
  const order = data.order;
  const orderNo = order?.orderNo ?? '';
  switch (kind) {
    case 'payment':
      return [
        orderNo,
        formatFen(order?.totalFen ?? 0),
        chinaTime(order?.paidAt, event.createdAt),
        order ? itemSummary(order) : '',
      ];
    case 'shipping':
      return [
        orderNo,
        clip(order?.carrier ?? ''),
        clip(order?.trackingNo ?? '', 40),
        chinaTime(order?.shippedAt, event.createdAt),
      ];
    case 'refund':
      return [
        orderNo,
        formatFen(data.amountFen ?? 0),
        chinaTime(null, event.createdAt),
        clip(data.reason || '退款'),
      ];
  }
}

/** `{ keyword1: value, ... }` for alipay.open.app.mini.templatemessage.send. */
export function keywordData(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(values.map((value, i) => [`keyword${i + 1}`, value || '-']));
}

// ---------------------------------------------------------------------------------------------------------------
// Agreements
// ---------------------------------------------------------------------------------------------------------------

/** The configured templates, kind by kind. */
export function messageTemplates(env: Pick<Env, 'MESSAGE_TEMPLATES'>): Array<{
  kind: MessageKind;
  templateId: string;
  title: string;
}> {
  return (Object.keys(MESSAGE_LAYOUT) as MessageKind[]).flatMap((kind) => {
    const templateId = env.MESSAGE_TEMPLATES[kind];
    return templateId ? [{ kind, templateId, title: MESSAGE_LAYOUT[kind].title }] : [];
  });
}

/** At most this many unused agreements per kind: a shopper who agrees at every checkout does not pile them up. */
export const MAX_UNUSED_AGREEMENTS = 20;

export class UnknownTemplateError extends Error {
  constructor(readonly templateId: string) {
    super(`${templateId} is not one of the shop's message templates`);
  }
}

/** Unused agreements of a shopper, by kind, for the current templates. */
export async function remainingAgreements(
  db: Db,
  env: Pick<Env, 'MESSAGE_TEMPLATES'>,
  userId: string,
): Promise<Record<MessageKind, number>> {
  const rows = await sql(db).read((q) =>
    q.all<{ kind: string; templateId: string; n: number | bigint | string }>(
      `SELECT "kind", "templateId", COUNT(*) AS "n" FROM "MessageAgreement"
       WHERE "userId" = ? AND "deliveryId" IS NULL GROUP BY "kind", "templateId"`,
      userId,
    ),
  );
  const remaining: Record<MessageKind, number> = { payment: 0, shipping: 0, refund: 0 };
  for (const row of rows) {
    const kind = row.kind as MessageKind;
    if (kind in remaining && env.MESSAGE_TEMPLATES[kind] === row.templateId) remaining[kind] = Number(row.n);
  }
  return remaining;
}

/** Records one agreement per accepted template (the answer of my.requestSubscribeMessage or the H5 stand-in). */
export async function recordAgreements(
  db: Db,
  env: Pick<Env, 'MESSAGE_TEMPLATES'>,
  userId: string,
  templateIds: readonly string[],
): Promise<Record<MessageKind, number>> {
  const byId = new Map(messageTemplates(env).map((t) => [t.templateId, t.kind]));
  const kinds = templateIds.map((id) => {
    const kind = byId.get(id);
    if (!kind) throw new UnknownTemplateError(id);
    return { id, kind };
  });
  const before = await remainingAgreements(db, env, userId);
  const now = new Date();
  const rows = kinds
    .filter(({ kind }) => before[kind] < MAX_UNUSED_AGREEMENTS)
    .map(({ id, kind }) => ({
      id: newId(),
      userId,
      kind,
      templateId: id,
      createdAt: now,
      deliveryId: null,
      usedAt: null,
    }));
  if (rows.length > 0) await sql(db).transaction((tx) => tx.insert('MessageAgreement', rows));
  return remainingAgreements(db, env, userId);
}

/**
 * The agreement a delivery sends under: the one it took on an earlier try, or the shopper's oldest unused one for
 * the template, taken now by a guarded update. False when the shopper has none (nothing is sent).
 */
export async function takeAgreement(
  tx: SqlTx,
  input: { deliveryId: string; userId: string; kind: MessageKind; templateId: string },
  now: Date,
): Promise<boolean> {
  const mine = await tx.get<{ id: string }>(
    'SELECT "id" FROM "MessageAgreement" WHERE "deliveryId" = ?',
    input.deliveryId,
  );
  if (mine) return true;
  for (;;) {
    const unused = await tx.get<{ id: string }>(
      `SELECT "id" FROM "MessageAgreement"
       WHERE "userId" = ? AND "kind" = ? AND "templateId" = ? AND "deliveryId" IS NULL
       ORDER BY "createdAt", "id" LIMIT 1`,
      input.userId,
      input.kind,
      input.templateId,
    );
    if (!unused) return false;
    const taken = await tx.run(
      `UPDATE "MessageAgreement" SET "deliveryId" = ?, "usedAt" = ? WHERE "id" = ? AND "deliveryId" IS NULL`,
      input.deliveryId,
      now,
      unused.id,
    );
    // Another delivery of this shopper took that one between the read and the update: try the next.
    if (taken === 1) return true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Messages sent
// ---------------------------------------------------------------------------------------------------------------

export async function recordMessage(
  tx: SqlTx,
  input: {
    userId: string;
    event: OutboxEvent;
    kind: MessageKind;
    templateId: string;
    values: readonly string[];
  },
  now: Date,
): Promise<void> {
  const layout = MESSAGE_LAYOUT[input.kind];
  await tx.insert(
    'ShopperMessage',
    {
      id: newId(),
      userId: input.userId,
      eventId: input.event.id,
      kind: input.kind,
      templateId: input.templateId,
      title: layout.title,
      linesJson: JSON.stringify(layout.labels.map((label, i) => ({ label, value: input.values[i] ?? '' }))),
      page: messagePage(input.event.orderId),
      sentAt: now,
    },
    { onConflictDoNothing: ['eventId'] },
  );
}

/** A shopper's messages, newest first (the shop's 我的 › 消息). */
export async function listMessages(db: Db, userId: string, limit = 50): Promise<ShopperMessageView[]> {
  const rows = await db.shopperMessage.findMany({
    where: { userId },
    orderBy: [{ sentAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  const events = await db.outboxEvent.findMany({
    where: { id: { in: rows.map((row) => row.eventId) } },
    select: { id: true, orderId: true },
  });
  const orderOf = new Map(events.map((event) => [event.id, event.orderId]));
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as MessageKind,
    title: row.title,
    lines: JSON.parse(row.linesJson) as Array<{ label: string; value: string }>,
    orderId: orderOf.get(row.eventId) ?? null,
    sentAt: readDate(row.sentAt).toISOString(),
  }));
}
