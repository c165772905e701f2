import type { OrderStatus } from '@shop/contract';
import type { Prisma } from '@shop/db';
import type { Tx } from '../../db';
import { assertTransition } from './state';

export type ActorType = 'user' | 'admin' | 'system' | 'alipay';

export interface OrderEventInput {
  type: string;
  actorType: ActorType;
  actorId?: string | null;
  reason?: string;
  data?: Record<string, unknown>;
}

/** Writes an order event that is not a status change (payment started, refund requested, notify rejected ...). */
export async function recordOrderEvent(tx: Tx, orderId: string, event: OrderEventInput): Promise<void> {
  await tx.orderEvent.create({
    data: {
      orderId,
      type: event.type,
      actorType: event.actorType,
      actorId: event.actorId ?? null,
      reason: event.reason ?? '',
      dataJson: JSON.stringify(event.data ?? {}),
    },
  });
}

/**
 * The first event of every order. An order is born PENDING_PAYMENT, so there is no transition to guard; the event
 * (toStatus PENDING_PAYMENT, fromStatus null) starts its timeline. Written in the transaction that inserts the order;
 * returns what the order's timeline shows of it.
 */
export async function recordOrderCreated(
  tx: Tx,
  orderId: string,
  actor: { actorType: ActorType; actorId?: string | null },
  data: Record<string, unknown> = {},
): Promise<{ type: string; toStatus: OrderStatus | null; reason: string; createdAt: Date }> {
  return tx.orderEvent.create({
    select: { type: true, toStatus: true, reason: true, createdAt: true },
    data: {
      orderId,
      type: 'CREATED',
      fromStatus: null,
      toStatus: 'PENDING_PAYMENT',
      actorType: actor.actorType,
      actorId: actor.actorId ?? null,
      reason: '',
      dataJson: JSON.stringify(data),
    },
  });
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
  if (!input.from.includes(current)) return { changed: false, current };
  assertTransition(current, input.to);
  const { count } = await tx.order.updateMany({
    where: { id: input.orderId, status: current },
    data: { ...input.set, status: input.to },
  });
  if (count !== 1) return { changed: false, current };
  await tx.orderEvent.create({
    data: {
      orderId: input.orderId,
      type: input.event.type,
      fromStatus: current,
      toStatus: input.to,
      actorType: input.event.actorType,
      actorId: input.event.actorId ?? null,
      reason: input.event.reason ?? '',
      dataJson: JSON.stringify(input.event.data ?? {}),
    },
  });
  return { changed: true, from: current };
}
