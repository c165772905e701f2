import { SpecDimension } from '@shop/contract';
import { z } from 'zod';

/**
 * Spec dimensions and values as stored on Product.specsJson and Sku.specsJson. The JSON is written only by
 * `insertProduct`, but it is parsed with a schema anyway so a hand-edited row fails loudly instead of rendering
 * nonsense.
 */
const Dimensions = z.array(SpecDimension);
const Values = z.record(z.string(), z.string());
const Paths = z.array(z.string());

export type SpecValues = Record<string, string>;

export function parseDimensions(json: string): SpecDimension[] {
  return Dimensions.parse(JSON.parse(json));
}

export function parseSpecValues(json: string): SpecValues {
  return Values.parse(JSON.parse(json));
}

export function parseImagePaths(json: string): string[] {
  return Paths.parse(JSON.parse(json));
}

/** The canonical spec key stored on Sku.specKey (unique per product): `尺码=M;颜色=黑色`, names sorted. */
export function specKeyOf(values: SpecValues): string {
  return Object.keys(values)
    .sort()
    .map((name) => `${name}=${values[name]}`)
    .join(';');
}

/**
 * What a shopper reads on a cart line or an order item: the values in the product's dimension order, e.g.
 * `曜石黑 / 256GB`. Values whose dimension is unknown (the product's dimensions changed) follow in stored order.
 */
export function specTextOf(values: SpecValues, dimensions: readonly SpecDimension[] = []): string {
  const names = [
    ...dimensions.map((d) => d.name).filter((name) => name in values),
    ...Object.keys(values).filter((name) => !dimensions.some((d) => d.name === name)),
  ];
  return names.map((name) => values[name]).join(' / ');
}

/** Sorts SKUs the way their values are listed in the dimensions, so pickers and tables read in a stable order. */
export function compareBySpecs(dimensions: readonly SpecDimension[]) {
  return (a: SpecValues, b: SpecValues): number => {
    for (const dimension of dimensions) {
      const ia = dimension.values.indexOf(a[dimension.name] ?? '');
      const ib = dimension.values.indexOf(b[dimension.name] ?? '');
      if (ia !== ib) return ia - ib;
    }
    return 0;
  };
}
