import { createHash } from 'node:crypto';
import type { OrderCreateBody } from '@shop/contract';
import type { SqlReader } from '@shop/db';
import { AppError } from '../../errors';

/**
 * Idempotency-Key support for order creation. A key belongs to one user and, once an order was created with it,
 * names that order for good: the same key with the same body returns it again, with a different body it is 409
 * IDEMPOTENCY_KEY_REUSED. A create that failed (out of stock, say) stores nothing, so retrying it tries again.
 */

/**
 * A fingerprint of what was asked: the parsed body in canonical form (keys in a fixed order, lines sorted by SKU),
 * so a retry that serialises the same request differently is still the same request.
 */
export function requestHash(body: OrderCreateBody): string {
  const canonical =
    'fromCart' in body
      ? { fromCart: true, addressId: body.addressId, note: body.note ?? '' }
      : {
          items: [...body.items]
            .sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0))
            .map((line) => [line.skuId, line.quantity]),
          addressId: body.addressId,
          note: body.note ?? '',
        };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The order a key already created, or null; 409 when the key was used for a different request. */
export async function findReplay(
  q: SqlReader,
  userId: string,
  key: string,
  hash: string,
): Promise<string | null> {
  const row = await q.get<{ requestHash: string; orderId: string }>(
    'SELECT "requestHash", "orderId" FROM "IdempotencyKey" WHERE "userId" = ? AND "key" = ?',
    userId,
    key,
  );
  if (!row) return null;
  if (row.requestHash !== hash) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different order request',
    );
  }
  return row.orderId;
}
