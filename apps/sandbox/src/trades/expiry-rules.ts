import { chinaDayRange, formatChinaDate, parseChinaTime } from '@shop/alipay';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../clock';

/**
 * When an unpaid trade closes itself. alipay.trade.create takes `time_expire` (absolute, China time) or
 * `timeout_express` (relative: 1m to 15d, or `1c` for the end of the day); without either the trade stays open 15
 * days. https://opendocs.alipay.com/mini/03l5wn (timeout_express, time_expire)
 */

export const DEFAULT_TIMEOUT_MS = 15 * DAY_MS;
export const MAX_TIMEOUT_MS = 15 * DAY_MS;

export type ExpiryResult = { ok: true; timeoutMs: number } | { ok: false; reason: string };

const EXPRESS_PATTERN = /^([1-9]\d{0,5})([mhdc])$/;
const UNIT_MS = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS } as const;

/**
 * The real duration from `now` until the trade expires. `1c` means "until midnight China time today".
 * The caller scales the duration by the time scale.
 */
export function resolveTimeout(
  now: Date,
  input: { timeExpire?: string | undefined; timeoutExpress?: string | undefined },
): ExpiryResult {
  if (input.timeExpire !== undefined) {
    const at = parseChinaTime(input.timeExpire);
    if (!at) return { ok: false, reason: 'time_expire must be yyyy-MM-dd HH:mm:ss (China time)' };
    const timeoutMs = at.getTime() - now.getTime();
    if (timeoutMs <= 0) return { ok: false, reason: 'time_expire is in the past' };
    if (timeoutMs > MAX_TIMEOUT_MS) return { ok: false, reason: 'time_expire is more than 15 days away' };
    return { ok: true, timeoutMs };
  }
  if (input.timeoutExpress !== undefined) {
    const match = EXPRESS_PATTERN.exec(input.timeoutExpress);
    if (!match) return { ok: false, reason: 'timeout_express must be like 90m, 2h, 15d or 1c' };
    const amount = Number(match[1]);
    const unit = match[2] as 'm' | 'h' | 'd' | 'c';
    if (unit === 'c') {
      if (amount !== 1) return { ok: false, reason: 'timeout_express accepts only 1c' };
      const today = chinaDayRange(formatChinaDate(now));
      return { ok: true, timeoutMs: (today as { end: Date }).end.getTime() - now.getTime() };
    }
    const timeoutMs = amount * UNIT_MS[unit];
    if (timeoutMs > MAX_TIMEOUT_MS) return { ok: false, reason: 'timeout_express is longer than 15d' };
    return { ok: true, timeoutMs };
  }
  return { ok: true, timeoutMs: DEFAULT_TIMEOUT_MS };
}
