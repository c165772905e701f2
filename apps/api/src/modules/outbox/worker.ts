import { AlipayApiError } from '@shop/alipay';
import type { EventType } from '@shop/contract';
import type { OutboxDelivery, OutboxEvent } from '@shop/db';
import type { ApiDeps } from '../../deps';
import { sql } from '../../db';
import type { Job } from '../../jobs/scheduler';
import { backoffMs, later } from '../payment/settings';
import { callGateway, hasSubCode } from '../payment/gateway-log';
import {
  keywordData,
  MESSAGE_KIND_OF,
  messagePage,
  messageValues,
  recordMessage,
  takeAgreement,
  type EventData,
  type OrderSnapshot,
} from './messages';
import {
  claimDelivery,
  dispatchEvent,
  dueDeliveries,
  findEvent,
  finishAttempt,
  settleDelivery,
  SHOPPER_MESSAGE_TARGET,
  undispatchedEvents,
  webhookTarget,
  type AttemptOutcome,
  type NewDelivery,
} from './store';
import { sendWebhook, webhookBody } from './webhook-sender';

/**
 * The outbox's delivery worker, every OUTBOX_INTERVAL_MS in every API process (jobs/index.ts):
 *
 * 1. **Dispatch.** Each event not dispatched yet gets its deliveries, one per destination: every active webhook
 *    endpoint subscribed to its type, and the shopper's subscription message when the event is one (messages.ts).
 *    The order's snapshot joins the event's data in the same transaction. An event is dispatched once (a guarded
 *    update on `dispatchedAt`), and the unique (event, target) keeps a destination from getting two deliveries.
 * 2. **Deliver.** Each delivery due is claimed for one try (store.ts: only one process sends it at a time), sent,
 *    and settled: DELIVERED, due again after a backoff that doubles from WEBHOOK_RETRY_FIRST_MS up to
 *    WEBHOOK_RETRY_MAX_INTERVAL_MS, or FAILED once WEBHOOK_RETRY_WINDOW_MS has passed. A process that dies mid-try
 *    leaves the delivery due again when its claim ends: at least once, with the same event id.
 */

export type OutboxDeps = Pick<ApiDeps, 'env' | 'db' | 'alipay' | 'logger'>;

/** Events dispatched and deliveries tried in one pass; the rest wait for the next. */
const BATCH = 50;
/** Deliveries sent at once in a pass. */
const CONCURRENCY = 4;

export interface OutboxStats extends Record<string, number> {
  dispatched: number;
  delivered: number;
  retrying: number;
  failed: number;
  skipped: number;
}

export function outboxJobs(deps: OutboxDeps): Job[] {
  return [{ name: 'outbox', intervalMs: deps.env.OUTBOX_INTERVAL_MS, run: () => runOutbox(deps) }];
}

/** One pass: dispatch, then deliver what is due. Exposed for tests. */
export async function runOutbox(deps: OutboxDeps): Promise<OutboxStats> {
  const stats: OutboxStats = {
    dispatched: await dispatchEvents(deps),
    delivered: 0,
    retrying: 0,
    failed: 0,
    skipped: 0,
  };
  const due = await sql(deps.db).read((q) => dueDeliveries(q, new Date(), BATCH));
  for (let i = 0; i < due.length; i += CONCURRENCY) {
    const results = await Promise.all(
      due.slice(i, i + CONCURRENCY).map((delivery) => deliver(deps, delivery)),
    );
    for (const result of results) if (result) stats[result] += 1;
  }
  return stats;
}

async function orderSnapshot(deps: OutboxDeps, orderId: string): Promise<OrderSnapshot | null> {
  const order = await deps.db.order.findUnique({
    where: { id: orderId },
    include: { items: { orderBy: { id: 'asc' } } },
  });
  if (!order) return null;
  return {
    id: order.id,
    orderNo: order.orderNo,
    status: order.status,
    totalFen: order.totalFen,
    refundedFen: order.refundedFen,
    paidAt: order.paidAt?.toISOString() ?? null,
    shippedAt: order.shippedAt?.toISOString() ?? null,
    carrier: order.carrier,
    trackingNo: order.trackingNo,
    items: order.items.map((item) => ({
      title: item.title,
      specText: item.specText,
      quantity: item.quantity,
      unitPriceFen: item.unitPriceFen,
    })),
  };
}

async function dispatchEvents(deps: OutboxDeps): Promise<number> {
  const events = await sql(deps.db).read((q) => undispatchedEvents(q, BATCH));
  if (events.length === 0) return 0;
  const endpoints = await deps.db.webhookEndpoint.findMany({
    where: { active: true },
    orderBy: { id: 'asc' },
  });
  let dispatched = 0;
  for (const event of events) {
    const targets: NewDelivery[] = endpoints
      .filter((endpoint) => (JSON.parse(endpoint.eventsJson) as string[]).includes(event.type))
      .map((endpoint) => ({ target: webhookTarget(endpoint.id), endpointId: endpoint.id }));
    const kind = MESSAGE_KIND_OF[event.type as EventType];
    if (kind && event.userId && deps.env.MESSAGE_TEMPLATES[kind]) {
      targets.push({ target: SHOPPER_MESSAGE_TARGET, endpointId: null });
    }
    const data = JSON.parse(event.dataJson) as EventData;
    if (event.orderId) {
      const order = await orderSnapshot(deps, event.orderId);
      if (order) data.order = order;
    }
    const done = await sql(deps.db).transaction((tx) =>
      dispatchEvent(tx, event, targets, JSON.stringify(data), new Date()),
    );
    if (done) dispatched += 1;
  }
  return dispatched;
}

type Settled = 'delivered' | 'retrying' | 'failed' | 'skipped';

/** A try's result: what the log says, and what becomes of the delivery. */
interface TryResult {
  attempt: AttemptOutcome;
  /** `final`: no more tries (refused for good); `skip`: nothing to send. */
  verdict: 'ok' | 'retry' | 'final' | 'skip';
  error?: string;
}

async function deliver(deps: OutboxDeps, delivery: OutboxDelivery): Promise<Settled | null> {
  const now = new Date();
  // The claim lasts twice the slowest try's deadline (a webhook's or an Alipay call's): a live process has always
  // settled its try by then, and a dead one's delivery is due again no later.
  const claimMs = 2 * Math.max(deps.env.WEBHOOK_TIMEOUT_MS, deps.env.ALIPAY_TIMEOUT_MS);
  const attempt = await sql(deps.db).transaction((tx) =>
    claimDelivery(tx, delivery, later(claimMs, now), now),
  );
  if (attempt === null) return null;
  const event = await sql(deps.db).read((q) => findEvent(q, delivery.eventId));
  let result: TryResult;
  try {
    if (!event) throw new Error(`the event ${delivery.eventId} is gone`);
    result = delivery.endpointId
      ? await tryWebhook(deps, delivery, event, attempt)
      : await tryShopperMessage(deps, delivery, event, attempt);
  } catch (error) {
    deps.logger.error({ err: error, deliveryId: delivery.id }, 'outbox delivery failed unexpectedly');
    result = {
      attempt: { outcome: 'network-error', durationMs: 0, error: (error as Error).message.slice(0, 500) },
      verdict: 'retry',
      error: (error as Error).message.slice(0, 500),
    };
  }
  return settle(deps, delivery, attempt, result);
}

async function settle(
  deps: OutboxDeps,
  delivery: OutboxDelivery,
  attempt: number,
  result: TryResult,
): Promise<Settled | null> {
  const now = new Date();
  const next = later(
    backoffMs(deps.env.WEBHOOK_RETRY_FIRST_MS, deps.env.WEBHOOK_RETRY_MAX_INTERVAL_MS, attempt - 1),
    now,
  );
  const windowEnds = delivery.roundStartedAt.getTime() + deps.env.WEBHOOK_RETRY_WINDOW_MS;
  const verdict = result.verdict === 'retry' && next.getTime() > windowEnds ? 'final' : result.verdict;
  const to = { ok: 'DELIVERED', skip: 'SKIPPED', final: 'FAILED', retry: 'PENDING' } as const;
  const changed = await sql(deps.db).transaction(async (tx) => {
    await finishAttempt(tx, delivery.id, attempt, result.attempt, now);
    return settleDelivery(
      tx,
      delivery.id,
      attempt,
      to[verdict],
      { nextAttemptAt: next, lastError: verdict === 'ok' ? null : (result.error ?? null) },
      now,
    );
  });
  if (!changed) return null;
  return ({ ok: 'delivered', skip: 'skipped', final: 'failed', retry: 'retrying' } as const)[verdict];
}

async function tryWebhook(
  deps: OutboxDeps,
  delivery: OutboxDelivery,
  event: OutboxEvent,
  attempt: number,
): Promise<TryResult> {
  const endpoint = await deps.db.webhookEndpoint.findUnique({ where: { id: delivery.endpointId! } });
  if (!endpoint || !endpoint.active) {
    const error = endpoint ? 'the endpoint is disabled' : 'the endpoint was deleted';
    return { attempt: { outcome: 'refused', durationMs: 0, error }, verdict: 'final', error };
  }
  const now = new Date();
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(endpoint.previousSecret);
  }
  const sent = await sendWebhook({
    url: endpoint.url,
    body: webhookBody(event),
    event,
    secrets,
    attempt,
    timeoutMs: deps.env.WEBHOOK_TIMEOUT_MS,
  });
  if (sent.outcome === 'ok') return { attempt: sent, verdict: 'ok' };
  const error = sent.statusCode ? `HTTP ${sent.statusCode}` : (sent.error ?? sent.outcome);
  return { attempt: sent, verdict: 'retry', error };
}

/**
 * Whether an earlier try of this delivery may have reached Alipay: one that timed out or lost its connection after
 * sending (`timeout`: the outcome is unknown), or one its process never finished (no outcome: it died mid-try).
 */
async function earlierTryMayHaveArrived(
  deps: OutboxDeps,
  deliveryId: string,
  attempt: number,
): Promise<boolean> {
  const row = await sql(deps.db).read((q) =>
    q.get<{ id: string }>(
      `SELECT "id" FROM "DeliveryAttempt"
       WHERE "deliveryId" = ? AND "number" < ? AND ("outcome" IS NULL OR "outcome" = 'timeout')
       LIMIT 1`,
      deliveryId,
      attempt,
    ),
  );
  return row !== undefined;
}

async function tryShopperMessage(
  deps: OutboxDeps,
  delivery: OutboxDelivery,
  event: OutboxEvent,
  attempt: number,
): Promise<TryResult> {
  const kind = MESSAGE_KIND_OF[event.type as EventType];
  const templateId = kind ? deps.env.MESSAGE_TEMPLATES[kind] : undefined;
  const user = event.userId ? await deps.db.user.findUnique({ where: { id: event.userId } }) : null;
  const to =
    deps.env.ALIPAY_ID_MODE === 'open_id'
      ? user?.alipayOpenId && { toOpenId: user.alipayOpenId }
      : user?.alipayUserId && { toUserId: user.alipayUserId };
  if (!kind || !templateId || !user || !to) {
    const error = 'no template, shopper or Alipay id to send to';
    return { attempt: { outcome: 'not-agreed', durationMs: 0, error }, verdict: 'skip', error };
  }
  const agreed = await sql(deps.db).transaction((tx) =>
    takeAgreement(tx, { deliveryId: delivery.id, userId: user.id, kind, templateId }, new Date()),
  );
  if (!agreed) {
    const error = 'the shopper has not agreed to this message';
    return { attempt: { outcome: 'not-agreed', durationMs: 0, error }, verdict: 'skip', error };
  }
  const data = JSON.parse(event.dataJson) as EventData;
  const values = messageValues(kind, event, data);
  const started = performance.now();
  const method = 'alipay.open.app.mini.templatemessage.send';
  const outcome = await callGateway(
    deps.db,
    { orderId: event.orderId, purpose: 'message', method, context: { eventId: event.id, kind } },
    () =>
      deps.alipay.templateMessageSend({
        ...to,
        userTemplateId: templateId,
        page: messagePage(event.orderId),
        data: keywordData(values),
      }),
    (value) => ({ traceId: value.traceId ?? null }),
  );
  const durationMs = performance.now() - started;
  const record = () =>
    sql(deps.db).transaction((tx) =>
      recordMessage(tx, { userId: user.id, event, kind, templateId, values }, new Date()),
    );
  if (outcome.ok) {
    await record();
    return { attempt: { outcome: 'ok', durationMs }, verdict: 'ok' };
  }
  const error = outcome.error.message.slice(0, 500);
  if (!outcome.unknown && outcome.error instanceof AlipayApiError) {
    if (
      hasSubCode(outcome, 'USER_NOT_SUBSCRIBED') &&
      (await earlierTryMayHaveArrived(deps, delivery.id, attempt))
    ) {
      // The agreement this delivery took is spent at Alipay, and no other delivery sends under it: the earlier try
      // whose answer was lost spent it, so that try delivered the message. This one is refused; the delivery is done.
      await record();
      const note = `${error} (the agreement was spent by an earlier try whose answer was lost: that try delivered it)`;
      return { attempt: { outcome: 'refused', durationMs, error: note.slice(0, 500) }, verdict: 'ok' };
    }
    // Alipay refused it (no agreement left at Alipay, a template it does not know ...): trying again changes nothing.
    return { attempt: { outcome: 'refused', durationMs, error }, verdict: 'final', error };
  }
  return {
    attempt: {
      // Unknown (a timeout, a lost answer, Alipay's "system busy"): it may have arrived. Otherwise it never left.
      outcome: outcome.unknown ? 'timeout' : 'network-error',
      durationMs,
      error,
    },
    verdict: 'retry',
    error,
  };
}
