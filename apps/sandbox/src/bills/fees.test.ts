import { describe, expect, it } from 'vitest';
import { mulDivRoundHalfUp, refundedFeeFen, serviceFeeFen } from './fees';

describe('service fee rounding', () => {
  it.each([
    [10_000, 60, 60], // 100.00 yuan at 0.6% -> 0.60
    [1, 60, 0], // 0.01 yuan -> 0.00006 -> 0.00
    [84, 60, 1], // 0.84 yuan -> 0.504 fen -> 1 fen
    [83, 60, 0], // 0.498 fen -> 0
    [250, 20, 1], // exactly half (0.5 fen) rounds up
    [8_888, 60, 53], // 53.328 fen -> 53
    [10_000_000_000, 10_000, 10_000_000_000], // 100% of the largest amount stays exact
  ])('fee of %i fen at %i bps is %i fen', (totalFen, bps, feeFen) => {
    expect(serviceFeeFen(totalFen, bps)).toBe(feeFen);
  });

  it('is exact where floating point is not', () => {
    // The product (about 2.7e16) is past 2^53, where doubles skip integers; BigInt keeps it exact.
    expect(mulDivRoundHalfUp(9_007_199_254_740_991, 3, 3)).toBe(9_007_199_254_740_991);
    expect(() => mulDivRoundHalfUp(-1, 1, 1)).toThrow(RangeError);
    expect(() => mulDivRoundHalfUp(1, 1, 0)).toThrow(RangeError);
  });
});

describe('refunded fees', () => {
  it('give back the fee in proportion, and a full refund gives back exactly the whole fee', () => {
    expect(refundedFeeFen(60, 10_000, 0, 3_000)).toBe(18);
    expect(refundedFeeFen(60, 10_000, 3_000, 7_000)).toBe(42);
    expect(refundedFeeFen(60, 10_000, 0, 10_000)).toBe(60);
  });

  it('parts always add up to the whole fee, whatever the split (invariant)', () => {
    let seed = 42;
    const random = (max: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % max;
    };
    for (let run = 0; run < 500; run++) {
      const totalFen = 1 + random(1_000_000);
      const fee = serviceFeeFen(totalFen, random(200));
      let refunded = 0;
      let returned = 0;
      while (refunded < totalFen) {
        const part = Math.min(totalFen - refunded, 1 + random(Math.max(1, Math.floor(totalFen / 3))));
        const back = refundedFeeFen(fee, totalFen, refunded, part);
        expect(back).toBeGreaterThanOrEqual(0);
        returned += back;
        refunded += part;
        expect(returned).toBeLessThanOrEqual(fee);
      }
      expect(returned).toBe(fee);
    }
  });

  it('refuses refunds beyond the total', () => {
    expect(() => refundedFeeFen(60, 10_000, 9_000, 1_001)).toThrow(RangeError);
  });
});
