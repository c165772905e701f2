import type { SkuView, SpecDimension } from '@shop/contract';

/**
 * The spec picker's rules as pure functions, so the product page only renders them. A selection names at most one
 * value per dimension (`{颜色: '黑', 尺码: 'M'}`). A value can be chosen when some SKU with stock carries it and agrees
 * with every value chosen in the *other* dimensions: that disables sold-out values and combinations the product
 * does not sell (a missing SKU, or one with stock 0) in one rule.
 */
export type SpecSelection = Readonly<Record<string, string>>;

export interface SpecValueState {
  value: string;
  selected: boolean;
  /** Can be chosen with the other dimensions' current choices. */
  selectable: boolean;
}

export interface SpecDimensionState {
  name: string;
  values: SpecValueState[];
}

function agrees(sku: SkuView, selection: SpecSelection, ignore?: string): boolean {
  return Object.entries(selection).every(([name, value]) => name === ignore || sku.specs[name] === value);
}

/** Every dimension's values with whether each is chosen and whether it can be chosen. */
export function specAvailability(
  dimensions: readonly SpecDimension[],
  skus: readonly SkuView[],
  selection: SpecSelection,
): SpecDimensionState[] {
  const inStock = skus.filter((sku) => sku.stock > 0);
  return dimensions.map((dimension) => ({
    name: dimension.name,
    values: dimension.values.map((value) => ({
      value,
      selected: selection[dimension.name] === value,
      selectable: inStock.some(
        (sku) => sku.specs[dimension.name] === value && agrees(sku, selection, dimension.name),
      ),
    })),
  }));
}

/**
 * The selection after a tap: tapping the chosen value clears it; tapping a value that cannot be chosen changes
 * nothing; anything else chooses it.
 */
export function toggleSpec(
  dimensions: readonly SpecDimension[],
  skus: readonly SkuView[],
  selection: SpecSelection,
  name: string,
  value: string,
): SpecSelection {
  if (selection[name] === value) {
    const next: Record<string, string> = { ...selection };
    delete next[name];
    return next;
  }
  const state = specAvailability(dimensions, skus, selection)
    .find((d) => d.name === name)
    ?.values.find((v) => v.value === value);
  if (!state?.selectable) return selection;
  return { ...selection, [name]: value };
}

/** The SKU the selection names once every dimension is chosen (a product without specs has its one SKU). */
export function selectedSku(
  dimensions: readonly SpecDimension[],
  skus: readonly SkuView[],
  selection: SpecSelection,
): SkuView | null {
  if (dimensions.some((d) => selection[d.name] === undefined)) return null;
  return skus.find((sku) => dimensions.every((d) => sku.specs[d.name] === selection[d.name])) ?? null;
}

/**
 * Where the picker starts: every dimension that has exactly one value with stock is chosen for the shopper, so a
 * single-SKU product (or a one-colour shirt) needs no taps for that dimension.
 */
export function initialSelection(
  dimensions: readonly SpecDimension[],
  skus: readonly SkuView[],
): SpecSelection {
  const selection: Record<string, string> = {};
  for (const dimension of dimensions) {
    const withStock = dimension.values.filter((value) =>
      skus.some((sku) => sku.stock > 0 && sku.specs[dimension.name] === value),
    );
    if (withStock.length === 1 && withStock[0] !== undefined) selection[dimension.name] = withStock[0];
  }
  return selection;
}

/** Prices of the in-stock SKUs that agree with a partial selection (all SKUs when none has stock). */
export function pricesFor(skus: readonly SkuView[], selection: SpecSelection): number[] {
  const matching = skus.filter((sku) => agrees(sku, selection));
  const inStock = matching.filter((sku) => sku.stock > 0);
  return (inStock.length > 0 ? inStock : matching.length > 0 ? matching : skus).map((sku) => sku.priceFen);
}

/** Units of the selection still on sale (summed over the SKUs it could still become). */
export function stockFor(skus: readonly SkuView[], selection: SpecSelection): number {
  return skus.filter((sku) => agrees(sku, selection)).reduce((sum, sku) => sum + sku.stock, 0);
}

/** The dimensions still to choose, for "请选择 颜色 尺码". */
export function missingDimensions(dimensions: readonly SpecDimension[], selection: SpecSelection): string[] {
  return dimensions.filter((d) => selection[d.name] === undefined).map((d) => d.name);
}

/** "黑色 / M" for the chosen values in display order. */
export function selectionText(dimensions: readonly SpecDimension[], selection: SpecSelection): string {
  return dimensions
    .map((d) => selection[d.name])
    .filter((v): v is string => v !== undefined)
    .join(' / ');
}
