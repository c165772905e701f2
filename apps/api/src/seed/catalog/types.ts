import type { ProductStatus } from '@shop/db';
import type { NewSku } from '../../modules/catalog/product-write';
import { hashString } from '../../modules/images/palette';

/**
 * The demo catalog is written as data: each product names its spec dimensions once and `expandSkus` builds the
 * SKU for every combination, with prices from a base plus per-value surcharges and stock from a stable hash (so the
 * seed is the same every time), except the combinations listed as sold out.
 */
export interface SeedProduct {
  title: string;
  subtitle: string;
  description: string;
  featured?: boolean;
  status?: ProductStatus;
  /** Units sold so far, for the "sales" sort. */
  salesCount: number;
  /** Dimensions in display order: [['颜色', ['白色', '黑色']], ['尺码', ['M', 'L']]]; none for a single SKU. */
  specs?: ReadonlyArray<readonly [string, readonly string[]]>;
  /** A price for every SKU, or a base plus surcharges keyed by spec value. */
  price: number | { base: number; add: Readonly<Record<string, number>> };
  /** Combinations with no stock, written as their values joined by "/" (e.g. "黑色/XL"); "" for a single SKU. */
  soldOut?: readonly string[];
  /** Typical units in stock per SKU (default 60); each SKU gets between half and one and a half times this. */
  stock?: number;
}

export interface SeedCategory {
  slug: string;
  name: string;
  products: readonly SeedProduct[];
}

function combinations(
  specs: ReadonlyArray<readonly [string, readonly string[]]>,
): Array<Record<string, string>> {
  let combos: Array<Record<string, string>> = [{}];
  for (const [name, values] of specs) {
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [name]: value })));
  }
  return combos;
}

export function expandSkus(product: SeedProduct): NewSku[] {
  const typical = product.stock ?? 60;
  return combinations(product.specs ?? []).map((specs) => {
    const label = Object.values(specs).join('/');
    const priceFen =
      typeof product.price === 'number'
        ? product.price
        : Object.values(specs).reduce(
            (sum, value) => sum + ((product.price as { add: Record<string, number> }).add[value] ?? 0),
            product.price.base,
          );
    const spread = hashString(`${product.title}|${label}`) % (typical + 1);
    const stock = product.soldOut?.includes(label) ? 0 : Math.max(1, Math.round(typical / 2) + spread);
    return { specs, priceFen, stock };
  });
}
