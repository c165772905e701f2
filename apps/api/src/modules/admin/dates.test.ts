import { describe, expect, it } from 'vitest';
import { chinaDateFilter, lastChinaDates } from './dates';

describe('admin China dates', () => {
  it('turns inclusive China dates into UTC bounds', () => {
    expect(chinaDateFilter('2026-11-01', '2026-11-02')).toEqual({
      gte: new Date('2026-10-31T16:00:00Z'),
      lt: new Date('2026-11-02T16:00:00Z'),
    });
    expect(chinaDateFilter(undefined, '2026-11-02')).toEqual({ lt: new Date('2026-11-02T16:00:00Z') });
    expect(chinaDateFilter()).toBeUndefined();
  });

  it('refuses dates the calendar does not have with a 400 naming the field', () => {
    expect(() => chinaDateFilter('2026-02-30')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR', status: 400 }),
    );
    expect(() => chinaDateFilter(undefined, '2026-02-29')).toThrow(/query\.to/);
  });

  it('lists the last n China dates, oldest first, across a UTC day boundary', () => {
    // 2026-11-21T17:00Z is already 2026-11-22 in China.
    const now = new Date('2026-11-21T17:00:00Z');
    expect(lastChinaDates(3, now)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(lastChinaDates(30, now)).toHaveLength(30);
    expect(lastChinaDates(30, now)[0]).toBe('2026-10-24');
  });
});
