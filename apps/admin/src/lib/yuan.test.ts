import { describe, expect, it } from 'vitest';

import { parseYuanToFen, type YuanParseFailure, yuanParseMessage } from './yuan';

describe('parseYuanToFen', () => {
  it.each([
    ['1', 100],
    ['0.01', 1],
    ['0.1', 10],
    ['0.10', 10],
    ['9.8', 980],
    ['19.99', 1999],
    ['007.50', 750],
    ['  12.30  ', 1230],
    ['100000000', 10_000_000_000],
    ['100000000.00', 10_000_000_000],
    ['99999999.99', 9_999_999_999],
  ])('reads %j as %i fen', (input, fen) => {
    expect(parseYuanToFen(input, Number.MAX_SAFE_INTEGER)).toEqual({ ok: true, fen });
  });

  // Every way a person can mistype an amount, and what the dialog says about it.
  const rejections: [string, YuanParseFailure][] = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['0', 'zero'],
    ['0.00', 'zero'],
    ['000', 'zero'],
    ['-1', 'format'],
    ['+1', 'format'],
    ['1.', 'format'],
    ['.5', 'format'],
    ['1,000', 'format'],
    ['1 000', 'format'],
    ['1e3', 'format'],
    ['0x10', 'format'],
    ['¥12', 'format'],
    ['12元', 'format'],
    ['１２', 'format'],
    ['1.2.3', 'format'],
    ['NaN', 'format'],
    ['Infinity', 'format'],
    ['12,50', 'format'],
    ['1.005', 'decimals'],
    ['0.001', 'decimals'],
    ['100000000.01', 'too-large'],
    ['1000000000', 'too-large'],
    ['123456789', 'too-large'],
    ['99999999999999999999', 'too-large'],
  ];
  it.each(rejections)('refuses %j as %s', (input, reason) => {
    expect(parseYuanToFen(input, Number.MAX_SAFE_INTEGER)).toEqual({ ok: false, reason });
    expect(yuanParseMessage(reason)).not.toBe('');
  });

  it('caps the amount at the refundable fen, inclusive', () => {
    expect(parseYuanToFen('50.00', 5000)).toEqual({ ok: true, fen: 5000 });
    expect(parseYuanToFen('50.01', 5000)).toEqual({ ok: false, reason: 'exceeds' });
    expect(parseYuanToFen('0.01', 0)).toEqual({ ok: false, reason: 'exceeds' });
  });

  it('agrees with exact integer arithmetic for every cent value of a yuan', () => {
    for (let cents = 1; cents < 100; cents++) {
      const text = `9.${String(cents).padStart(2, '0')}`;
      expect(parseYuanToFen(text)).toEqual({ ok: true, fen: 900 + cents });
    }
  });
});
