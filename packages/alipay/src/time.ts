/**
 * Alipay's wire timestamps are `yyyy-MM-dd HH:mm:ss` in China time (UTC+8, no daylight saving). We store UTC and
 * convert only here. https://opendocs.alipay.com/common/02kf5q (timestamp).
 */

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
// Alipay sends some times with milliseconds (gmt_refund: "2026-11-21 18:30:05.320"); the fraction is optional.
const WIRE_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Formats an instant as China time, `2026-11-21 18:30:00`. */
export function formatChinaTime(date: Date): string {
  const t = new Date(date.getTime() + CHINA_OFFSET_MS);
  return (
    `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`
  );
}

/** The China calendar date of an instant, `2026-11-21` (bill dates are China dates). */
export function formatChinaDate(date: Date): string {
  return formatChinaTime(date).slice(0, 10);
}

/**
 * Parses `yyyy-MM-dd HH:mm:ss` (optionally `.SSS`) China time into an instant; returns null when the text is not a
 * real time.
 */
export function parseChinaTime(text: string): Date | null {
  const m = WIRE_PATTERN.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - CHINA_OFFSET_MS);
  // Reject values Date.UTC silently rolls over (2026-02-30, 24:00:00).
  return formatChinaTime(date) === text.slice(0, 19) ? date : null;
}

/** The UTC instants [start, end) covering a China calendar date `yyyy-MM-dd`; null when the text is not a date. */
export function chinaDayRange(day: string): { start: Date; end: Date } | null {
  const m = DATE_PATTERN.exec(day);
  if (!m) return null;
  const start = parseChinaTime(`${day} 00:00:00`);
  if (!start) return null;
  return { start, end: new Date(start.getTime() + 24 * 60 * 60 * 1000) };
}
