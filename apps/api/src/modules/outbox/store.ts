import {
  newId,
  readDate,
  type DeliveryStatus,
  type OutboxDelivery,
  type OutboxEvent,
  type SqlParam,
  type SqlReader,
  type SqlTx,
} from '@shop/db';
import { guardedTransition } from '../../lib/state-machine';
import { DELIVERY_MACHINE } from './state';

/**
 * The outbox's rows, written one way on both engines (sql()): events waiting for their deliveries, deliveries due,
 * the claim a process takes on one delivery while it sends it, and the attempts of the delivery log.
 *
 * A claim is a guarded update that moves the delivery's `nextAttemptAt` from the value the worker read to the end of
 * the claim (now + the send's deadline + a margin) and counts the attempt: of several processes that read the same
 * due delivery only one moves it, and the others skip it. A process that dies while sending leaves the delivery due
 * again once that time has passed, so it is sent again, with the same event id (at least once).
 */

export const SHOPPER_MESSAGE_TARGET = 'shopper-message';

export function webhookTarget(endpointId: string): string {
  return `webhook:${endpointId}`;
}

type EventRow = Omit<OutboxEvent, 'createdAt' | 'dispatchedAt'> & {
  createdAt: string | Date;
  dispatchedAt: string | Date | null;
};
type DeliveryRow = Omit<
  OutboxDelivery,
  'nextAttemptAt' | 'deliveredAt' | 'roundStartedAt' | 'createdAt' | 'updatedAt'
> & {
  nextAttemptAt: string | Date;
  roundStartedAt: string | Date;
  deliveredAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
};

function readEvent(row: EventRow): OutboxEvent {
  return {
    ...row,
    createdAt: readDate(row.createdAt),
    dispatchedAt: row.dispatchedAt === null ? null : readDate(row.dispatchedAt),
  };
}

export function readDelivery(row: DeliveryRow): OutboxDelivery {
  return {
    ...row,
    attempts: Number(row.attempts),
    nextAttemptAt: readDate(row.nextAttemptAt),
    deliveredAt: row.deliveredAt === null ? null : readDate(row.deliveredAt),
    roundStartedAt: readDate(row.roundStartedAt),
    createdAt: readDate(row.createdAt),
    updatedAt: readDate(row.updatedAt),
  };
}

/** Events whose deliveries are not written yet, oldest first. */
export async function undispatchedEvents(q: SqlReader, limit: number): Promise<OutboxEvent[]> {
  const rows = await q.all<EventRow>(
    `SELECT * FROM "OutboxEvent" WHERE "dispatchedAt" IS NULL ORDER BY "createdAt", "id" LIMIT ?`,
    limit,
  );
  return rows.map(readEvent);
}

export async function findEvent(q: SqlReader, id: string): Promise<OutboxEvent | null> {
  const row = await q.get<EventRow>('SELECT * FROM "OutboxEvent" WHERE "id" = ?', id);
  return row ? readEvent(row) : null;
}

export interface NewDelivery {
  target: string;
  endpointId: string | null;
}

/**
 * Writes an event's deliveries (one per target; a target that has one already keeps it) and marks the event
 * dispatched, with `dataJson` as the data its deliveries send. Returns false when another process dispatched it
 * first (this transaction then wrote nothing that counts: its deliveries collided with that process's).
 */
export async function dispatchEvent(
  tx: SqlTx,
  event: OutboxEvent,
  targets: readonly NewDelivery[],
  dataJson: string,
  now: Date,
): Promise<boolean> {
  const marked = await tx.run(
    `UPDATE "OutboxEvent" SET "dispatchedAt" = ?, "dataJson" = ? WHERE "id" = ? AND "dispatchedAt" IS NULL`,
    now,
    dataJson,
    event.id,
  );
  if (marked !== 1) return false;
  if (targets.length === 0) return true;
  const rows: OutboxDelivery[] = targets.map((target) => ({
    id: newId(),
    eventId: event.id,
    target: target.target,
    endpointId: target.endpointId,
    status: 'PENDING',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    deliveredAt: null,
    roundStartedAt: now,
    createdAt: now,
    updatedAt: now,
  }));
  await tx.insert('OutboxDelivery', rows, { onConflictDoNothing: ['eventId', 'target'] });
  return true;
}

/** Deliveries due now, soonest first. */
export async function dueDeliveries(q: SqlReader, now: Date, limit: number): Promise<OutboxDelivery[]> {
  const rows = await q.all<DeliveryRow>(
    `SELECT * FROM "OutboxDelivery" WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ?
     ORDER BY "nextAttemptAt", "id" LIMIT ?`,
    now,
    limit,
  );
  return rows.map(readDelivery);
}

export async function findDelivery(q: SqlReader, id: string): Promise<OutboxDelivery | null> {
  const row = await q.get<DeliveryRow>('SELECT * FROM "OutboxDelivery" WHERE "id" = ?', id);
  return row ? readDelivery(row) : null;
}

/**
 * Claims a due delivery for one try (see above) and opens the try's row in the delivery log. Returns the try's
 * number, or null when another process claimed it first or it is no longer pending.
 */
export async function claimDelivery(
  tx: SqlTx,
  delivery: OutboxDelivery,
  claimUntil: Date,
  now: Date,
): Promise<number | null> {
  const claimed = await tx.run(
    `UPDATE "OutboxDelivery" SET "nextAttemptAt" = ?, "attempts" = "attempts" + 1, "updatedAt" = ?
     WHERE "id" = ? AND "status" = 'PENDING' AND "nextAttemptAt" = ?`,
    claimUntil,
    now,
    delivery.id,
    delivery.nextAttemptAt,
  );
  if (claimed !== 1) return null;
  const number = delivery.attempts + 1;
  await tx.insert('DeliveryAttempt', {
    id: newId(),
    deliveryId: delivery.id,
    number,
    startedAt: now,
    finishedAt: null,
    statusCode: null,
    durationMs: null,
    outcome: null,
    error: null,
    responseBody: null,
  });
  return number;
}

export interface AttemptOutcome {
  outcome: 'ok' | 'http-error' | 'network-error' | 'timeout' | 'refused' | 'not-agreed';
  statusCode?: number | null;
  durationMs: number;
  error?: string | null;
  responseBody?: string | null;
}

/** Closes a try's row in the delivery log. */
export async function finishAttempt(
  tx: SqlTx,
  deliveryId: string,
  number: number,
  result: AttemptOutcome,
  now: Date,
): Promise<void> {
  await tx.run(
    `UPDATE "DeliveryAttempt" SET "finishedAt" = ?, "statusCode" = ?, "durationMs" = ?, "outcome" = ?, "error" = ?,
       "responseBody" = ?
     WHERE "deliveryId" = ? AND "number" = ?`,
    now,
    result.statusCode ?? null,
    Math.round(result.durationMs),
    result.outcome,
    result.error ?? null,
    result.responseBody ?? null,
    deliveryId,
    number,
  );
}

/**
 * Ends a pending delivery's try: DELIVERED, FAILED or SKIPPED, or (status PENDING) due again at `nextAttemptAt`.
 * Guarded by the try's number, so a try whose claim ran out and was taken over by another process changes nothing
 * of the newer try. Returns whether it changed the row.
 */
export async function settleDelivery(
  tx: SqlTx,
  deliveryId: string,
  attempt: number,
  to: DeliveryStatus,
  fields: { nextAttemptAt?: Date; lastError?: string | null },
  now: Date,
): Promise<boolean> {
  if (to === 'PENDING') {
    const changed = await tx.run(
      `UPDATE "OutboxDelivery" SET "nextAttemptAt" = ?, "lastError" = ?, "updatedAt" = ?
       WHERE "id" = ? AND "status" = 'PENDING' AND "attempts" = ?`,
      fields.nextAttemptAt ?? now,
      fields.lastError ?? null,
      now,
      deliveryId,
      attempt,
    );
    return changed === 1;
  }
  const set: Record<string, SqlParam> = { lastError: fields.lastError ?? null };
  if (to === 'DELIVERED') set.deliveredAt = now;
  const current = await tx.get<{ attempts: number }>(
    `SELECT "attempts" FROM "OutboxDelivery" WHERE "id" = ?${tx.dialect.forUpdate}`,
    deliveryId,
  );
  if (!current || Number(current.attempts) !== attempt) return false;
  return guardedTransition(tx, DELIVERY_MACHINE, { id: deliveryId, from: ['PENDING'], to, set, now });
}

/** An owner's "send again": a delivered or failed delivery is due now, with a fresh window. */
export async function resendDelivery(tx: SqlTx, deliveryId: string, now: Date): Promise<boolean> {
  return guardedTransition(tx, DELIVERY_MACHINE, {
    id: deliveryId,
    from: ['DELIVERED', 'FAILED'],
    to: 'PENDING',
    set: { nextAttemptAt: now, deliveredAt: null, lastError: null, roundStartedAt: now },
    now,
  });
}
