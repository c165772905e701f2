import { MAX_LINE_QUANTITY } from '@shop/contract';
import { describe, expect, it } from 'vitest';

import { lowStockText, maxQuantity, quantityLimitText } from './quantity';

describe('quantity steppers', () => {
  it('stop at the stock, at the per-line limit, and never below one', () => {
    expect(maxQuantity(3)).toBe(3);
    expect(maxQuantity(MAX_LINE_QUANTITY + 50)).toBe(MAX_LINE_QUANTITY);
    expect(maxQuantity(0)).toBe(1);
  });

  it('say why a tap went past the end', () => {
    expect(quantityLimitText('plus', 3)).toBe('库存不足，仅剩 3 件');
    expect(quantityLimitText('plus', MAX_LINE_QUANTITY)).toBe(`库存不足，仅剩 ${MAX_LINE_QUANTITY} 件`);
    expect(quantityLimitText('plus', MAX_LINE_QUANTITY + 1)).toBe(`每件商品最多购买 ${MAX_LINE_QUANTITY} 件`);
    expect(quantityLimitText('plus', 0)).toBe('已售罄');
    expect(quantityLimitText('minus', 3)).toBe('至少购买 1 件');
  });

  it('mention a low stock only when it is low', () => {
    expect(lowStockText(0)).toBeNull();
    expect(lowStockText(1)).toBe('仅剩 1 件');
    expect(lowStockText(5)).toBe('仅剩 5 件');
    expect(lowStockText(6)).toBeNull();
  });
});
