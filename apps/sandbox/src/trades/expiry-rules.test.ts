import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS, resolveTimeout } from './expiry-rules';
import { canTransition } from './trade-state';

const now = new Date('2026-03-01T02:00:00Z'); // 10:00 China time

describe('trade expiry', () => {
  it('honours time_expire in China time', () => {
    expect(resolveTimeout(now, { timeExpire: '2026-03-01 10:15:00' })).toEqual({
      ok: true,
      timeoutMs: 15 * 60_000,
    });
    expect(resolveTimeout(now, { timeExpire: '2026-03-01 09:59:59' })).toMatchObject({ ok: false });
    expect(resolveTimeout(now, { timeExpire: '2026-03-20 10:00:00' })).toMatchObject({ ok: false });
    expect(resolveTimeout(now, { timeExpire: '2026-03-01T10:15:00' })).toMatchObject({ ok: false });
    expect(resolveTimeout(now, { timeExpire: '2026-02-30 10:15:00' })).toMatchObject({ ok: false });
  });

  it('honours timeout_express: minutes, hours, days and 1c (end of the China day)', () => {
    expect(resolveTimeout(now, { timeoutExpress: '90m' })).toEqual({ ok: true, timeoutMs: 90 * 60_000 });
    expect(resolveTimeout(now, { timeoutExpress: '2h' })).toEqual({ ok: true, timeoutMs: 2 * 3_600_000 });
    expect(resolveTimeout(now, { timeoutExpress: '15d' })).toEqual({ ok: true, timeoutMs: 15 * 86_400_000 });
    expect(resolveTimeout(now, { timeoutExpress: '1c' })).toEqual({ ok: true, timeoutMs: 14 * 3_600_000 });
    for (const bad of ['16d', '0m', '1.5h', '2c', 'm', '10s']) {
      expect(resolveTimeout(now, { timeoutExpress: bad })).toMatchObject({ ok: false });
    }
  });

  it('defaults to 15 days and prefers time_expire', () => {
    expect(resolveTimeout(now, {})).toEqual({ ok: true, timeoutMs: DEFAULT_TIMEOUT_MS });
    expect(resolveTimeout(now, { timeExpire: '2026-03-01 10:01:00', timeoutExpress: '2h' })).toEqual({
      ok: true,
      timeoutMs: 60_000,
    });
  });
});

describe('trade state table', () => {
  it('allows only Alipay’s transitions', () => {
    expect(canTransition('WAIT_BUYER_PAY', 'TRADE_SUCCESS')).toBe(true);
    expect(canTransition('WAIT_BUYER_PAY', 'TRADE_CLOSED')).toBe(true);
    expect(canTransition('TRADE_SUCCESS', 'TRADE_CLOSED')).toBe(true);
    expect(canTransition('TRADE_SUCCESS', 'WAIT_BUYER_PAY')).toBe(false);
    expect(canTransition('TRADE_FINISHED', 'TRADE_CLOSED')).toBe(false);
  });
});
