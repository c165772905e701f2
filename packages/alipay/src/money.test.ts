import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlipayAmountError, fenToYuan, MAX_AMOUNT_FEN, MIN_AMOUNT_FEN, yuanToFen } from './money';

describe('fenToYuan', () => {
  it.each([
    [1230, '12.30'],
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [0, '0.00'],
    [980, '9.80'],
    [MAX_AMOUNT_FEN, '100000000.00'],
    [-5, '-0.05'],
    [-123456, '-1234.56'],
  ])('formats %i fen as %s', (fen, yuan) => {
    expect(fenToYuan(fen)).toBe(yuan);
  });

  it.each([0.5, 12.3, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects %s', (fen) => {
    expect(() => fenToYuan(fen)).toThrow(AlipayAmountError);
  });
});

describe('yuanToFen', () => {
  it.each([
    ['12.30', 1230],
    ['12.3', 1230],
    ['12', 1200],
    ['0.01', 1],
    ['9.80', 980],
    ['0.29', 29],
    ['1.15', 115],
    ['100000000.00', MAX_AMOUNT_FEN],
  ])('parses %s as %i fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it.each([
    ['', 'blank'],
    [' ', 'whitespace'],
    [' 1.00', 'leading space'],
    ['1.00 ', 'trailing space'],
    ['1.001', 'three decimals'],
    ['0.1000000000000000055', 'float artefact'],
    ['9.800000000000001', 'float artefact'],
    ['1e2', 'exponent'],
    ['1E2', 'exponent'],
    ['+1.00', 'plus sign'],
    ['-1.00', 'minus sign'],
    ['0.00', 'zero'],
    ['0', 'zero'],
    ['100000000.01', 'above the maximum'],
    ['1,000.00', 'thousands separator'],
    ['01.00', 'leading zero'],
    ['.50', 'no whole part'],
    ['5.', 'dangling point'],
    ['NaN', 'not a number'],
    ['Infinity', 'infinity'],
    ['0x10', 'hexadecimal'],
    ['１２', 'full-width digits'],
    ['12.3.4', 'two points'],
  ])('rejects %j (%s)', (yuan) => {
    expect(() => yuanToFen(yuan)).toThrow(AlipayAmountError);
  });

  it('rejects non-strings', () => {
    expect(() => yuanToFen(12.3 as unknown as string)).toThrow(AlipayAmountError);
  });

  it('accepts zero and negatives only when the bounds allow them', () => {
    expect(yuanToFen('0.00', { minFen: 0 })).toBe(0);
    expect(yuanToFen('-12.30', { minFen: -MAX_AMOUNT_FEN })).toBe(-1230);
    expect(() => yuanToFen('-0.00', { minFen: -100 })).toThrow(AlipayAmountError);
    expect(() => yuanToFen('-0.01', { minFen: 0 })).toThrow(AlipayAmountError);
  });

  it('round-trips every fen value in range (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_AMOUNT_FEN, max: MAX_AMOUNT_FEN }), (fen) => {
        expect(yuanToFen(fenToYuan(fen))).toBe(fen);
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips every fen value from 1 to 100000 exhaustively', () => {
    for (let fen = 1; fen <= 100_000; fen++) {
      if (yuanToFen(fenToYuan(fen)) !== fen) throw new Error(`round trip failed at ${fen}`);
    }
  });

  it('agrees with exact decimal arithmetic on random two-decimal strings (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 99 }),
        (whole, cents) => {
          fc.pre(whole > 0 || cents > 0);
          const text = `${whole}.${String(cents).padStart(2, '0')}`;
          expect(yuanToFen(text)).toBe(whole * 100 + cents);
        },
      ),
    );
  });

  it('never accepts a string with more than two decimals (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.stringMatching(/^\d{3,6}$/),
        (whole, decimals) => {
          expect(() => yuanToFen(`${whole}.${decimals}`)).toThrow(AlipayAmountError);
        },
      ),
    );
  });
});
