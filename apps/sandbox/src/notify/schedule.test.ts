import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, nextAttemptAt, retryDelayMs, RETRY_DELAYS_MS, scheduleOffsets } from './schedule';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('notify retry schedule', () => {
  it('is Alipay’s: 4m, 10m, 10m, 1h, 2h, 6h, 15h after each failure, 8 attempts in all', () => {
    expect(RETRY_DELAYS_MS).toEqual([
      4 * MINUTE,
      10 * MINUTE,
      10 * MINUTE,
      HOUR,
      2 * HOUR,
      6 * HOUR,
      15 * HOUR,
    ]);
    expect(MAX_ATTEMPTS).toBe(8);
    expect(retryDelayMs(1)).toBe(4 * MINUTE);
    expect(retryDelayMs(7)).toBe(15 * HOUR);
    expect(retryDelayMs(8)).toBeNull();
    expect(() => retryDelayMs(0)).toThrow(RangeError);
  });

  it('spans about 25 hours from the first attempt to the last', () => {
    const offsets = scheduleOffsets((ms) => ms);
    expect(offsets).toHaveLength(8);
    expect(offsets.at(-1)).toBe(24 * HOUR + 24 * MINUTE);
  });

  it('scales with the time scale', () => {
    const scale = (ms: number) => Math.max(1, Math.round(ms * 0.001));
    const first = new Date('2026-01-01T00:00:00Z');
    expect(nextAttemptAt(first, 1, scale)?.getTime()).toBe(first.getTime() + 240);
    expect(nextAttemptAt(first, 4, scale)?.getTime()).toBe(first.getTime() + 3_600);
    expect(nextAttemptAt(first, 8, scale)).toBeNull();
    expect(scheduleOffsets(scale)).toEqual([0, 240, 840, 1_440, 5_040, 12_240, 33_840, 87_840]);
  });
});
