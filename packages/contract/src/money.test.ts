import { describe, expect, it } from 'vitest';
import { formatFen } from './money';

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [1230, '¥12.30'],
    [123450, '¥1,234.50'],
    [-500, '-¥5.00'],
    [10_000_000_000, '¥100,000,000.00'],
  ])('formats %i as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('can drop the symbol and grouping', () => {
    expect(formatFen(123450, { symbol: false, grouping: false })).toBe('1234.50');
  });

  it('refuses fractions of a fen', () => {
    expect(() => formatFen(12.5)).toThrow(RangeError);
  });
});
