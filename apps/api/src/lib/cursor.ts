import type { z } from 'zod';
import { AppError } from '../errors';

/**
 * Opaque keyset-pagination cursors: the last row's sort key and id as base64url JSON. Keyset (rather than offset)
 * pagination stays correct while rows are added and costs one index seek per page; the id breaks ties so rows with
 * equal sort keys are neither skipped nor repeated. Clients treat the string as opaque.
 */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Decodes a cursor against its schema; anything that does not decode is a 400 naming `query.cursor`. */
export function decodeCursor<T extends z.ZodType>(cursor: string, schema: T): z.output<T> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursorError();
  }
  const result = schema.safeParse(json);
  if (!result.success) throw invalidCursorError();
  return result.data;
}

/** The 400 for a cursor that decodes but does not belong to this list (another sort, another filter). */
export function invalidCursorError(): AppError {
  const fields = [{ path: 'query.cursor', message: 'is not a cursor from this list' }];
  return new AppError('VALIDATION_ERROR', 'Invalid query: query.cursor is not a cursor from this list', {
    details: { fields },
  });
}
