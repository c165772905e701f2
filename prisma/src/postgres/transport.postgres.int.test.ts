// sql(db) on PostgreSQL: a deadlock is retried from the start, every connection is in UTC whatever the process's
// zone, and sql() shares the Prisma client's pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { closeDb, createDb, type Db } from '../client';
import { newId, readDate, sql } from '../sql';
import { createTestDatabase, type TestDatabase } from '../testing/databases';
import { toPostgres } from './transport';

let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase({ engine: 'postgresql' });
  db = createDb(database.location, { poolSize: 4 });
});

afterAll(async () => {
  await closeDb(db);
  await database.drop();
});

async function newCategory(slug: string): Promise<string> {
  return (await db.category.create({ data: { slug, name: slug, iconPath: `/${slug}` } })).id;
}

describe('sql() on PostgreSQL', () => {
  it('numbers placeholders outside quoted text and identifiers', () => {
    expect(toPostgres(`SELECT "a?" FROM "T" WHERE "x" = ? AND y = 'it''s?' AND z IN (?, ?)`).text).toBe(
      `SELECT "a?" FROM "T" WHERE "x" = $1 AND y = 'it''s?' AND z IN ($2, $3)`,
    );
  });

  it('runs a transaction that lost a deadlock again from the start, so both finish', async () => {
    const a = await newCategory('deadlock-a');
    const b = await newCategory('deadlock-b');
    let runs = 0;
    let bothHoldOne!: () => void;
    let waiting = 0;
    const barrier = new Promise<void>((resolve) => (bothHoldOne = resolve));
    const lockInOrder = (first: string, second: string) =>
      sql(db).transaction(async (tx) => {
        runs++;
        await tx.run('UPDATE "Category" SET "sortOrder" = "sortOrder" + 1 WHERE "id" = ?', first);
        if (++waiting === 2) bothHoldOne();
        // Only the first attempts meet here; a retried attempt goes straight on.
        if (runs <= 2) await barrier;
        await tx.run('UPDATE "Category" SET "sortOrder" = "sortOrder" + 1 WHERE "id" = ?', second);
      });
    await Promise.all([lockInOrder(a, b), lockInOrder(b, a)]);
    expect(runs).toBe(3);
    const rows = await db.category.findMany({ where: { id: { in: [a, b] } } });
    expect(rows.map((row) => row.sortOrder)).toEqual([2, 2]);
  });

  it('stores and reads UTC whatever time zone the process is in', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      const categoryId = await newCategory('zone');
      const at = new Date('2026-11-22T23:30:00.123Z');
      const id = newId();
      await sql(db).transaction((tx) =>
        tx.run(
          'INSERT INTO "Product" ("id", "categoryId", "title", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)',
          id,
          categoryId,
          't',
          at,
          at,
        ),
      );
      expect((await db.product.findUniqueOrThrow({ where: { id } })).createdAt).toEqual(at);
      const row = await sql(db).read((q) =>
        q.get<{ createdAt: Date; text: string; zone: string }>(
          `SELECT "createdAt", to_char("createdAt", 'YYYY-MM-DD HH24:MI:SS.MS') AS "text", current_setting('TimeZone') AS "zone" FROM "Product" WHERE "id" = ?`,
          id,
        ),
      );
      expect(readDate(row!.createdAt)).toEqual(at);
      expect(row!.text).toBe('2026-11-22 23:30:00.123');
      expect(row!.zone).toBe('UTC');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('shares the Prisma client’s pool: never more connections than the pool holds', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? sql(db).transaction((tx) => tx.get('SELECT 1 AS one FROM pg_sleep(0.01)'))
          : db.$queryRaw`SELECT 1 AS one FROM pg_sleep(0.01)`,
      ),
    );
    const row = await sql(db).read((q) =>
      q.get<{ n: number }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'shop'",
      ),
    );
    expect(row!.n).toBeLessThanOrEqual(4);
    expect(row!.n).toBeGreaterThan(0);
  });
});
