import { z } from 'zod';
import { Fen, Id } from './common';

export const MAX_LINE_QUANTITY = 99;

/** Lines one cart may hold; adding a new line beyond it is 422 CART_LIMIT. */
export const MAX_CART_LINES = 100;

/** `/api/cart/items/:skuId`. */
export const CartItemParams = z.strictObject({ skuId: Id });
export type CartItemParams = z.infer<typeof CartItemParams>;

export const CartItemPutBody = z.strictObject({
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
  selected: z.boolean().optional(),
});
export type CartItemPutBody = z.infer<typeof CartItemPutBody>;

/** Selects or unselects the named lines (SKUs not in the cart are ignored); "select all" sends every line's SKU. */
export const CartSelectBody = z.strictObject({
  skuIds: z.array(Id).max(MAX_CART_LINES),
  selected: z.boolean(),
});
export type CartSelectBody = z.infer<typeof CartSelectBody>;

export const CartLineUnavailableReason = z.enum([
  'OUT_OF_STOCK',
  'INSUFFICIENT_STOCK',
  'PRODUCT_UNAVAILABLE',
]);
export type CartLineUnavailableReason = z.infer<typeof CartLineUnavailableReason>;

export const CartLine = z.object({
  skuId: Id,
  productId: Id,
  title: z.string(),
  specText: z.string(),
  imageUrl: z.string(),
  /** Today's price, read from the catalog on every read. */
  unitPriceFen: Fen,
  quantity: z.number().int(),
  selected: z.boolean(),
  stock: z.number().int(),
  available: z.boolean(),
  unavailableReason: CartLineUnavailableReason.nullable(),
  lineTotalFen: Fen,
});
export type CartLine = z.infer<typeof CartLine>;

export const Cart = z.object({
  items: z.array(CartLine),
  /** Selected, available lines only. */
  selectedCount: z.number().int(),
  selectedTotalFen: Fen,
});
export type Cart = z.infer<typeof Cart>;
