import { MAX_LINE_QUANTITY, type SkuView } from '@shop/contract';

import { api, ShopError } from '../api';

/**
 * "Add to cart" adds to what is there: the API's PUT sets a line's quantity (it does not add), so the current
 * quantity is read first and the sum is sent, bounded by the per-line limit. The API still checks the stock.
 */
export async function addToCart(sku: SkuView, quantity: number): Promise<number> {
  const cart = await api.cart();
  const existing = cart.items.find((line) => line.skuId === sku.id)?.quantity ?? 0;
  const total = existing + quantity;
  if (total > MAX_LINE_QUANTITY) {
    throw new ShopError(`每件商品最多购买 ${MAX_LINE_QUANTITY} 件`);
  }
  const updated = await api.setCartItem(sku.id, { quantity: total, selected: true });
  return updated.items.reduce((sum, line) => sum + line.quantity, 0);
}
