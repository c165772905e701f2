/**
 * Money at the Alipay edge. Inside the system money is integer fen; Alipay speaks yuan strings with two decimals
 * ("12.30"). Conversion happens here only, without floating point: `9.8 * 100 === 980.0000000000001` in JavaScript.
 * Amount rules: https://opendocs.alipay.com/mini/05xunj (total_amount: 0.01 to 100000000.00, two decimals at most).
 */

/** 0.01 yuan. */
export const MIN_AMOUNT_FEN = 1;
/** 100000000.00 yuan. */
export const MAX_AMOUNT_FEN = 10_000_000_000;

export class AlipayAmountError extends Error {
  override readonly name = 'AlipayAmountError';
}

/** Formats integer fen as a yuan string with exactly two decimals: 1230 -> "12.30", -5 -> "-0.05". */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) {
    throw new AlipayAmountError(`fen must be a safe integer, got ${String(fen)}`);
  }
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100);
  const cents = abs % 100;
  return `${sign}${yuan}.${cents < 10 ? '0' : ''}${cents}`;
}

export interface YuanToFenOptions {
  /** Smallest accepted value in fen; defaults to 1 (0.01 yuan). Bills and refund totals pass 0 or a negative bound. */
  minFen?: number;
  /** Largest accepted value in fen; defaults to 10_000_000_000 (100000000.00 yuan). */
  maxFen?: number;
}

// Digits only, no leading zeros (but "0.xx"), at most two decimals, an optional minus that options must allow.
const YUAN_PATTERN = /^(-)?(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/;

/**
 * Parses a yuan string strictly into integer fen. Rejects blanks, whitespace, plus signs, exponents, more than two
 * decimals, thousands separators, leading zeros and anything outside [minFen, maxFen].
 */
export function yuanToFen(yuan: string, options: YuanToFenOptions = {}): number {
  const minFen = options.minFen ?? MIN_AMOUNT_FEN;
  const maxFen = options.maxFen ?? MAX_AMOUNT_FEN;
  if (typeof yuan !== 'string') {
    throw new AlipayAmountError(`amount must be a string, got ${typeof yuan}`);
  }
  const match = YUAN_PATTERN.exec(yuan);
  if (!match) {
    throw new AlipayAmountError(`invalid yuan amount ${JSON.stringify(yuan)}`);
  }
  const [, minus, whole = '0', decimals = ''] = match;
  const magnitude = Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
  const fen = minus ? -magnitude : magnitude;
  if (minus && magnitude === 0) {
    throw new AlipayAmountError(`invalid yuan amount ${JSON.stringify(yuan)}`);
  }
  if (fen < minFen || fen > maxFen) {
    throw new AlipayAmountError(
      `yuan amount ${yuan} is outside ${fenToYuan(minFen)} to ${fenToYuan(maxFen)}`,
    );
  }
  return fen;
}
