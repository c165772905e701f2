import type { OrderStatus } from '@shop/contract';
import { newId, type Order, type OrderEvent, type Prisma, type SyncTx } from '@shop/db';
import type { Tx } from '../../db';
import { assertTransition } from './state';

/*
 * Two executors of one set of rules: `transitionOrder` / `recordOrderEvent` inside a Prisma transaction (cancel,
 * expiry, refunds, the admin), and `transitionOrderSync` / `recordOrderEventSync` / `recordOrderCreated` inside a
 * synchronous `sqlite(db)` transaction (order placement and applying a payment, the paths the benchmark measured).
 * What an event row holds (`eventRow`) and when a status may change (`mayLeave`) are written once, here.
 */

export type ActorType = 'user' | 'admin' | 'system' | 'alipay';

export interface OrderEventInput {
  type: string;
  actorType: ActorType;
  actorId?: string | null;
  reason?: string;
  data?: Record<string, unknown>;
}

/** The columns of an OrderEvent row, whichever way it is written. */
function eventRow(
  orderId: string,
  event: OrderEventInput,
  fromStatus: OrderStatus | null,
  toStatus: OrderStatus | null,
): Omit<OrderEvent, 'id' | 'createdAt'> {
  return {
    orderId,
    type: event.type,
    fromStatus,
    toStatus,
    actorType: event.actorType,
    actorId: event.actorId ?? null,
    reason: event.reason ?? '',
    dataJson: JSON.stringify(event.data ?? {}),
  };
}

/** Writes an order event that is not a status change (payment started, refund requested, notify rejected ...). */
export async function recordOrderEvent(tx: Tx, orderId: string, event: OrderEventInput): Promise<void> {
  await tx.orderEvent.create({ data: eventRow(orderId, event, null, null) });
}

/** recordOrderEvent inside a synchronous transaction; returns the row as written. */
export function recordOrderEventSync(
  tx: SyncTx,
  orderId: string,
  event: OrderEventInput,
  statuses: { from: OrderStatus | null; to: OrderStatus | null } = { from: null, to: null },
  at: Date = new Date(),
): OrderEvent {
  const row: OrderEvent = {
    id: newId(),
    ...eventRow(orderId, event, statuses.from, statuses.to),
    createdAt: at,
  };
  tx.insert('OrderEvent', row);
  return row;
}

/**
 * The first event of every order. An order is born PENDING_PAYMENT, so there is no transition to guard; the event
 * (toStatus PENDING_PAYMENT, fromStatus null) starts its timeline. Written in the transaction that inserts the order;
 * returns what the order's timeline shows of it.
 */
export function recordOrderCreated(
  tx: SyncTx,
  orderId: string,
  actor: { actorType: ActorType; actorId?: string | null },
  data: Record<string, unknown> = {},
  at: Date = new Date(),
): { type: string; toStatus: OrderStatus | null; reason: string; createdAt: Date } {
  const row = recordOrderEventSync(
    tx,
    orderId,
    { type: 'CREATED', actorType: actor.actorType, actorId: actor.actorId ?? null, reason: '', data },
    { from: null, to: 'PENDING_PAYMENT' },
    at,
  );
  return { type: row.type, toStatus: row.toStatus, reason: row.reason, createdAt: row.createdAt };
}

export interface TransitionInput {
  orderId: string;
  /** The statuses this change may start from; anything else makes it a no-op. */
  from: readonly OrderStatus[];
  to: OrderStatus;
  event: OrderEventInput;
  /** Other columns written in the same guarded update (paidAt, closedAt ...). */
  set?: Prisma.OrderUpdateManyMutationInput;
}

export type TransitionResult =
  { changed: true; from: OrderStatus } | { changed: false; current: OrderStatus | null };

/**
 * The one way an order's status changes: inside the caller's transaction, a guarded update
 * (`WHERE id = ? AND status = <current>`) whose row count is checked, plus an OrderEvent row. Returns
 * `changed: false` (and writes nothing) when the order is not in one of the `from` statuses, so a repeated notify or
 * a second concurrent cancel is a no-op rather than an error; the caller decides what that means.
 */
export async function transitionOrder(tx: Tx, input: TransitionInput): Promise<TransitionResult> {
  const order = await tx.order.findUnique({ where: { id: input.orderId }, select: { status: true } });
  if (!order) return { changed: false, current: null };
  const current: OrderStatus = order.status;
  if (!mayLeave(current, input)) return { changed: false, current };
  const { count } = await tx.order.updateMany({
    where: { id: input.orderId, status: current },
    data: { ...input.set, status: input.to },
  });
  if (count !== 1) return { changed: false, current };
  await tx.orderEvent.create({ data: eventRow(input.orderId, input.event, current, input.to) });
  return { changed: true, from: current };
}

/** Whether an order in `current` takes this change: a no-op outside `from`, an error if the table forbids it. */
function mayLeave(current: OrderStatus, input: { from: readonly OrderStatus[]; to: OrderStatus }): boolean {
  if (!input.from.includes(current)) return false;
  assertTransition(current, input.to);
  return true;
}

/** The Order columns a synchronous transition may write beside the status. */
export type SyncTransitionSet = Partial<
  Pick<Order, 'paidAt' | 'shippedAt' | 'completedAt' | 'closedAt' | 'closeReason' | 'carrier' | 'trackingNo'>
>;

/** transitionOrder inside a synchronous transaction: the same guarded update and event, the same result. */
export function transitionOrderSync(
  tx: SyncTx,
  input: Omit<TransitionInput, 'set'> & { set?: SyncTransitionSet },
): TransitionResult {
  const order = tx.get<{ status: OrderStatus }>('SELECT "status" FROM "Order" WHERE "id" = ?', input.orderId);
  if (!order) return { changed: false, current: null };
  const current = order.status;
  if (!mayLeave(current, input)) return { changed: false, current };
  const now = new Date();
  // Column names come from SyncTransitionSet's keys (this code), never from input.
  const set = Object.entries(input.set ?? {});
  const changed = tx.run(
    `UPDATE "Order" SET "status" = ?, "updatedAt" = ?${set.map(([column]) => `, "${column}" = ?`).join('')}
     WHERE "id" = ? AND "status" = ?`,
    input.to,
    now,
    ...set.map(([, value]) => value ?? null),
    input.orderId,
    current,
  );
  if (changed !== 1) return { changed: false, current };
  recordOrderEventSync(tx, input.orderId, input.event, { from: current, to: input.to }, now);
  return { changed: true, from: current };
}
