import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaDayRange, formatChinaDate, formatChinaTime, parseChinaTime } from './time';

describe('China time', () => {
  it('formats UTC instants as UTC+8 wire timestamps', () => {
    expect(formatChinaTime(new Date('2026-11-21T10:30:05Z'))).toBe('2026-11-21 18:30:05');
    expect(formatChinaTime(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01 00:00:00');
    expect(formatChinaDate(new Date('2026-11-20T16:00:00Z'))).toBe('2026-11-21');
  });

  it('parses wire timestamps back to the same instant', () => {
    expect(parseChinaTime('2026-11-21 18:30:05')?.toISOString()).toBe('2026-11-21T10:30:05.000Z');
  });

  it('accepts the milliseconds Alipay puts on some times (gmt_refund)', () => {
    expect(parseChinaTime('2026-11-21 18:30:05.320')?.toISOString()).toBe('2026-11-21T10:30:05.320Z');
    expect(parseChinaTime('2026-11-21 18:30:05.5')?.toISOString()).toBe('2026-11-21T10:30:05.500Z');
  });

  it.each([
    '2026-11-21 18:30:05.1234',
    '2026-02-30 10:00:00',
    '2026-11-21 24:00:00',
    '2026-11-21T18:30:05',
    '2026-11-21',
    '',
  ])('rejects %j', (text) => {
    expect(parseChinaTime(text)).toBeNull();
  });

  it('round-trips any second (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), (seconds) => {
        const date = new Date(seconds * 1000);
        expect(parseChinaTime(formatChinaTime(date))?.getTime()).toBe(date.getTime());
      }),
    );
  });

  it('gives the UTC range of a China calendar day', () => {
    const range = chinaDayRange('2026-11-21');
    expect(range?.start.toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect(range?.end.toISOString()).toBe('2026-11-21T16:00:00.000Z');
    expect(chinaDayRange('2026-13-01')).toBeNull();
  });
});
