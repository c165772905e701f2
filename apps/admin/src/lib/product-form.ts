import { MAX_STOCK } from '@shop/contract';

/**
 * Pure helpers for the product pages: spec dimensions typed as comma lists, the SKU grid they span, and the whole
 * numbers typed for stock. Prices go through `parseYuanToFen` (./yuan).
 */

/** "黑, 白，红" -> ["黑", "白", "红"]: ASCII or full-width commas (or 、), trimmed, blanks and repeats dropped. */
export function parseSpecValues(text: string): string[] {
  const values = text
    .split(/[,，、]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return [...new Set(values)];
}

export interface SpecDraft {
  name: string;
  values: string;
}

/** The SKUs a set of dimensions spans, in display order (first dimension slowest); one empty SKU without any. */
export function skuCombinations(dimensions: { name: string; values: string[] }[]): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const { name, values } of dimensions) {
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [name]: value })));
  }
  return combos;
}

/** A stable key for one SKU's spec values, for matching grid rows to what the merchant typed. */
export function specKey(specs: Record<string, string>): string {
  return Object.keys(specs)
    .sort()
    .map((k) => `${k}=${specs[k] ?? ''}`)
    .join(';');
}

export type IntegerParse = { ok: true; value: number } | { ok: false; message: string };

/** A stock level: a whole number from 0 to MAX_STOCK. */
export function parseStock(text: string): IntegerParse {
  const t = text.trim();
  if (t === '') return { ok: false, message: '请输入库存' };
  if (!/^\d+$/.test(t)) return { ok: false, message: '库存为 0 或正整数' };
  const value = Number(t);
  if (value > MAX_STOCK) return { ok: false, message: `库存最多 ${MAX_STOCK}` };
  return { ok: true, value };
}

/** A stock change: "+5", "5" or "-3"; never 0, at most MAX_STOCK either way. */
export function parseStockDelta(text: string): IntegerParse {
  const t = text.trim();
  if (t === '') return { ok: false, message: '请输入调整数量' };
  if (!/^[+-]?\d+$/.test(t)) return { ok: false, message: '调整数量为整数，增加填正数，减少填负数（如 -3）' };
  const value = Number(t);
  if (value === 0) return { ok: false, message: '调整数量不能为 0' };
  if (Math.abs(value) > MAX_STOCK) return { ok: false, message: `一次最多调整 ${MAX_STOCK}` };
  return { ok: true, value };
}
