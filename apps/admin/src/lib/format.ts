/**
 * Dates and times as a merchant in China reads them: China time (UTC+8, no daylight saving), `yyyy-MM-dd HH:mm:ss`,
 * whatever the browser's own zone. Instants arrive as ISO UTC strings.
 */

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

function chinaParts(iso: string): string | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  // Shifting by the fixed offset and reading the UTC fields gives China's wall clock without Intl's zone data.
  return new Date(ms + CHINA_OFFSET_MS).toISOString();
}

/** `2026-11-21 08:05:09`, or '—' for null. */
export function formatDateTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const shifted = chinaParts(iso);
  return shifted === null ? iso : `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}

/** `11-21 08:05`, for dense tables. */
export function formatShortDateTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const shifted = chinaParts(iso);
  return shifted === null ? iso : `${shifted.slice(5, 10)} ${shifted.slice(11, 16)}`;
}

/** Today's China date, `yyyy-MM-dd`. */
export function chinaToday(now: number = Date.now()): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A China date `days` before (negative: after) `date`. */
export function shiftDate(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return new Date(ms - days * 86_400_000).toISOString().slice(0, 10);
}

/** `11-21` from `2026-11-21`, for chart axes. */
export function monthDay(date: string): string {
  return date.slice(5);
}
