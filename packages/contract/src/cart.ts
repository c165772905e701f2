import { z } from 'zod';
import { Fen, Id } from './common';

export const MAX_LINE_QUANTITY = 99;

export const CartItemPutBody = z.strictObject({
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
  selected: z.boolean().optional(),
});
export type CartItemPutBody = z.infer<typeof CartItemPutBody>;

export const CartSelectBody = z.strictObject({
  skuIds: z.array(Id).max(100),
  selected: z.boolean(),
});
export type CartSelectBody = z.infer<typeof CartSelectBody>;

export const CartLineUnavailableReason = z.enum([
  'OUT_OF_STOCK',
  'INSUFFICIENT_STOCK',
  'PRODUCT_UNAVAILABLE',
]);

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
