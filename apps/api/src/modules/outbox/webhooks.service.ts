import type {
  DeliveryStatus,
  EventType,
  WebhookDeliveryList,
  WebhookDeliveryQuery,
  WebhookEndpointBody,
  WebhookEndpointList,
  WebhookEndpointUpdateBody,
  WebhookEndpointView,
  WebhookEndpointWithSecret,
} from '@shop/contract';
import { newId, type WebhookEndpoint } from '@shop/db';
import { inTransaction, sql, type Db } from '../../db';
import type { Env } from '../../env';
import { AppError, notFound } from '../../errors';
import { audit, type AdminActor } from '../admin/audit/service';
import { newWebhookSecret } from './signature';
import { resendDelivery } from './store';

/**
 * The merchant's webhook endpoints (owner): register one (its secret is shown once), change it, rotate its secret
 * (the previous one keeps signing beside the new one for WEBHOOK_SECRET_OVERLAP_MS), delete it, read its delivery log
 * and send a delivery again. Every change is in the audit log, never a secret.
 */

/** At most this many endpoints: each gets every event it chose, and each try is a request from every process. */
export const MAX_ENDPOINTS = 20;

async function deliveryCounts(db: Db): Promise<Map<string, Record<DeliveryStatus, number>>> {
  const groups = await db.outboxDelivery.groupBy({
    by: ['endpointId', 'status'],
    where: { endpointId: { not: null } },
    _count: { _all: true },
  });
  const counts = new Map<string, Record<DeliveryStatus, number>>();
  for (const group of groups) {
    const id = group.endpointId!;
    const row = counts.get(id) ?? { PENDING: 0, DELIVERED: 0, FAILED: 0, SKIPPED: 0 };
    row[group.status] = group._count._all;
    counts.set(id, row);
  }
  return counts;
}

function endpointView(row: WebhookEndpoint, counts?: Record<DeliveryStatus, number>): WebhookEndpointView {
  const now = Date.now();
  const previousLive = row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > now;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.eventsJson) as EventType[],
    active: row.active,
    secretHint: row.secret.slice(-4),
    previousSecretExpiresAt: previousLive ? row.previousSecretExpiresAt!.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    deliveries: {
      delivered: counts?.DELIVERED ?? 0,
      pending: counts?.PENDING ?? 0,
      failed: counts?.FAILED ?? 0,
    },
  };
}

/** What the audit log keeps of an endpoint: never its secrets. */
function auditable(row: WebhookEndpoint): Record<string, unknown> {
  return {
    url: row.url,
    events: JSON.parse(row.eventsJson) as unknown,
    active: row.active,
    description: row.description,
  };
}

async function findEndpoint(db: Db, id: string): Promise<WebhookEndpoint> {
  const row = await db.webhookEndpoint.findUnique({ where: { id } });
  if (!row) throw notFound('WebhookEndpoint');
  return row;
}

export async function listEndpoints(db: Db): Promise<WebhookEndpointList> {
  const [rows, counts] = await Promise.all([
    db.webhookEndpoint.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    deliveryCounts(db),
  ]);
  return { items: rows.map((row) => endpointView(row, counts.get(row.id))) };
}

export async function createEndpoint(
  db: Db,
  actor: AdminActor,
  body: WebhookEndpointBody,
): Promise<WebhookEndpointWithSecret> {
  const secret = newWebhookSecret();
  const now = new Date();
  const row = await inTransaction(db, async (tx) => {
    if ((await tx.webhookEndpoint.count()) >= MAX_ENDPOINTS) {
      throw new AppError('CONFLICT', `A shop has at most ${MAX_ENDPOINTS} webhook endpoints`, {
        details: { max: MAX_ENDPOINTS },
      });
    }
    const created = await tx.webhookEndpoint.create({
      data: {
        id: newId(),
        url: body.url,
        description: body.description ?? '',
        eventsJson: JSON.stringify(body.events),
        active: true,
        secret,
        createdAt: now,
        updatedAt: now,
      },
    });
    await audit(tx, actor, {
      action: 'webhook.create',
      targetType: 'WebhookEndpoint',
      targetId: created.id,
      after: auditable(created),
    });
    return created;
  });
  return { endpoint: endpointView(row), secret };
}

export async function updateEndpoint(
  db: Db,
  actor: AdminActor,
  id: string,
  body: WebhookEndpointUpdateBody,
): Promise<WebhookEndpointView> {
  const row = await inTransaction(db, async (tx) => {
    const before = await tx.webhookEndpoint.findUnique({ where: { id } });
    if (!before) throw notFound('WebhookEndpoint');
    const after = await tx.webhookEndpoint.update({
      where: { id },
      data: {
        ...(body.url === undefined ? {} : { url: body.url }),
        ...(body.events === undefined ? {} : { eventsJson: JSON.stringify(body.events) }),
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.active === undefined ? {} : { active: body.active }),
        updatedAt: new Date(),
      },
    });
    await audit(tx, actor, {
      action: 'webhook.update',
      targetType: 'WebhookEndpoint',
      targetId: id,
      before: auditable(before),
      after: auditable(after),
    });
    return after;
  });
  return endpointView(row, (await deliveryCounts(db)).get(row.id));
}

/** Deletes an endpoint; its deliveries still due end FAILED at their next try ("the endpoint was deleted"). */
export async function deleteEndpoint(db: Db, actor: AdminActor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const before = await tx.webhookEndpoint.findUnique({ where: { id } });
    if (!before) throw notFound('WebhookEndpoint');
    await tx.webhookEndpoint.delete({ where: { id } });
    await audit(tx, actor, {
      action: 'webhook.delete',
      targetType: 'WebhookEndpoint',
      targetId: id,
      before: auditable(before),
    });
  });
}

/** A new secret; the one it replaces keeps signing beside it until the overlap ends (README, "Webhooks"). */
export async function rotateSecret(
  db: Db,
  env: Pick<Env, 'WEBHOOK_SECRET_OVERLAP_MS'>,
  actor: AdminActor,
  id: string,
): Promise<WebhookEndpointWithSecret> {
  const secret = newWebhookSecret();
  const now = new Date();
  const row = await inTransaction(db, async (tx) => {
    const before = await tx.webhookEndpoint.findUnique({ where: { id } });
    if (!before) throw notFound('WebhookEndpoint');
    const previousSecretExpiresAt = new Date(now.getTime() + env.WEBHOOK_SECRET_OVERLAP_MS);
    const after = await tx.webhookEndpoint.update({
      where: { id },
      data: { secret, previousSecret: before.secret, previousSecretExpiresAt, updatedAt: now },
    });
    await audit(tx, actor, {
      action: 'webhook.rotate-secret',
      targetType: 'WebhookEndpoint',
      targetId: id,
      after: { previousSecretExpiresAt: previousSecretExpiresAt.toISOString() },
    });
    return after;
  });
  return { endpoint: endpointView(row, (await deliveryCounts(db)).get(row.id)), secret };
}

/** An endpoint's deliveries, newest first, each with its tries. */
export async function listDeliveries(
  db: Db,
  endpointId: string,
  query: WebhookDeliveryQuery,
): Promise<WebhookDeliveryList> {
  await findEndpoint(db, endpointId);
  const where = { endpointId, ...(query.status ? { status: query.status } : {}) };
  const [total, rows] = await Promise.all([
    db.outboxDelivery.count({ where }),
    db.outboxDelivery.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  const ids = rows.map((row) => row.id);
  const [attempts, events] = await Promise.all([
    db.deliveryAttempt.findMany({ where: { deliveryId: { in: ids } }, orderBy: { number: 'asc' } }),
    db.outboxEvent.findMany({
      where: { id: { in: rows.map((row) => row.eventId) } },
      select: { id: true, type: true },
    }),
  ]);
  const typeOf = new Map(events.map((event) => [event.id, event.type as EventType]));
  return {
    items: rows.map((row) => ({
      id: row.id,
      eventId: row.eventId,
      eventType: typeOf.get(row.eventId) ?? 'order.paid',
      status: row.status,
      attempts: attempts
        .filter((attempt) => attempt.deliveryId === row.id)
        .map((attempt) => ({
          number: attempt.number,
          startedAt: attempt.startedAt.toISOString(),
          statusCode: attempt.statusCode,
          durationMs: attempt.durationMs,
          outcome: attempt.outcome,
          error: attempt.error,
        })),
      nextAttemptAt: row.status === 'PENDING' ? row.nextAttemptAt.toISOString() : null,
      deliveredAt: row.deliveredAt?.toISOString() ?? null,
      lastError: row.lastError,
      createdAt: row.createdAt.toISOString(),
    })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** "Send again": a delivered or failed webhook delivery is due now, with a new day of retries. */
export async function resendWebhookDelivery(db: Db, actor: AdminActor, deliveryId: string): Promise<void> {
  await sql(db).transaction(async (tx) => {
    const row = await tx.get<{ status: DeliveryStatus; endpointId: string | null }>(
      `SELECT "status", "endpointId" FROM "OutboxDelivery" WHERE "id" = ?${tx.dialect.forUpdate}`,
      deliveryId,
    );
    if (!row || row.endpointId === null) throw notFound('WebhookDelivery');
    if (row.status === 'PENDING') {
      throw new AppError('CONFLICT', 'This delivery is being tried already', {
        details: { status: row.status },
      });
    }
    if (!(await resendDelivery(tx, deliveryId, new Date()))) {
      throw new AppError('CONFLICT', `A ${row.status} delivery cannot be sent again`, {
        details: { status: row.status },
      });
    }
    await audit(tx, actor, {
      action: 'webhook.resend',
      targetType: 'OutboxDelivery',
      targetId: deliveryId,
      before: { status: row.status },
      after: { status: 'PENDING' },
    });
  });
}
