import { describe, expect, it } from 'vitest';
import { isTimestampAcceptable } from './authenticate';

describe('request timestamps', () => {
  const now = new Date('2026-03-01T02:00:00Z'); // 10:00 China time

  it('accepts China time and the SDK’s host-local time (up to a day off)', () => {
    expect(isTimestampAcceptable('2026-03-01 10:00:00', now)).toBe(true);
    expect(isTimestampAcceptable('2026-03-01 02:00:00', now)).toBe(true); // a UTC host
    expect(isTimestampAcceptable('2026-02-28 21:00:00', now)).toBe(true); // UTC-5
  });

  it('rejects malformed or far-off timestamps', () => {
    expect(isTimestampAcceptable('2026-03-03 10:00:00', now)).toBe(false);
    expect(isTimestampAcceptable('20260301100000', now)).toBe(false);
    expect(isTimestampAcceptable('2026-02-30 10:00:00', now)).toBe(false);
  });
});
