import { describe, expect, it } from 'vitest';

import { parseSpecValues, parseStock, parseStockDelta, skuCombinations, specKey } from './product-form';

describe('parseSpecValues', () => {
  it('splits on ASCII and full-width commas, trims, drops blanks and repeats', () => {
    expect(parseSpecValues(' 黑, 白，红、黑 ,, ')).toEqual(['黑', '白', '红']);
    expect(parseSpecValues('')).toEqual([]);
  });
});

describe('skuCombinations', () => {
  it('spans every combination, first dimension slowest', () => {
    expect(
      skuCombinations([
        { name: '颜色', values: ['黑', '白'] },
        { name: '尺码', values: ['M', 'L'] },
      ]),
    ).toEqual([
      { 颜色: '黑', 尺码: 'M' },
      { 颜色: '黑', 尺码: 'L' },
      { 颜色: '白', 尺码: 'M' },
      { 颜色: '白', 尺码: 'L' },
    ]);
  });

  it('gives one SKU without dimensions and none for an empty dimension', () => {
    expect(skuCombinations([])).toEqual([{}]);
    expect(skuCombinations([{ name: '颜色', values: [] }])).toEqual([]);
  });

  it('keys SKUs by their values regardless of key order', () => {
    expect(specKey({ 颜色: '黑', 尺码: 'M' })).toBe(specKey({ 尺码: 'M', 颜色: '黑' }));
    expect(specKey({ 颜色: '黑' })).not.toBe(specKey({ 颜色: '白' }));
  });
});

describe('stock inputs', () => {
  it.each([
    ['0', 0],
    ['12', 12],
    [' 1000000 ', 1_000_000],
  ])('reads stock %j', (text, value) => {
    expect(parseStock(text)).toEqual({ ok: true, value });
  });

  it.each(['', '-1', '1.5', '1e3', '1000001', 'abc'])('refuses stock %j', (text) => {
    expect(parseStock(text).ok).toBe(false);
  });

  it.each([
    ['5', 5],
    ['+5', 5],
    ['-3', -3],
    ['-1000000', -1_000_000],
  ])('reads a change %j', (text, value) => {
    expect(parseStockDelta(text)).toEqual({ ok: true, value });
  });

  it.each(['', '0', '-0', '+', '2.5', '1000001', '--1', '五'])('refuses a change %j', (text) => {
    expect(parseStockDelta(text).ok).toBe(false);
  });
});
