/**
 * Display formatting for integer fen, shared by both front ends. The Alipay wire format (yuan strings) lives in
 * @shop/alipay on the server; this is only for people: "¥12.30", "¥1,234.50".
 */
export function formatFen(fen: number, options: { symbol?: boolean; grouping?: boolean } = {}): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fen must be a safe integer, got ${String(fen)}`);
  const { symbol = true, grouping = true } = options;
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const yuan = String(Math.trunc(abs / 100));
  const cents = String(abs % 100).padStart(2, '0');
  const whole = grouping ? yuan.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : yuan;
  return `${negative ? '-' : ''}${symbol ? '¥' : ''}${whole}.${cents}`;
}
