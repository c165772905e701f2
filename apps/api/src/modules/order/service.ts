import type { OrderCreateBody, OrderStatus, OrderView } from '@shop/contract';
import type { IdempotencyKey } from '@shop/db';
import { sql } from '../../db';
import { AppError, notFound } from '../../errors';
import { countOrderCreated } from '../../lib/metrics';
import { closeOrderWithTrade } from '../payment/close.service';
import type { PaymentDeps } from '../payment/settings';
import { findReplay, requestHash } from './idempotency';
import { placeOrder } from './place';
import { closePendingOrder } from './stock';
import { getOrderView, orderViewOf, type OrderReadDeps, type OrderViewRow } from './view';

export interface OrderDeps extends OrderReadDeps {
  /** How long an order waits for payment before it is closed (ORDER_TTL_MS). */
  orderTtlMs: number;
}

export interface CreateOrderInput {
  userId: string;
  body: OrderCreateBody;
  /** The Idempotency-Key header, already validated; null when the client sent none. */
  idempotencyKey: string | null;
}

/** `created: false` when an Idempotency-Key replayed an earlier order (the route answers 200 instead of 201). */
export interface CreateOrderResult {
  order: OrderView;
  created: boolean;
}

/** Another request with the same Idempotency-Key committed first: this transaction rolls back and answers with it. */
class KeyTaken extends Error {
  override readonly name = 'KeyTaken';
}

/**
 * Places an order. Everything happens in one sql() transaction: the address and every SKU are checked, stock is
 * reserved by guarded decrements, the order is written with its item snapshots (title, spec, image, price, all read
 * from the database: the client sends only SKU ids and quantities), the CREATED event, the Idempotency-Key row, and
 * for `fromCart` the ordered lines leave the cart. Any failure rolls all of it back. This is the benchmark's checkout
 * path (placeOrder, place.ts).
 *
 * Concurrent requests with one Idempotency-Key: the key row is inserted in the same transaction, so its primary key
 * decides. On SQLite transactions run one at a time and the second sees the first's row when it looks; on
 * PostgreSQL the second's insert waits for the first to commit and then finds the key taken, so its transaction
 * (and its stock reservation) rolls back and it answers with the winner's order.
 */
export async function createOrder(deps: OrderDeps, input: CreateOrderInput): Promise<CreateOrderResult> {
  const { userId, idempotencyKey: key } = input;
  const hash = key ? requestHash(input.body) : '';
  const replay = async (orderId: string): Promise<CreateOrderResult> => ({
    order: await getOrderView(deps, userId, orderId),
    created: false,
  });

  let outcome:
    { orderId: string; replayed: true } | { orderId: string; replayed: false; order: OrderViewRow };
  try {
    outcome = await sql(deps.db).transaction(async (tx) => {
      // The one look for an earlier order with this key. A second look before the transaction would spare a replay
      // the write lock, but costs every new order a round trip, and replays are the rare case.
      if (key) {
        const earlier = await findReplay(tx, userId, key, hash);
        if (earlier) return { orderId: earlier, replayed: true as const };
      }
      const order = await placeOrder(tx, deps, userId, input.body);
      if (key) {
        const row: IdempotencyKey = {
          userId,
          key,
          requestHash: hash,
          orderId: order.id,
          createdAt: order.createdAt,
        };
        if ((await tx.insert('IdempotencyKey', row, { onConflictDoNothing: ['userId', 'key'] })) !== 1) {
          throw new KeyTaken();
        }
      }
      return { orderId: order.id, replayed: false as const, order };
    });
  } catch (error) {
    if (key && error instanceof KeyTaken) {
      const earlier = await sql(deps.db).read((q) => findReplay(q, userId, key, hash));
      if (earlier) return replay(earlier);
    }
    throw error;
  }
  if (outcome.replayed) return replay(outcome.orderId);
  countOrderCreated();
  // The view comes from the rows the transaction wrote: reading them back would cost three more round trips.
  return { order: orderViewOf(deps.cipher, outcome.order), created: true };
}

export interface CancelOrderInput {
  userId: string;
  orderId: string;
}

/** Shown on the order and its timeline. */
export const BUYER_CANCEL_REASON = '买家取消订单';

/**
 * The buyer cancels an order that is waiting for payment: it closes and its stock returns, exactly once, through
 * closePendingOrder's guarded transition (a second concurrent cancel, or the expiry job, finds it no longer pending
 * and changes nothing). Cancelling an order that is already closed answers with the order (the buyer's wish holds);
 * cancelling one that is paid, shipped, completed or refunded is 409 ORDER_STATE_CONFLICT.
 *
 * An order with a payment may have a payable Alipay trade: the trade is closed at Alipay first (closeOrderWithTrade),
 * so the buyer cannot pay a cancelled order. If Alipay says it was paid meanwhile, the order becomes PAID and the
 * cancel is 409 ALREADY_PAID; if Alipay's answer is unknown, nothing changes and the cancel is a retryable 503.
 */
export async function cancelOrder(
  deps: OrderReadDeps & PaymentDeps,
  input: CancelOrderInput,
): Promise<OrderView> {
  const owned = await deps.db.order.findFirst({
    where: { id: input.orderId, userId: input.userId },
    select: { status: true, payment: { select: { id: true } } },
  });
  if (!owned) throw notFound('Order');
  if (owned.payment && owned.status === 'PENDING_PAYMENT') {
    const closed = await closeOrderWithTrade(deps, input.orderId, {
      reason: BUYER_CANCEL_REASON,
      actorType: 'user',
      actorId: input.userId,
      eventType: 'CANCELLED',
    });
    if (closed.result === 'paid') {
      throw new AppError('ALREADY_PAID', 'This order has just been paid and can no longer be cancelled');
    }
    if (closed.result === 'unknown') {
      throw new AppError(
        'PAYMENT_OUTCOME_UNKNOWN',
        'Alipay could not confirm the payment is closed; try again',
        {
          details: { retryable: true },
        },
      );
    }
  }
  await sql(deps.db).transaction(async (tx) => {
    const order = await tx.get<{ status: OrderStatus }>(
      'SELECT "status" FROM "Order" WHERE "id" = ? AND "userId" = ?',
      input.orderId,
      input.userId,
    );
    if (!order) throw notFound('Order');
    if (order.status === 'CLOSED') return;
    const result = await closePendingOrder(tx, input.orderId, {
      reason: BUYER_CANCEL_REASON,
      actorType: 'user',
      actorId: input.userId,
      type: 'CANCELLED',
    });
    if (!result.changed && result.current !== 'CLOSED') {
      throw new AppError('ORDER_STATE_CONFLICT', 'Only an order waiting for payment can be cancelled', {
        details: { status: result.current },
      });
    }
  });
  return getOrderView(deps, input.userId, input.orderId);
}
