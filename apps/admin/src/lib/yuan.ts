/**
 * The refund dialog's amount field: what the merchant types in yuan ("12.3", "0.05", "1,200.00" is refused) becomes
 * integer fen by string arithmetic. Floats never touch money (in JS `9.8 * 100 === 980.0000000000001`), so the digits
 * before and after the point are read separately and combined as integers.
 */

export type YuanParseFailure = 'empty' | 'format' | 'decimals' | 'zero' | 'too-large' | 'exceeds';

export type YuanParseResult = { ok: true; fen: number } | { ok: false; reason: YuanParseFailure };

/** 100,000,000.00 yuan: Alipay's largest single amount (`MAX_REFUND_FEN`) and far below 2^53. */
const MAX_FEN = 10_000_000_000;

// Plain ASCII digits, an optional point with digits after it. No sign, no grouping, no exponent, no leading point.
const YUAN_SHAPE = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a yuan amount typed by a person into fen. Surrounding whitespace is ignored; anything else that is not
 * digits with up to two decimals is refused with a reason the dialog can explain. `maxFen` caps the result (the
 * refundable amount); a value above it is `exceeds`.
 */
export function parseYuanToFen(input: string, maxFen: number = MAX_FEN): YuanParseResult {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const match = YUAN_SHAPE.exec(text);
  if (!match) return { ok: false, reason: 'format' };
  const whole = (match[1] ?? '').replace(/^0+(?=\d)/, '');
  const fraction = match[2] ?? '';
  if (fraction.length > 2) return { ok: false, reason: 'decimals' };
  // More than 9 whole digits is past the cap whatever the decimals; checking the length first keeps the integer
  // arithmetic below exact.
  if (whole.length > 9) return { ok: false, reason: 'too-large' };
  const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (fen === 0) return { ok: false, reason: 'zero' };
  if (fen > MAX_FEN) return { ok: false, reason: 'too-large' };
  if (fen > maxFen) return { ok: false, reason: 'exceeds' };
  return { ok: true, fen };
}

const MESSAGES: Record<YuanParseFailure, string> = {
  empty: '请输入退款金额',
  format: '金额格式不正确：只能输入数字，最多两位小数，例如 12.50',
  decimals: '金额最多两位小数（精确到分）',
  zero: '退款金额必须大于 0',
  'too-large': '金额超出上限',
  exceeds: '超出可退金额',
};

/** What a form shows under the field for a refused amount; `exceeds` names the cap in the form's own terms. */
export function yuanParseMessage(reason: YuanParseFailure, exceeds: string = MESSAGES.exceeds): string {
  return reason === 'exceeds' ? exceeds : MESSAGES[reason];
}
