import type { EventType } from '@shop/contract';
import { newId, type OutboxEvent, type SqlTx } from '@shop/db';

/**
 * The outbox's one way in (DESIGN.md, "Telling people"): a fact worth telling is written as an OutboxEvent row in
 * the transaction of the change that causes it, so the event exists exactly when the change does (a rolled-back
 * change leaves no event, a committed one cannot lose its event). The delivery worker (worker.ts) sends it on.
 */

export interface EventInput {
  type: EventType;
  /** The order it is about; its shopper becomes the event's userId (their messages). */
  orderId?: string;
  data: Record<string, unknown>;
}

/** A new event id: receivers drop repeats by it. */
export function newEventId(): string {
  return `evt_${newId()}`;
}

/**
 * Writes an event inside the caller's sql() transaction, in one statement: an order's event takes the order's
 * shopper from the order's row as it is written. Returns the event id.
 */
export async function emitEvent(tx: SqlTx, input: EventInput, at: Date = new Date()): Promise<string> {
  const id = newEventId();
  const dataJson = JSON.stringify(input.data);
  if (input.orderId) {
    const written = await tx.run(
      `INSERT INTO "OutboxEvent" ("id", "type", "orderId", "userId", "dataJson", "createdAt")
       SELECT ?, ?, "id", "userId", ?, ? FROM "Order" WHERE "id" = ?`,
      id,
      input.type,
      dataJson,
      at,
      input.orderId,
    );
    if (written !== 1) throw new Error(`no order ${input.orderId} for the event ${input.type}`);
    return id;
  }
  await tx.insert('OutboxEvent', outboxEventRow(id, input, at));
  return id;
}

/** The row of an event that is about no order (reconciliation), for a Prisma transaction's create. */
export function outboxEventRow(id: string, input: EventInput, at: Date): OutboxEvent {
  return {
    id,
    type: input.type,
    orderId: input.orderId ?? null,
    userId: null,
    dataJson: JSON.stringify(input.data),
    createdAt: at,
    dispatchedAt: null,
  };
}
