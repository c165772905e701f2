import { chinaDayRange } from '@shop/alipay';
import {
  ATTENTION_LIST_LIMIT,
  ATTENTION_NOTIFY_DAYS,
  DASHBOARD_DAYS,
  STUCK_PAYMENT_GRACE_MINUTES,
  type AttentionRefund,
  type DashboardDay,
  type DashboardResponse,
} from '@shop/contract';
import { readInt, type Prisma, type Refund } from '@shop/db';
import { sql, type Db } from '../../../db';
import { lastChinaDates } from '../dates';

/**
 * The merchant's front page: money per China day for the last 30 days and what needs a person. Sales are payments
 * proven paid that day (`Payment.paidAt`, so a payment that reached a closed order counts, and its automatic refund
 * counts on the refund side), refunds are refunds Alipay confirmed that day (`Refund.succeededAt`).
 */

const DAY_MS = 24 * 60 * 60 * 1000;

interface DayRow {
  day: string;
  n: number | string;
  fen: number | string | null;
}

/** Sums per China day (UTC+8, no daylight saving) in SQL, the day spelled by each engine's dialect. */
async function moneyByDay(db: Db, since: Date) {
  const { paid, refunded } = await sql(db).read(async (q) => ({
    paid: await q.all<DayRow>(
      `SELECT ${q.dialect.chinaDay('"paidAt"')} AS "day", count(*) AS "n", sum("amountFen") AS "fen"
       FROM "Payment" WHERE "status" = 'PAID' AND "paidAt" >= ? GROUP BY 1`,
      since,
    ),
    refunded: await q.all<DayRow>(
      `SELECT ${q.dialect.chinaDay('"succeededAt"')} AS "day", count(*) AS "n", sum("amountFen") AS "fen"
       FROM "Refund" WHERE "status" = 'SUCCEEDED' AND "succeededAt" >= ? GROUP BY 1`,
      since,
    ),
  }));
  return {
    paid: new Map(paid.map((row) => [row.day, { n: readInt(row.n), fen: readInt(row.fen) }])),
    refunded: new Map(refunded.map((row) => [row.day, readInt(row.fen)])),
  };
}

type RefundWithOrder = Refund & { order: { orderNo: string } };

function refundItem(refund: RefundWithOrder): AttentionRefund {
  return {
    id: refund.id,
    orderId: refund.orderId,
    orderNo: refund.order.orderNo,
    kind: refund.kind,
    status: refund.status,
    amountFen: refund.amountFen,
    failureCode: refund.failureCode,
    createdAt: refund.createdAt.toISOString(),
  };
}

async function refundsWhere(db: Db, where: Prisma.RefundWhereInput) {
  const [count, rows] = await Promise.all([
    db.refund.count({ where }),
    db.refund.findMany({
      where,
      include: { order: { select: { orderNo: true } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: ATTENTION_LIST_LIMIT,
    }),
  ]);
  return { count, items: rows.map(refundItem) };
}

export async function getDashboard(db: Db, now: Date = new Date()): Promise<DashboardResponse> {
  const dates = lastChinaDates(DASHBOARD_DAYS, now);
  const since = chinaDayRange(dates[0]!)!.start;
  const { paid, refunded } = await moneyByDay(db, since);
  const days = dates.map((date): DashboardDay => ({
    date,
    paidOrders: paid.get(date)?.n ?? 0,
    salesFen: paid.get(date)?.fen ?? 0,
    refundsFen: refunded.get(date) ?? 0,
  }));

  const notifyWhere: Prisma.NotifyInboxWhereInput = {
    receivedAt: { gte: new Date(now.getTime() - ATTENTION_NOTIFY_DAYS * DAY_MS) },
    OR: [{ verified: false }, { outcome: { in: ['REJECTED', 'ERROR'] } }],
  };
  const stuckWhere: Prisma.PaymentWhereInput = {
    status: { in: ['CREATED', 'OPEN'] },
    order: { expiresAt: { lt: new Date(now.getTime() - STUCK_PAYMENT_GRACE_MINUTES * 60_000) } },
  };
  const [notifyCount, notifies, stuckCount, stuck, autoRefunds, openRefunds] = await Promise.all([
    db.notifyInbox.count({ where: notifyWhere }),
    db.notifyInbox.findMany({
      where: notifyWhere,
      include: { order: { select: { orderNo: true } } },
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      take: ATTENTION_LIST_LIMIT,
    }),
    db.payment.count({ where: stuckWhere }),
    db.payment.findMany({
      where: stuckWhere,
      include: { order: { select: { orderNo: true, expiresAt: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: ATTENTION_LIST_LIMIT,
    }),
    refundsWhere(db, { kind: 'AUTO_PAID_AFTER_CLOSE', createdAt: { gte: since } }),
    refundsWhere(db, { status: { in: ['PENDING', 'UNKNOWN'] } }),
  ]);

  return {
    generatedAt: now.toISOString(),
    today: days[days.length - 1]!,
    days,
    attention: {
      notifies: {
        count: notifyCount,
        items: notifies.map((n) => ({
          id: n.id,
          orderId: n.orderId,
          orderNo: n.order?.orderNo ?? n.outTradeNo,
          receivedAt: n.receivedAt.toISOString(),
          verified: n.verified,
          rejectReason: n.rejectReason,
          outcome: n.outcome,
        })),
      },
      stuckPayments: {
        count: stuckCount,
        items: stuck.map((p) => ({
          orderId: p.orderId,
          orderNo: p.order.orderNo,
          status: p.status,
          amountFen: p.amountFen,
          createdAt: p.createdAt.toISOString(),
          orderExpiresAt: p.order.expiresAt.toISOString(),
          queryCount: p.queryCount,
          nextQueryAt: p.nextQueryAt?.toISOString() ?? null,
        })),
      },
      autoRefunds,
      openRefunds,
    },
  };
}
