import {
  MAX_CART_LINES,
  type Cart,
  type CartItemPutBody,
  type CartLine,
  type CartLineUnavailableReason,
  type CartSelectBody,
} from '@shop/contract';
import { inTransaction, type Db, type DbOrTx } from '../../db';
import { AppError, notFound } from '../../errors';
import { lockKeys } from '../../lib/locks';
import { parseDimensions, parseImagePaths, parseSpecValues, specTextOf } from '../catalog/specs';

/**
 * The server-side cart: one line per SKU per user. Reads always show today's price and availability (a cart is a
 * list of intentions, not a price promise); the order takes its prices from the catalog again when it is placed.
 */
export async function getCart(db: DbOrTx, userId: string): Promise<Cart> {
  const rows = await db.cartItem.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: {
      skuId: true,
      quantity: true,
      selected: true,
      sku: {
        select: {
          priceFen: true,
          stock: true,
          specsJson: true,
          product: { select: { id: true, title: true, status: true, imagesJson: true, specsJson: true } },
        },
      },
    },
  });
  const items = rows.map((row): CartLine => {
    const { sku } = row;
    const reason = unavailableReason(sku.product.status, sku.stock, row.quantity);
    return {
      skuId: row.skuId,
      productId: sku.product.id,
      title: sku.product.title,
      specText: specTextOf(parseSpecValues(sku.specsJson), parseDimensions(sku.product.specsJson)),
      imageUrl: parseImagePaths(sku.product.imagesJson)[0] ?? '',
      unitPriceFen: sku.priceFen,
      quantity: row.quantity,
      selected: row.selected,
      stock: sku.stock,
      available: reason === null,
      unavailableReason: reason,
      lineTotalFen: sku.priceFen * row.quantity,
    };
  });
  const payable = items.filter((line) => line.selected && line.available);
  return {
    items,
    selectedCount: payable.reduce((sum, line) => sum + line.quantity, 0),
    selectedTotalFen: payable.reduce((sum, line) => sum + line.lineTotalFen, 0),
  };
}

/** Why a cart line cannot be ordered now, or null: the one rule the cart shows and the order applies. */
export function unavailableReason(
  status: string,
  stock: number,
  quantity: number,
): CartLineUnavailableReason | null {
  if (status !== 'PUBLISHED') return 'PRODUCT_UNAVAILABLE';
  if (stock === 0) return 'OUT_OF_STOCK';
  if (stock < quantity) return 'INSUFFICIENT_STOCK';
  return null;
}

/**
 * Adds a line or sets its quantity (PUT is "make the line look like this"). The SKU must be on sale and have the
 * quantity in stock now: asking for more than there is gets OUT_OF_STOCK with what is available, so the shopper
 * hears it at once rather than at checkout. A new line beyond MAX_CART_LINES is 422 CART_LIMIT; the count and the
 * insert share a transaction so two concurrent adds cannot both squeeze past it.
 */
export async function putCartItem(
  db: Db,
  userId: string,
  skuId: string,
  input: CartItemPutBody,
): Promise<Cart> {
  await inTransaction(db, async (tx) => {
    const sku = await tx.sku.findUnique({
      where: { id: skuId },
      select: { stock: true, product: { select: { status: true } } },
    });
    if (!sku) throw notFound('SKU');
    if (sku.product.status !== 'PUBLISHED') {
      throw new AppError('PRODUCT_UNAVAILABLE', 'This product is not on sale', { details: { skuId } });
    }
    if (sku.stock < input.quantity) {
      throw new AppError('OUT_OF_STOCK', 'Not enough stock for this quantity', {
        details: { skuId, requested: input.quantity, available: sku.stock },
      });
    }
    const existing = await tx.cartItem.findUnique({
      where: { userId_skuId: { userId, skuId } },
      select: { id: true },
    });
    if (existing) {
      await tx.cartItem.update({
        where: { id: existing.id },
        data: {
          quantity: input.quantity,
          ...(input.selected === undefined ? {} : { selected: input.selected }),
        },
      });
      return;
    }
    // Concurrent adds of new lines take turns here, so the count below sees every line added before it.
    await lockKeys(tx, [`cart:${userId}`]);
    const lines = await tx.cartItem.count({ where: { userId } });
    if (lines >= MAX_CART_LINES) {
      throw new AppError('CART_LIMIT', `A cart holds at most ${MAX_CART_LINES} different items`, {
        details: { max: MAX_CART_LINES },
      });
    }
    await tx.cartItem.create({
      data: { userId, skuId, quantity: input.quantity, selected: input.selected ?? true },
    });
  });
  return getCart(db, userId);
}

/** Removes a line; removing a line that is not there is not an error (the cart looks as asked). */
export async function removeCartItem(db: Db, userId: string, skuId: string): Promise<Cart> {
  await db.cartItem.deleteMany({ where: { userId, skuId } });
  return getCart(db, userId);
}

/** Selects or unselects the named lines; SKUs not in the cart are ignored. */
export async function selectCartItems(db: Db, userId: string, input: CartSelectBody): Promise<Cart> {
  if (input.skuIds.length > 0) {
    await db.cartItem.updateMany({
      where: { userId, skuId: { in: input.skuIds } },
      data: { selected: input.selected },
    });
  }
  return getCart(db, userId);
}
