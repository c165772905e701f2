import type { OrderStatus } from '@shop/contract';
import { newId, type Order, type OrderEvent, type SqlTx } from '@shop/db';
import { guardedTransition } from '../../lib/state-machine';
import { ORDER_MACHINE } from './state';

/*
 * The one way an order's status changes and the one way its events are written, inside the caller's sql()
 * transaction, on either engine: placing an order, applying a payment, closing, refunding and the admin's actions all
 * come through here.
 */

export type ActorType = 'user' | 'admin' | 'system' | 'alipay';

export interface OrderEventInput {
  type: string;
  actorType: ActorType;
  actorId?: string | null;
  reason?: string;
  data?: Record<string, unknown>;
}

/**
 * Writes an order event (a status change when `statuses` says so; otherwise a fact such as payment started or refund
 * requested) and returns the row as written.
 */
export async function recordOrderEvent(
  tx: SqlTx,
  orderId: string,
  event: OrderEventInput,
  statuses: { from: OrderStatus | null; to: OrderStatus | null } = { from: null, to: null },
  at: Date = new Date(),
): Promise<OrderEvent> {
  const row: OrderEvent = {
    id: newId(),
    orderId,
    type: event.type,
    fromStatus: statuses.from,
    toStatus: statuses.to,
    actorType: event.actorType,
    actorId: event.actorId ?? null,
    reason: event.reason ?? '',
    dataJson: JSON.stringify(event.data ?? {}),
    createdAt: at,
  };
  await tx.insert('OrderEvent', row);
  return row;
}

/**
 * The first event of every order. An order is born PENDING_PAYMENT, so there is no transition to guard; the event
 * (toStatus PENDING_PAYMENT, fromStatus null) starts its timeline. Written in the transaction that inserts the order;
 * returns what the order's timeline shows of it.
 */
export async function recordOrderCreated(
  tx: SqlTx,
  orderId: string,
  actor: { actorType: ActorType; actorId?: string | null },
  data: Record<string, unknown> = {},
  at: Date = new Date(),
): Promise<{ type: string; toStatus: OrderStatus | null; reason: string; createdAt: Date }> {
  const row = await recordOrderEvent(
    tx,
    orderId,
    { type: 'CREATED', actorType: actor.actorType, actorId: actor.actorId ?? null, reason: '', data },
    { from: null, to: 'PENDING_PAYMENT' },
    at,
  );
  return { type: row.type, toStatus: row.toStatus, reason: row.reason, createdAt: row.createdAt };
}

/**
 * Locks an order's row for the rest of the transaction and returns its status (null when there is none). Money
 * transactions that touch an order and its payment or refunds take the order first, so on PostgreSQL two of them on
 * one order queue instead of deadlocking, and each sees what the other committed; on SQLite the transaction holds
 * the database's write lock already.
 */
export async function lockOrder(tx: SqlTx, orderId: string): Promise<OrderStatus | null> {
  const row = await tx.get<{ status: OrderStatus }>(
    `SELECT "status" FROM "Order" WHERE "id" = ?${tx.dialect.forUpdate}`,
    orderId,
  );
  return row?.status ?? null;
}

/** The Order columns a transition may write beside the status. */
export type OrderTransitionSet = Partial<
  Pick<Order, 'paidAt' | 'shippedAt' | 'completedAt' | 'closedAt' | 'closeReason' | 'carrier' | 'trackingNo'>
>;

export interface TransitionInput {
  orderId: string;
  /** The statuses this change may start from; anything else makes it a no-op. */
  from: readonly OrderStatus[];
  to: OrderStatus;
  event: OrderEventInput;
  /** Other columns written in the same guarded update (paidAt, closedAt ...). */
  set?: OrderTransitionSet;
  /**
   * The order's status as this transaction read it with the row locked (lockOrder's lock, or forUpdateOf on a join),
   * so the first look is not read again. The guarded update still checks it.
   */
  locked?: OrderStatus;
}

export type TransitionResult =
  { changed: true; from: OrderStatus } | { changed: false; current: OrderStatus | null };

/**
 * An order's status changes: a guarded update (`WHERE id = ? AND status = <current>`, ORDER_MACHINE) whose row count
 * is checked, plus an OrderEvent row. Returns `changed: false` (and writes nothing) when the order is not in one of the
 * `from` statuses, so a repeated notify or a second concurrent cancel is a no-op rather than an error; the caller
 * decides what that means. The status is read with a row lock (PostgreSQL), so a concurrent change waits for this
 * transaction or is seen by it; the guarded update stays the last word, and should it ever find the row moved, the
 * status is read again, so `current` is never stale.
 */
export async function transitionOrder(tx: SqlTx, input: TransitionInput): Promise<TransitionResult> {
  let locked = input.locked;
  for (;;) {
    const current = locked ?? (await lockOrder(tx, input.orderId));
    locked = undefined;
    if (current === null) return { changed: false, current: null };
    if (!input.from.includes(current)) return { changed: false, current };
    const now = new Date();
    const moved = await guardedTransition(tx, ORDER_MACHINE, {
      id: input.orderId,
      from: [current],
      to: input.to,
      set: input.set ?? {},
      now,
    });
    if (moved) {
      await recordOrderEvent(tx, input.orderId, input.event, { from: current, to: input.to }, now);
      return { changed: true, from: current };
    }
  }
}
