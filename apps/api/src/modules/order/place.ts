import { MAX_ORDER_LINES, type OrderCreateBody } from '@shop/contract';
import { newId, type Order, type OrderItem, type ProductStatus, type SqlTx } from '@shop/db';
import { AppError, notFound } from '../../errors';
import { unavailableReason } from '../cart/service';
import { parseDimensions, parseImagePaths, parseSpecValues, specTextOf } from '../catalog/specs';
import { newOrderNo } from './order-no';
import { reserveStock, type StockLine } from './stock';
import { recordOrderCreated } from './transition';
import type { OrderViewRow } from './view';

/*
 * Placing an order, inside one sql() transaction (the caller, createOrder, owns it), on either engine. This is the
 * shop's hottest write: through the Prisma client its dozen statements cost 5-7 ms of CPU per order, here well under
 * one (bench/README.md). The SQL is plain and every row is written whole, as Prisma would write it.
 */

/** Alipay refuses some characters in `subject` ("/", "=", "&"); its limit is 256 characters, we keep well inside. */
const SUBJECT_MAX = 128;

function subjectFor(items: ReadonlyArray<{ title: string; quantity: number }>): string {
  const first = items[0]!.title;
  const units = items.reduce((sum, item) => sum + item.quantity, 0);
  const text = items.length > 1 ? `${first}等${units}件` : first;
  return [...text.replace(/[/=&]/g, ' ')].slice(0, SUBJECT_MAX).join('');
}

/**
 * The lines to order. `fromCart` takes the selected lines the cart shows as available, by the cart's own rule
 * (`unavailableReason`, shared with getCart), in the cart's order, so the order holds exactly what the cart's total
 * counted; an unavailable line (sold out, off sale, short of stock) stays in the cart for the shopper to see.
 */
async function orderLines(tx: SqlTx, userId: string, body: OrderCreateBody): Promise<StockLine[]> {
  if (!('fromCart' in body)) return body.items;
  const selected = await tx.all<{ skuId: string; quantity: number; stock: number; status: ProductStatus }>(
    `SELECT c."skuId", c."quantity", s."stock", p."status"
     FROM "CartItem" c JOIN "Sku" s ON s."id" = c."skuId" JOIN "Product" p ON p."id" = s."productId"
     WHERE c."userId" = ? AND c."selected" = ?
     ORDER BY c."createdAt" DESC, c."id" DESC`,
    userId,
    true,
  );
  const lines = selected
    .filter((line) => unavailableReason(line.status, line.stock, line.quantity) === null)
    .map((line) => ({ skuId: line.skuId, quantity: line.quantity }));
  if (lines.length === 0) {
    throw new AppError(
      'CART_EMPTY',
      selected.length > 0
        ? 'None of the selected items can be ordered now'
        : 'Select at least one item in the cart',
    );
  }
  if (lines.length > MAX_ORDER_LINES) {
    throw new AppError('VALIDATION_ERROR', `An order holds at most ${MAX_ORDER_LINES} different items`, {
      details: { fields: [{ path: 'cart', message: `select at most ${MAX_ORDER_LINES} lines` }] },
    });
  }
  return lines;
}

interface SkuForOrder {
  id: string;
  priceFen: number;
  specsJson: string;
  productId: string;
  title: string;
  status: ProductStatus;
  imagesJson: string;
  productSpecsJson: string;
}

/**
 * Writes the order and returns its rows as written. Checks come first and in this order, each refusing the whole
 * order: the address (the buyer's own, not deleted), each line's SKU (unknown: NOT_FOUND) and product (not on sale:
 * PRODUCT_UNAVAILABLE), then the stock (OUT_OF_STOCK), taken after the rows are written. Prices, titles and pictures come from the database.
 */
export async function placeOrder(
  tx: SqlTx,
  settings: { orderTtlMs: number },
  userId: string,
  body: OrderCreateBody,
): Promise<OrderViewRow> {
  const address = await tx.get<{
    name: string;
    phoneCipher: string;
    province: string;
    city: string;
    district: string;
    detailCipher: string;
  }>(
    `SELECT "name", "phoneCipher", "province", "city", "district", "detailCipher" FROM "Address"
     WHERE "id" = ? AND "userId" = ? AND "deletedAt" IS NULL`,
    body.addressId,
    userId,
  );
  if (!address) throw notFound('Address');

  const lines = await orderLines(tx, userId, body);
  const items = [];
  for (const line of lines) {
    const sku = await tx.get<SkuForOrder>(
      `SELECT s."id", s."priceFen", s."specsJson", p."id" AS "productId", p."title", p."status", p."imagesJson",
              p."specsJson" AS "productSpecsJson"
       FROM "Sku" s JOIN "Product" p ON p."id" = s."productId" WHERE s."id" = ?`,
      line.skuId,
    );
    if (!sku) throw new AppError('NOT_FOUND', 'SKU not found', { details: { skuId: line.skuId } });
    if (sku.status !== 'PUBLISHED') {
      throw new AppError('PRODUCT_UNAVAILABLE', `${sku.title} is no longer on sale`, {
        details: { skuId: sku.id, productId: sku.productId },
      });
    }
    items.push({
      skuId: sku.id,
      productId: sku.productId,
      title: sku.title,
      specText: specTextOf(parseSpecValues(sku.specsJson), parseDimensions(sku.productSpecsJson)),
      imagePath: parseImagePaths(sku.imagesJson)[0] ?? '',
      unitPriceFen: sku.priceFen,
      quantity: line.quantity,
      lineTotalFen: sku.priceFen * line.quantity,
    });
  }

  const now = new Date();
  const itemsFen = items.reduce((sum, item) => sum + item.lineTotalFen, 0);
  // Shipping is free in this shop; the column exists so a delivery fee can be added without changing the model.
  const shippingFen = 0;
  const order: Order = {
    id: newId(),
    orderNo: '',
    userId,
    status: 'PENDING_PAYMENT',
    subject: subjectFor(items),
    itemsFen,
    shippingFen,
    totalFen: itemsFen + shippingFen,
    refundedFen: 0,
    refundPendingFen: 0,
    expiresAt: new Date(now.getTime() + settings.orderTtlMs),
    paidAt: null,
    shippedAt: null,
    completedAt: null,
    closedAt: null,
    closeReason: null,
    carrier: null,
    trackingNo: null,
    // The snapshot keeps the address's ciphertexts as they are: the plain text never passes through here.
    shipName: address.name,
    shipPhoneCipher: address.phoneCipher,
    shipProvince: address.province,
    shipCity: address.city,
    shipDistrict: address.district,
    shipDetailCipher: address.detailCipher,
    buyerNote: body.note ?? '',
    createdAt: now,
    updatedAt: now,
  };
  for (let attempt = 1; ; attempt++) {
    order.orderNo = newOrderNo(now);
    // Six random digits per second make a collision rare; the unique index makes it harmless: draw again. The
    // insert skips a taken number instead of failing, since a failed statement would abort the whole transaction
    // on PostgreSQL.
    if ((await tx.insert('Order', order, { onConflictDoNothing: ['orderNo'] })) === 1) break;
    if (attempt >= 5) throw new Error('could not draw a free order number in 5 attempts');
  }
  // Ids grow in creation order, and the view lists items by id: the lines keep the order they were asked in.
  const written = items.map((item): OrderItem => ({ id: newId(), orderId: order.id, ...item }));
  await tx.insert('OrderItem', written);
  const created = await recordOrderCreated(
    tx,
    order.id,
    { actorType: 'user', actorId: userId },
    { totalFen: order.totalFen },
    now,
  );
  // Stock last: its guarded updates lock the SKUs' rows until the commit, so every order of a selling SKU queues
  // there; taken after the inserts, the rows are held for the commit alone. A refusal rolls the inserts back.
  await reserveStock(tx, lines, now);
  if ('fromCart' in body) {
    for (const line of lines) {
      await tx.run('DELETE FROM "CartItem" WHERE "userId" = ? AND "skuId" = ?', userId, line.skuId);
    }
  }
  return { ...order, items: written, events: [created] };
}
