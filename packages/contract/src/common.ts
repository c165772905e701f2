import { z } from 'zod';

/** Database ids (cuid) and other opaque identifiers we hand out. */
export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id');
export type Id = z.infer<typeof Id>;

/** Integer fen: money everywhere in the API. */
export const Fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export type Fen = z.infer<typeof Fen>;

/** Timestamps travel as ISO 8601 UTC strings. */
export const IsoDateTime = z.iso.datetime();
export type IsoDateTime = z.infer<typeof IsoDateTime>;

/** A China calendar date, `yyyy-MM-dd`. */
export const DateOnly = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date (yyyy-MM-dd)');
export type DateOnly = z.infer<typeof DateOnly>;

/** Opaque pagination cursor. */
export const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a cursor');

/** `limit` arrives as a query string. */
export const Limit = z.coerce.number().int().min(1).max(50).default(20);

/** `{ items, nextCursor }` lists. */
export function cursorPage<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Header carrying a client-chosen idempotency key on order creation. */
export const IdempotencyKeyHeader = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _');

/** Routes that take no query parameters refuse unknown ones rather than ignoring them. */
export const NoQuery = z.strictObject({});

/** Actions that take no body refuse one with fields rather than ignoring them (`{}` or nothing). */
export const NoBody = z.strictObject({});
