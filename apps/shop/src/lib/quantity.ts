import { MAX_LINE_QUANTITY } from '@shop/contract';

/**
 * The quantity steppers (spec sheet, cart): how far they go, and what the shopper is told when a tap goes past
 * the end, as popular shops do, instead of a + that silently stops.
 */

/** The most one line may hold: the stock, and never more than the per-line limit; at least 1 to keep a value. */
export function maxQuantity(stock: number): number {
  return Math.max(1, Math.min(stock, MAX_LINE_QUANTITY));
}

/** What a tap past the end says: + past the stock or the per-line limit, − below one. */
export function quantityLimitText(direction: 'plus' | 'minus', stock: number): string {
  if (direction === 'minus') return '至少购买 1 件';
  if (stock <= 0) return '已售罄';
  if (stock <= MAX_LINE_QUANTITY) return `库存不足，仅剩 ${stock} 件`;
  return `每件商品最多购买 ${MAX_LINE_QUANTITY} 件`;
}

/** Few enough left to say so beside the stepper ("仅剩 3 件"); null when plenty (or none: that is 已售罄). */
export function lowStockText(stock: number, threshold = 5): string | null {
  return stock > 0 && stock <= threshold ? `仅剩 ${stock} 件` : null;
}
