import { HOUR_MS, MINUTE_MS } from '../clock';

/**
 * Alipay's notify retry schedule (https://opendocs.alipay.com/open/203/105286, "服务器异步通知"): when the response
 * is not exactly `success`, Alipay resends 4m, 10m, 10m, 1h, 2h, 6h and 15h after the previous attempt: 8 attempts
 * within about 25 hours, then gives up.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  4 * MINUTE_MS,
  10 * MINUTE_MS,
  10 * MINUTE_MS,
  1 * HOUR_MS,
  2 * HOUR_MS,
  6 * HOUR_MS,
  15 * HOUR_MS,
];

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The real delay before the next attempt after `attemptsMade` failed attempts; null once all 8 are spent. */
export function retryDelayMs(attemptsMade: number): number | null {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) {
    throw new RangeError(`attemptsMade must be a positive integer, got ${attemptsMade}`);
  }
  return RETRY_DELAYS_MS[attemptsMade - 1] ?? null;
}

/** When the next attempt is due, with durations scaled by `scale` (at least 1 ms); null once all are spent. */
export function nextAttemptAt(
  lastAttemptAt: Date,
  attemptsMade: number,
  scale: (ms: number) => number,
): Date | null {
  const delay = retryDelayMs(attemptsMade);
  return delay === null ? null : new Date(lastAttemptAt.getTime() + scale(delay));
}

/** Offsets from the first attempt of every attempt, scaled: [0, 4m, 14m, 24m, 1h24m, ...]. For docs and tests. */
export function scheduleOffsets(scale: (ms: number) => number): number[] {
  const offsets = [0];
  for (const delay of RETRY_DELAYS_MS) offsets.push((offsets.at(-1) as number) + scale(delay));
  return offsets;
}
