import { chinaDayRange, formatChinaDate } from '@shop/alipay';
import { AppError } from '../../errors';

/** China calendar dates for the admin's filters and charts (China has no daylight saving: a day is 24 hours). */

const DAY_MS = 24 * 60 * 60 * 1000;

function dayRange(date: string, field: string): { start: Date; end: Date } {
  const range = chinaDayRange(date);
  // The contract's pattern lets 2026-02-30 through; the calendar does not.
  if (!range) {
    throw new AppError('VALIDATION_ERROR', `query.${field} is not a calendar date`, {
      details: { fields: [{ path: `query.${field}`, message: 'must be a calendar date' }] },
    });
  }
  return range;
}

/** The UTC bounds `[gte, lt)` of the China dates `from` to `to`, both inclusive; either may be left out. */
export function chinaDateFilter(from?: string, to?: string): { gte?: Date; lt?: Date } | undefined {
  if (!from && !to) return undefined;
  return {
    ...(from ? { gte: dayRange(from, 'from').start } : {}),
    ...(to ? { lt: dayRange(to, 'to').end } : {}),
  };
}

/** The last `count` China dates ending today, oldest first. */
export function lastChinaDates(count: number, now: Date = new Date()): string[] {
  return Array.from({ length: count }, (_, i) =>
    formatChinaDate(new Date(now.getTime() - (count - 1 - i) * DAY_MS)),
  );
}
