import { describe, expect, it } from 'vitest';
import { IdempotencyKeyHeader } from '@shop/contract';

import { randomToken } from './random';

describe('randomToken', () => {
  it('makes keys the API accepts as an Idempotency-Key, different every time', () => {
    const keys = new Set(Array.from({ length: 200 }, () => randomToken(32)));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(IdempotencyKeyHeader.safeParse(key).success).toBe(true);
  });

  it('keeps only unbiased bytes (below 248) and fills the length from more draws', () => {
    const draws = [
      [255, 250, 2, 3],
      [4, 5 + 62, 6, 7],
    ];
    const source = () => Uint8Array.from(draws.shift() ?? []);
    expect(randomToken(4, source)).toBe('CDEF'); // 255 and 250 dropped; 4 and 67 (= 5 mod 62) fill up
  });
});
