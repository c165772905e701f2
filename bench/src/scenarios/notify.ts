import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  encodeForm,
  fenToYuan,
  formatChinaDate,
  formatChinaTime,
  loadPrivateKey,
  signNotify,
} from '@shop/alipay';
import type { PaymentCreateResponse } from '@shop/contract';
import type { Db } from '@shop/db';
import { DEV_APP_ID } from '@shop/dev-identity';
import type { BenchBuyer } from '../fixtures';
import { mapConcurrent, requestJson, type HttpClient } from '../http';
import { runLoad, type LoadRequest, type LoadSpec } from '../load';
import type { HttpScenario } from './types';

type LoadSettings = Omit<LoadSpec, 'next' | 'warmupNext'>;

/** Alipay repeats a notify until it is acknowledged; the burst after a sale carries each one several times. */
export const COPIES_PER_NOTIFY = 5;

/** The merchant account the sandbox pays every trade to (its notifies carry it as seller_id). */
const SANDBOX_SELLER_ID = '2088000000009999';

const NOTIFY_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

export interface PendingOrder {
  id: string;
  userId: string;
  totalFen: number;
  subject: string;
  createdAt: Date;
}

export interface NotifyTrade {
  orderId: string;
  notifyId: string;
  /** The signed form, sent as is every time. */
  body: string;
}

/** 34 digits like Alipay's notify ids: China date, `00222`, 21 random digits. */
function notifyId(now: Date): string {
  let digits = '';
  for (let i = 0; i < 21; i++) digits += String(randomInt(10));
  return `${formatChinaDate(now).replaceAll('-', '')}00222${digits}`;
}

/**
 * Paid trades to notify about: pending orders of the bench buyers (the checkout run leaves thousands), topped up with
 * new ones when there are too few, each given an Alipay trade through `POST /api/orders/:id/payment` (the API calls
 * alipay.trade.create at the sandbox). The notify for each is what the sandbox sends once a buyer pays, signed with
 * the gateway's private key from the data folder: TRADE_SUCCESS with the trade's numbers and amount.
 */
export async function prepareTrades(
  db: Db,
  http: HttpClient,
  apiUrl: string,
  alipayPrivateKeyFile: string,
  buyers: readonly BenchBuyer[],
  count: number,
  placeOrder: (buyer: BenchBuyer) => Promise<PendingOrder>,
): Promise<NotifyTrade[]> {
  const byUser = new Map(buyers.map((b) => [b.userId, b]));
  const orders: PendingOrder[] = await db.order.findMany({
    where: { status: 'PENDING_PAYMENT', payment: null, userId: { in: [...byUser.keys()] } },
    select: { id: true, userId: true, totalFen: true, subject: true, createdAt: true },
    orderBy: { createdAt: 'asc' },
    take: count,
  });
  const extra = await mapConcurrent(
    Array.from({ length: Math.max(0, count - orders.length) }, (_, i) => buyers[i % buyers.length]!),
    8,
    placeOrder,
  );
  orders.push(...extra);

  const trades = await mapConcurrent(orders, 16, async (order) => {
    const buyer = byUser.get(order.userId)!;
    const payment = await requestJson<PaymentCreateResponse>(
      http,
      apiUrl,
      'POST',
      `/api/orders/${order.id}/payment`,
      200,
      { token: buyer.token },
    );
    return { order, buyer, payment };
  });

  const gatewayKey = loadPrivateKey(readFileSync(alipayPrivateKeyFile, 'utf8'), 'Alipay private key');
  return trades.map(({ order, buyer, payment }) => {
    const now = new Date();
    const amount = fenToYuan(order.totalFen);
    const id = notifyId(now);
    const fields = {
      notify_time: formatChinaTime(now),
      notify_type: 'trade_status_sync',
      notify_id: id,
      app_id: DEV_APP_ID,
      auth_app_id: DEV_APP_ID,
      charset: 'utf-8',
      version: '1.0',
      trade_no: payment.tradeNo,
      out_trade_no: payment.outTradeNo,
      buyer_id: buyer.alipayUserId,
      buyer_logon_id: '138****0001',
      seller_id: SANDBOX_SELLER_ID,
      trade_status: 'TRADE_SUCCESS',
      total_amount: amount,
      receipt_amount: amount,
      invoice_amount: amount,
      buyer_pay_amount: amount,
      point_amount: '0.00',
      subject: order.subject,
      gmt_create: formatChinaTime(order.createdAt),
      gmt_payment: formatChinaTime(now),
      fund_bill_list: JSON.stringify([{ amount, fundChannel: 'ALIPAYACCOUNT' }]),
    };
    return { orderId: order.id, notifyId: id, body: encodeForm(signNotify(fields, gatewayKey)) };
  });
}

function notifyRequest(trade: NotifyTrade): LoadRequest {
  return {
    method: 'POST',
    path: '/api/alipay/notify',
    headers: { 'content-type': NOTIFY_CONTENT_TYPE },
    body: trade.body,
  };
}

/**
 * Every trade's notify COPIES_PER_NOTIFY times, shuffled within groups of ten trades: the copies of one notify arrive
 * close together and often at the same moment on different connections, as Alipay's duplicates do.
 */
export function notifyQueue(trades: readonly NotifyTrade[]): () => LoadRequest | null {
  const order: NotifyTrade[] = [];
  for (let start = 0; start < trades.length; start += 10) {
    const group = trades
      .slice(start, start + 10)
      .flatMap((t) => Array<NotifyTrade>(COPIES_PER_NOTIFY).fill(t));
    for (let i = group.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [group[i], group[j]] = [group[j]!, group[i]!];
    }
    order.push(...group);
  }
  let next = 0;
  return () => (next < order.length ? notifyRequest(order[next++]!) : null);
}

/**
 * Inbox rows per notify id, once the API has finished what was in flight when the load stopped. The whole inbox: the
 * bench's database receives no other notifies.
 */
async function settledInboxCounts(db: Db): Promise<Map<string, number>> {
  let last = -1;
  for (;;) {
    const rows = await db.notifyInbox.groupBy({ by: ['notifyId'], _count: { _all: true } });
    const total = rows.reduce((sum, row) => sum + row._count._all, 0);
    if (total === last) return new Map(rows.map((row) => [row.notifyId ?? '', row._count._all]));
    last = total;
    await new Promise((r) => setTimeout(r, 300));
  }
}

export interface NotifyOutcome {
  scenario: HttpScenario;
  /** The trades whose notify reached the API (all of their copies, after the top-up). */
  delivered: NotifyTrade[];
}

/**
 * Trades the warm-up notifies (5 copies each): enough for the JIT and a first measure of the rate, and few enough
 * to pay for quickly (four per connection, at most 200).
 */
function warmupTradeCount(connections: number): number {
  return Math.min(200, connections * 4);
}

/**
 * The measured queue holds this many seconds' worth of notifies at the warm-up's rate, so it outlasts the run; were
 * the API faster still, the queue would run out and end the run early, its rate measured over the time it ran.
 */
const QUEUE_HEADROOM = 3;

/**
 * Notify ingestion. A warm-up (at most `warmupSec`, at most a few trades per connection) measures roughly how fast notifies
 * go, and the measured queue is sized from it: each queued trade must first be paid for through the API and the
 * sandbox, which is slower than the notifies themselves. The load then sends the queue for the run's duration; the
 * trades it reached only in part (cut off by the end of the run) get their remaining copies outside the measurement,
 * so that every notify that arrived at all arrived exactly COPIES_PER_NOTIFY times.
 */
export async function notifyScenario(
  settings: LoadSettings,
  db: Db,
  http: HttpClient,
  prepare: (count: number) => Promise<NotifyTrade[]>,
): Promise<NotifyOutcome> {
  const warmupTrades = await prepare(warmupTradeCount(settings.connections));
  const warmup = await runLoad({
    ...settings,
    durationSec: Math.max(settings.warmupSec, 1),
    warmupSec: 0,
    next: notifyQueue(warmupTrades),
  });
  const expectedRate = warmup.rps;
  const measuredTrades = await prepare(
    Math.max(20, Math.ceil((expectedRate * QUEUE_HEADROOM * settings.durationSec) / COPIES_PER_NOTIFY)),
  );
  const load = await runLoad({ ...settings, warmupSec: 0, next: notifyQueue(measuredTrades) });

  const all = [...warmupTrades, ...measuredTrades];
  const counts = await settledInboxCounts(db);
  const delivered = all.filter((t) => (counts.get(t.notifyId) ?? 0) > 0);
  const missing = delivered.flatMap((t) =>
    Array<NotifyTrade>(Math.max(0, COPIES_PER_NOTIFY - (counts.get(t.notifyId) ?? 0))).fill(t),
  );
  await mapConcurrent(missing, 8, async (trade) => {
    const response = await http.fetch(`${settings.url}/api/alipay/notify`, {
      method: 'POST',
      headers: { 'content-type': NOTIFY_CONTENT_TYPE },
      body: trade.body,
    });
    const text = await response.text();
    if (response.status !== 200 || text !== 'success') {
      throw new Error(`notify ${trade.notifyId} answered ${response.status} ${text}`);
    }
  });
  const acknowledged = load.statuses['200'] ?? 0;
  // Distinct payments the load applied: one APPLIED inbox row each, received while the measured load ran.
  const applied = await db.notifyInbox.count({
    where: {
      outcome: 'APPLIED',
      receivedAt: { gte: new Date(load.startedAtMs), lte: new Date(load.endedAtMs) },
    },
  });
  return {
    scenario: {
      id: 'notify',
      title: 'notify: POST /api/alipay/notify',
      what: `signed TRADE_SUCCESS notifies for ${measuredTrades.length} trades, each sent ${COPIES_PER_NOTIFY} times`,
      load,
      unitsPerSec: acknowledged / load.elapsedSec,
      unit: 'notifies',
      facts: {
        warmupRatePerSec: Math.round(expectedRate),
        tradesQueued: measuredTrades.length,
        tradesNotified: delivered.length,
        copiesSentAfterwards: missing.length,
        acknowledged,
        paymentsApplied: applied,
        paymentsAppliedPerSec: Math.round(applied / load.elapsedSec),
      },
    },
    delivered,
  };
}
