import { describe, expect, it } from 'vitest';
import { autoRefundRequestNo, backoffMs, keyedRefundRequestNo, merchantRefundRequestNo } from './settings';

const OUT_NO = /^[A-Za-z0-9_]{1,64}$/;

describe('recovery backoff', () => {
  it('starts at the first delay and doubles', () => {
    expect([0, 1, 2, 3].map((n) => backoffMs(60_000, 3_600_000, n))).toEqual([
      60_000, 120_000, 240_000, 480_000,
    ]);
  });

  it('never waits longer than the cap, however many queries came before', () => {
    for (const n of [6, 10, 50, 1_000, Number.MAX_SAFE_INTEGER]) {
      expect(backoffMs(60_000, 1_800_000, n)).toBe(1_800_000);
    }
  });

  it('grows monotonically up to the cap', () => {
    let previous = 0;
    for (let n = 0; n < 40; n++) {
      const wait = backoffMs(1_000, 900_000, n);
      expect(wait).toBeGreaterThanOrEqual(previous);
      expect(wait).toBeLessThanOrEqual(900_000);
      previous = wait;
    }
  });

  it('treats a cap below the first delay as the first delay', () => {
    expect(backoffMs(5_000, 1_000, 3)).toBe(5_000);
  });
});

describe('out_request_no', () => {
  const orderNo = '20261121223700123456';

  it('is derived from the trade alone for the automatic refund', () => {
    expect(autoRefundRequestNo(orderNo)).toBe(`${orderNo}_AUTO`);
    expect(autoRefundRequestNo(orderNo)).toBe(autoRefundRequestNo(orderNo));
  });

  it('numbers merchant refunds per order', () => {
    expect(merchantRefundRequestNo(orderNo, 1)).toBe(`${orderNo}_R1`);
    expect(merchantRefundRequestNo(orderNo, 12)).toBe(`${orderNo}_R12`);
  });

  it('maps the same request key to the same number and different keys to different numbers', () => {
    const a = keyedRefundRequestNo(orderNo, 'key-aaaaaaaa');
    expect(keyedRefundRequestNo(orderNo, 'key-aaaaaaaa')).toBe(a);
    expect(keyedRefundRequestNo(orderNo, 'key-bbbbbbbb')).not.toBe(a);
    expect(keyedRefundRequestNo('20261121223700654321', 'key-aaaaaaaa')).not.toBe(a);
  });

  it('always fits Alipay: letters, digits, underscore, at most 64 characters', () => {
    const long = 'A'.repeat(64);
    for (const value of [
      autoRefundRequestNo(orderNo),
      autoRefundRequestNo(long),
      merchantRefundRequestNo(long, 99),
      keyedRefundRequestNo(long, 'x'),
      keyedRefundRequestNo(orderNo, 'ключ с пробелами'),
    ]) {
      expect(value).toMatch(OUT_NO);
    }
    expect(autoRefundRequestNo(long)).not.toBe(autoRefundRequestNo(`${long}B`));
  });
});
