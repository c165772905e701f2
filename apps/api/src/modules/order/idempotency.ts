import { createHash } from 'node:crypto';
import type { OrderCreateBody } from '@shop/contract';
import { isSqliteUniqueViolation, Prisma, type SqlReader } from '@shop/db';
import { AppError } from '../../http/errors';

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
export function findReplay(q: SqlReader, userId: string, key: string, hash: string): string | null {
  const row = q.get<{ requestHash: string; orderId: string }>(
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

/**
 * True for a unique-constraint violation on `model` (optionally on `field`), from the Prisma client however its driver
 * adapter words it, or from a synchronous `sqlite(db)` statement.
 */
export function isUniqueViolation(error: unknown, model: string, field?: string): boolean {
  if (isSqliteUniqueViolation(error, model, field)) return true;
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  const meta = (error.meta ?? {}) as {
    modelName?: string;
    target?: string[] | string;
    driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } };
  };
  if (meta.modelName !== undefined && meta.modelName !== model) return false;
  if (field === undefined) return true;
  const fields = meta.driverAdapterError?.cause?.constraint?.fields ?? meta.target ?? [];
  return (Array.isArray(fields) ? fields : [fields]).some((f) => f === field || f.endsWith(`.${field}`));
}
