import { MAX_ORDER_LINES, type OrderCreateBody, type OrderView } from '@shop/contract';
import type { Order } from '@shop/db';
import { inTransaction, type Tx } from '../../db';
import { AppError, notFound } from '../../http/errors';
import { getCart } from '../cart/service';
import { parseDimensions, parseImagePaths, parseSpecValues, specTextOf } from '../catalog/specs';
import { closeOrderWithTrade } from '../payment/close.service';
import type { PaymentDeps } from '../payment/settings';
import { findReplay, isUniqueViolation, requestHash } from './idempotency';
import { newOrderNo } from './order-no';
import { closePendingOrder, reserveStock, type StockLine } from './stock';
import { recordOrderCreated } from './transition';
import { getOrderView, ITEM_SELECT, orderViewOf, type OrderReadDeps, type OrderViewRow } from './view';

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

/** Alipay refuses some characters in `subject` ("/", "=", "&"); its limit is 256 characters, we keep well inside. */
const SUBJECT_MAX = 128;

function subjectFor(items: ReadonlyArray<{ title: string; quantity: number }>): string {
  const first = items[0]!.title;
  const units = items.reduce((sum, item) => sum + item.quantity, 0);
  const text = items.length > 1 ? `${first}等${units}件` : first;
  return [...text.replace(/[/=&]/g, ' ')].slice(0, SUBJECT_MAX).join('');
}

/**
 * Places an order. Everything happens in one transaction: the address and every SKU are checked, stock is reserved
 * by guarded decrements, the order is written with its item snapshots (title, spec, image, price, all read from the
 * database: the client sends only SKU ids and quantities), the CREATED event, the Idempotency-Key row, and for
 * `fromCart` the ordered lines leave the cart. Any failure rolls all of it back.
 *
 * Concurrent requests with one Idempotency-Key: the key row is inserted in the same transaction, so its primary key
 * decides. Inside one process transactions queue on the connection and the second sees the first's row when it
 * looks; across processes the loser's insert fails on the key, its transaction (and its stock reservation) rolls
 * back, and it answers with the winner's order.
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
    outcome = await inTransaction(deps.db, async (tx) => {
      // The one look for an earlier order with this key. A second look before the transaction would spare a replay
      // the write lock, but costs every new order a round trip, and replays are the rare case.
      if (key) {
        const earlier = await findReplay(tx, userId, key, hash);
        if (earlier) return { orderId: earlier, replayed: true as const };
      }
      const order = await placeOrder(tx, deps, userId, input.body);
      if (key)
        await tx.idempotencyKey.create({ data: { userId, key, requestHash: hash, orderId: order.id } });
      return { orderId: order.id, replayed: false, order };
    });
  } catch (error) {
    if (key && isUniqueViolation(error, 'IdempotencyKey')) {
      const earlier = await findReplay(deps.db, userId, key, hash);
      if (earlier) return replay(earlier);
    }
    throw error;
  }
  if (outcome.replayed) return replay(outcome.orderId);
  // The view comes from the rows the transaction wrote: reading them back would cost three more round trips.
  return { order: orderViewOf(deps.cipher, outcome.order), created: true };
}

/**
 * The lines to order. `fromCart` takes the selected lines the cart shows as available, by the cart's own rule, so the
 * order holds exactly what the cart's total counted; an unavailable line (sold out, off sale, short of stock) stays
 * in the cart for the shopper to see.
 */
async function orderLines(tx: Tx, userId: string, body: OrderCreateBody): Promise<StockLine[]> {
  if (!('fromCart' in body)) return body.items;
  const cart = await getCart(tx, userId);
  const selected = cart.items
    .filter((line) => line.selected && line.available)
    .map((line) => ({ skuId: line.skuId, quantity: line.quantity }));
  if (selected.length === 0) {
    const unavailable = cart.items.some((line) => line.selected && !line.available);
    throw new AppError(
      'CART_EMPTY',
      unavailable ? 'None of the selected items can be ordered now' : 'Select at least one item in the cart',
    );
  }
  if (selected.length > MAX_ORDER_LINES) {
    throw new AppError('VALIDATION_ERROR', `An order holds at most ${MAX_ORDER_LINES} different items`, {
      details: { fields: [{ path: 'cart', message: `select at most ${MAX_ORDER_LINES} lines` }] },
    });
  }
  return selected;
}

/** Writes the order and returns its rows as written; the caller owns the transaction. */
async function placeOrder(
  tx: Tx,
  deps: OrderDeps,
  userId: string,
  body: OrderCreateBody,
): Promise<OrderViewRow> {
  const address = await tx.address.findFirst({
    where: { id: body.addressId, userId, deletedAt: null },
    select: {
      name: true,
      phoneCipher: true,
      province: true,
      city: true,
      district: true,
      detailCipher: true,
    },
  });
  if (!address) throw notFound('Address');

  const lines = await orderLines(tx, userId, body);
  const skus = await tx.sku.findMany({
    where: { id: { in: lines.map((l) => l.skuId) } },
    select: {
      id: true,
      priceFen: true,
      specsJson: true,
      product: { select: { id: true, title: true, status: true, imagesJson: true, specsJson: true } },
    },
  });
  const byId = new Map(skus.map((sku) => [sku.id, sku]));
  const items = lines.map((line) => {
    const sku = byId.get(line.skuId);
    if (!sku) throw new AppError('NOT_FOUND', 'SKU not found', { details: { skuId: line.skuId } });
    if (sku.product.status !== 'PUBLISHED') {
      throw new AppError('PRODUCT_UNAVAILABLE', `${sku.product.title} is no longer on sale`, {
        details: { skuId: sku.id, productId: sku.product.id },
      });
    }
    return {
      skuId: sku.id,
      productId: sku.product.id,
      title: sku.product.title,
      specText: specTextOf(parseSpecValues(sku.specsJson), parseDimensions(sku.product.specsJson)),
      imagePath: parseImagePaths(sku.product.imagesJson)[0] ?? '',
      unitPriceFen: sku.priceFen,
      quantity: line.quantity,
      lineTotalFen: sku.priceFen * line.quantity,
    };
  });

  await reserveStock(tx, lines);

  const itemsFen = items.reduce((sum, item) => sum + item.lineTotalFen, 0);
  // Shipping is free in this shop; the column exists so a delivery fee can be added without changing the model.
  const shippingFen = 0;
  const now = new Date();
  const data = {
    userId,
    subject: subjectFor(items),
    itemsFen,
    shippingFen,
    totalFen: itemsFen + shippingFen,
    expiresAt: new Date(now.getTime() + deps.orderTtlMs),
    // The snapshot keeps the address's ciphertexts as they are: the plain text never passes through here.
    shipName: address.name,
    shipPhoneCipher: address.phoneCipher,
    shipProvince: address.province,
    shipCity: address.city,
    shipDistrict: address.district,
    shipDetailCipher: address.detailCipher,
    buyerNote: body.note ?? '',
    createdAt: now,
  };
  let order: Order | undefined;
  for (let attempt = 1; order === undefined; attempt++) {
    try {
      order = await tx.order.create({ data: { ...data, orderNo: newOrderNo(now) } });
    } catch (error) {
      // Six random digits per second make a collision rare; the unique index makes it harmless: draw again.
      if (attempt >= 5 || !isUniqueViolation(error, 'Order', 'orderNo')) throw error;
    }
  }
  const orderId = order.id;
  // One create per line, returning what the view shows: a nested `items: { create }` adds a read-back of the order,
  // and createMany(AndReturn) costs the Prisma client more per call than a plain create (the benchmark's profile).
  const written = [];
  for (const item of items) {
    written.push(
      await tx.orderItem.create({ data: { ...item, orderId }, select: { id: true, ...ITEM_SELECT } }),
    );
  }
  const created = await recordOrderCreated(
    tx,
    orderId,
    { actorType: 'user', actorId: userId },
    { totalFen: data.totalFen },
  );
  if ('fromCart' in body) {
    await tx.cartItem.deleteMany({ where: { userId, skuId: { in: lines.map((l) => l.skuId) } } });
  }
  return { ...order, items: written, events: [created] };
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
  await inTransaction(deps.db, async (tx) => {
    const order = await tx.order.findFirst({
      where: { id: input.orderId, userId: input.userId },
      select: { status: true },
    });
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
