import { readInt } from '@shop/db';
import { sql, type Db } from '../db';

/**
 * Fixed-window request counters in the `RateLimitWindow` table, so every API process counts the same requests
 * (DESIGN.md, "Where it runs": limits count across processes). A window is `windowMs` long and aligned to the epoch;
 * each request adds one to its key's row with a single upsert that returns the new count, so concurrent requests from
 * any number of processes each see a distinct count and no more than the limit pass, on either engine, without a
 * lock or a read before the write. Rows whose window has ended are swept by `sweepRateLimitWindows`.
 */

export interface WindowCount {
  /** Requests counted in this window for the key, this one included. */
  count: number;
  /** When the window ends (the count starts again). */
  resetsAt: Date;
}

export async function countRequest(
  db: Db,
  key: string,
  windowMs: number,
  now: Date = new Date(),
): Promise<WindowCount> {
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  const resetsAt = new Date(start + windowMs);
  const row = await sql(db).transaction((tx) =>
    tx.get<{ count: number | bigint | string }>(
      `INSERT INTO "RateLimitWindow" ("key", "windowStart", "count", "expiresAt") VALUES (?, ?, 1, ?)
       ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1
       RETURNING "count"`,
      key,
      new Date(start),
      resetsAt,
    ),
  );
  if (!row) throw new Error('RateLimitWindow upsert returned no row');
  return { count: readInt(row.count), resetsAt };
}

/** Deletes the counters of windows that ended before `now`; returns how many. */
export function sweepRateLimitWindows(db: Db, now: Date = new Date()): Promise<number> {
  return sql(db).transaction((tx) => tx.run(`DELETE FROM "RateLimitWindow" WHERE "expiresAt" < ?`, now));
}
