import { formatFen } from '@shop/contract';

/**
 * Money as the pages show it. Every figure goes through the contract's formatFen (integer fen in, text out); these
 * helpers only choose what to format and split its output for typesetting, never compute with yuan.
 */

/** "¥12.30". */
export function priceText(fen: number): string {
  return formatFen(fen);
}

/** "¥12.30" or "¥12.30 - ¥45.00" when the prices differ (product cards and the detail page before a spec is chosen). */
export function priceRangeText(prices: readonly number[]): string {
  if (prices.length === 0) throw new RangeError('a price range needs at least one price');
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  return low === high ? formatFen(low) : `${formatFen(low)} - ${formatFen(high)}`;
}

/** The parts of a price for a big figure with small cents: { symbol: "¥", yuan: "1,234", cents: ".50" }. */
export interface PriceParts {
  sign: string;
  symbol: string;
  yuan: string;
  cents: string;
}

export function priceParts(fen: number): PriceParts {
  const text = formatFen(fen);
  const match = /^(-?)(¥)([\d,]+)(\.\d{2})$/.exec(text);
  if (!match) throw new Error(`unexpected money text ${text}`);
  const [, sign = '', symbol = '', yuan = '', cents = ''] = match;
  return { sign, symbol, yuan, cents };
}
