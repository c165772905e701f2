import type { SkuView, SpecDimension } from '@shop/contract';
import { describe, expect, it } from 'vitest';

import {
  initialSelection,
  missingDimensions,
  pricesFor,
  selectedSku,
  selectionText,
  specAvailability,
  stockFor,
  toggleSpec,
  type SpecSelection,
} from './sku';

const dimensions: SpecDimension[] = [
  { name: '颜色', values: ['黑色', '白色', '蓝色'] },
  { name: '尺码', values: ['S', 'M', 'L'] },
];

let nextId = 0;
const sku = (color: string, size: string, stock: number, priceFen = 9900): SkuView => ({
  id: `sku${++nextId}`,
  specs: { 颜色: color, 尺码: size },
  priceFen,
  stock,
});

// 黑色: S M L all in stock; 白色: S sold out, M in stock, L not sold at all; 蓝色: only L, sold out.
const skus: SkuView[] = [
  sku('黑色', 'S', 3),
  sku('黑色', 'M', 5),
  sku('黑色', 'L', 1, 10900),
  sku('白色', 'S', 0),
  sku('白色', 'M', 2, 8900),
  sku('蓝色', 'L', 0),
];

function selectable(selection: SpecSelection): Record<string, string[]> {
  return Object.fromEntries(
    specAvailability(dimensions, skus, selection).map((d) => [
      d.name,
      d.values.filter((v) => v.selectable).map((v) => v.value),
    ]),
  );
}

describe('spec availability', () => {
  it('with nothing chosen, disables only values no SKU with stock carries', () => {
    expect(selectable({})).toEqual({ 颜色: ['黑色', '白色'], 尺码: ['S', 'M', 'L'] });
  });

  it('disables sold-out combinations once a colour is chosen', () => {
    // 白色 S has stock 0, 白色 L does not exist.
    expect(selectable({ 颜色: '白色' })).toEqual({ 颜色: ['黑色', '白色'], 尺码: ['M'] });
  });

  it('judges each dimension against the other dimensions only', () => {
    // 尺码 S rules out 白色 (its S is sold out); with no colour chosen the 尺码 row offers every size with stock.
    expect(selectable({ 尺码: 'S' })).toEqual({ 颜色: ['黑色'], 尺码: ['S', 'M', 'L'] });
    expect(selectable({ 颜色: '黑色', 尺码: 'L' })).toEqual({ 颜色: ['黑色'], 尺码: ['S', 'M', 'L'] });
  });

  it('marks the chosen values', () => {
    const state = specAvailability(dimensions, skus, { 颜色: '黑色' });
    expect(state[0]?.values.filter((v) => v.selected).map((v) => v.value)).toEqual(['黑色']);
    expect(state[1]?.values.some((v) => v.selected)).toBe(false);
  });

  it('offers nothing for a product whose every SKU is sold out', () => {
    const soldOut = skus.map((s) => ({ ...s, stock: 0 }));
    const state = specAvailability(dimensions, soldOut, {});
    expect(state.flatMap((d) => d.values).every((v) => !v.selectable)).toBe(true);
  });
});

describe('choosing specs', () => {
  it('chooses, clears on a second tap, and ignores taps on disabled values', () => {
    const black = toggleSpec(dimensions, skus, {}, '颜色', '黑色');
    expect(black).toEqual({ 颜色: '黑色' });
    expect(toggleSpec(dimensions, skus, black, '颜色', '黑色')).toEqual({});
    const white = toggleSpec(dimensions, skus, {}, '颜色', '白色');
    expect(toggleSpec(dimensions, skus, white, '尺码', 'S')).toBe(white);
    expect(toggleSpec(dimensions, skus, {}, '颜色', '蓝色')).toEqual({});
  });

  it('switches a value within a dimension when the switch stays possible', () => {
    expect(toggleSpec(dimensions, skus, { 颜色: '黑色', 尺码: 'M' }, '颜色', '白色')).toEqual({
      颜色: '白色',
      尺码: 'M',
    });
  });

  it('names the SKU only when every dimension is chosen', () => {
    expect(selectedSku(dimensions, skus, { 颜色: '黑色' })).toBeNull();
    expect(selectedSku(dimensions, skus, { 颜色: '黑色', 尺码: 'L' })?.priceFen).toBe(10900);
    expect(missingDimensions(dimensions, { 尺码: 'M' })).toEqual(['颜色']);
    expect(selectionText(dimensions, { 尺码: 'M', 颜色: '白色' })).toBe('白色 / M');
  });

  it('can never reach a full selection that is sold out or not sold (every tap sequence)', () => {
    // Explore every selection reachable by taps from the empty one.
    const seen = new Map<string, SpecSelection>();
    const queue: SpecSelection[] = [{}];
    while (queue.length > 0) {
      const current = queue.shift() as SpecSelection;
      const key = JSON.stringify(Object.entries(current).sort());
      if (seen.has(key)) continue;
      seen.set(key, current);
      for (const d of dimensions)
        for (const v of d.values) queue.push(toggleSpec(dimensions, skus, current, d.name, v));
    }
    const full = [...seen.values()].filter((s) => missingDimensions(dimensions, s).length === 0);
    expect(full.length).toBe(4); // 黑色 S/M/L and 白色 M
    for (const selection of full) expect(selectedSku(dimensions, skus, selection)?.stock).toBeGreaterThan(0);
  });

  it('handles a product without specs: its one SKU is chosen from the start', () => {
    const single: SkuView[] = [{ id: 'one', specs: {}, priceFen: 1500, stock: 7 }];
    const start = initialSelection([], single);
    expect(start).toEqual({});
    expect(selectedSku([], single, start)?.id).toBe('one');
    expect(specAvailability([], single, start)).toEqual([]);
  });

  it('pre-chooses dimensions that leave one value with stock', () => {
    const oneColour: SkuView[] = [sku('黑色', 'S', 1), sku('黑色', 'M', 0), sku('白色', 'M', 0)];
    expect(initialSelection(dimensions, oneColour)).toEqual({ 颜色: '黑色', 尺码: 'S' });
    expect(initialSelection(dimensions, skus)).toEqual({});
  });
});

describe('price and stock of a partial selection', () => {
  it('ranges over the in-stock SKUs the selection could still become', () => {
    expect(pricesFor(skus, {}).sort()).toEqual([10900, 8900, 9900, 9900].sort());
    expect(pricesFor(skus, { 颜色: '白色' })).toEqual([8900]);
    expect(pricesFor(skus, { 颜色: '蓝色' })).toEqual([9900]); // sold out: still shows its price
  });

  it('sums the stock the selection could still become', () => {
    expect(stockFor(skus, {})).toBe(11);
    expect(stockFor(skus, { 颜色: '黑色' })).toBe(9);
    expect(stockFor(skus, { 颜色: '白色', 尺码: 'S' })).toBe(0);
  });
});
