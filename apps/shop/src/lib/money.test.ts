import { describe, expect, it } from 'vitest';

import { priceParts, priceRangeText, priceText } from './money';

describe('money as the shop shows it', () => {
  it('formats fen with the contract formatter', () => {
    expect(priceText(0)).toBe('¥0.00');
    expect(priceText(9)).toBe('¥0.09');
    expect(priceText(1990)).toBe('¥19.90');
    expect(priceText(123456789)).toBe('¥1,234,567.89');
  });

  it('shows one price when every SKU costs the same and a range otherwise', () => {
    expect(priceRangeText([5900])).toBe('¥59.00');
    expect(priceRangeText([5900, 5900])).toBe('¥59.00');
    expect(priceRangeText([12900, 5900, 8900])).toBe('¥59.00 - ¥129.00');
  });

  it('refuses an empty range rather than showing nothing', () => {
    expect(() => priceRangeText([])).toThrow(RangeError);
  });

  it('splits a price into parts that join back to the formatted text', () => {
    expect(priceParts(123450)).toEqual({ sign: '', symbol: '¥', yuan: '1,234', cents: '.50' });
    expect(priceParts(5)).toEqual({ sign: '', symbol: '¥', yuan: '0', cents: '.05' });
    expect(priceParts(-1000)).toEqual({ sign: '-', symbol: '¥', yuan: '10', cents: '.00' });
    for (const fen of [0, 1, 99, 100, 101, 980, 99999, 100000000, 1234567890]) {
      const { sign, symbol, yuan, cents } = priceParts(fen);
      expect(`${sign}${symbol}${yuan}${cents}`).toBe(priceText(fen));
    }
  });

  it('never goes through floating-point yuan (9.80 stays 9.80)', () => {
    expect(priceText(980)).toBe('¥9.80');
    expect(priceText(3 * 980)).toBe('¥29.40');
  });

  it('refuses fractions of a fen instead of rounding them away', () => {
    expect(() => priceText(12.5)).toThrow(RangeError);
  });
});
