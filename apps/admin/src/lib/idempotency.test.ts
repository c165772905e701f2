import { IdempotencyKeyHeader } from '@shop/contract';
import { describe, expect, it } from 'vitest';

import { newIdempotencyKey } from './idempotency';

describe('newIdempotencyKey', () => {
  it('makes keys the API accepts, different each time', () => {
    const keys = new Set(Array.from({ length: 200 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(IdempotencyKeyHeader.safeParse(key).success).toBe(true);
  });

  it('encodes every byte as two hex digits', () => {
    expect(newIdempotencyKey((b) => b.fill(0))).toBe('0'.repeat(32));
    expect(newIdempotencyKey((b) => b.fill(255))).toBe('f'.repeat(32));
  });
});
