// sql(db) on the engine of the test project: values as Prisma writes them, both ways; guarded writes; transactions.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PrismaClient, type NotifyInbox, type Order } from '../generated/sqlite/client';
import { closeDb, createDb, type Db } from './client';
import { isUniqueViolation, newId, readBool, readDate, readDateOrNull, readInt, sql } from './sql';
import { createTestDatabase, testEngine, type TestDatabase } from './testing/databases';

let database: TestDatabase;
let db: Db;
let userId: string;
const engine = testEngine();

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.location);
  userId = (await db.user.create({ data: {} })).id;
});

afterAll(async () => {
  await closeDb(db);
  await database.drop();
});

/** The contract's Id (packages/contract): what every id in a URL or body must match. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

async function newCategory(slug: string): Promise<string> {
  return (await db.category.create({ data: { slug, name: slug, iconPath: `/${slug}` } })).id;
}

async function sortOrderOf(categoryId: string): Promise<number> {
  return (await db.category.findUniqueOrThrow({ where: { id: categoryId } })).sortOrder;
}

function order(overrides: Partial<Order> = {}): Order {
  const createdAt = new Date('2026-11-22T00:35:43.498Z');
  return {
    id: newId(),
    orderNo: `2026112208354300${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`,
    userId,
    status: 'PAID',
    subject: '保温杯',
    itemsFen: 9900,
    shippingFen: 0,
    totalFen: 9900,
    refundedFen: 0,
    refundPendingFen: 0,
    expiresAt: new Date('2026-11-22T01:05:43.498Z'),
    paidAt: new Date('2026-11-22T08:00:00.001Z'),
    shippedAt: null,
    completedAt: null,
    closedAt: null,
    closeReason: null,
    carrier: null,
    trackingNo: null,
    shipName: '张三',
    shipPhoneCipher: 'k1:phone',
    shipProvince: '浙江省',
    shipCity: '杭州市',
    shipDistrict: '西湖区',
    shipDetailCipher: 'k1:detail',
    buyerNote: '',
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

describe(`values (${engine})`, () => {
  it('a row written through sql() reads back through Prisma field for field', async () => {
    const written = order();
    expect(await sql(db).transaction((tx) => tx.insert('Order', written))).toBe(1);
    expect(await db.order.findUniqueOrThrow({ where: { id: written.id } })).toEqual(written);

    const inbox: NotifyInbox = {
      id: newId(),
      notifyId: 'n-1',
      orderId: written.id,
      outTradeNo: written.orderNo,
      tradeNo: null,
      outBizNo: null,
      tradeStatus: 'TRADE_SUCCESS',
      totalFen: null,
      rawBody: 'a=b',
      contentType: '',
      fieldsJson: '{}',
      verified: true,
      rejectReason: null,
      outcome: 'APPLIED',
      outcomeDetail: '',
      acknowledged: false,
      receivedAt: written.createdAt,
      alipayKeyId: 'a1b2c3d4',
    };
    await sql(db).transaction((tx) => tx.insert('NotifyInbox', inbox));
    expect(await db.notifyInbox.findUniqueOrThrow({ where: { id: inbox.id } })).toEqual(inbox);
    // A guarded update through run() with a Date and a boolean, read back through Prisma.
    const at = new Date('2026-11-23T10:00:00.000Z');
    const changed = await sql(db).transaction((tx) =>
      tx.run(
        'UPDATE "NotifyInbox" SET "acknowledged" = ?, "receivedAt" = ? WHERE "id" = ? AND "acknowledged" = ?',
        true,
        at,
        inbox.id,
        false,
      ),
    );
    expect(changed).toBe(1);
    expect(await db.notifyInbox.findUniqueOrThrow({ where: { id: inbox.id } })).toEqual({
      ...inbox,
      acknowledged: true,
      receivedAt: at,
    });
  });

  it('writes several rows in one insert, and skips the ones that collide when told to', async () => {
    const first = order();
    const second = order();
    expect(await sql(db).transaction((tx) => tx.insert('Order', [first, second]))).toBe(2);
    const clash = order({ orderNo: first.orderNo });
    const third = order();
    const written = await sql(db).transaction((tx) =>
      tx.insert('Order', [clash, third], { onConflictDoNothing: ['orderNo'] }),
    );
    expect(written).toBe(1);
    expect(await db.order.findUnique({ where: { id: clash.id } })).toBeNull();
    expect(await db.order.findUnique({ where: { id: third.id } })).not.toBeNull();
    await expect(
      sql(db).transaction((tx) => tx.insert('Order', [order(), { ...order(), extra: 1 }])),
    ).rejects.toThrow(/same columns/);
  });

  it('a row written through Prisma reads back through sql() with the read helpers', async () => {
    const categoryId = await newCategory('values');
    const product = await db.product.create({
      data: { categoryId, title: '杯', status: 'PUBLISHED', featured: true, salesCount: 3 },
    });
    const row = await sql(db).read((q) =>
      q.get<{
        id: string;
        status: string;
        featured: boolean | number;
        salesCount: number;
        createdAt: string | Date;
      }>(
        'SELECT "id", "status", "featured", "salesCount", "createdAt" FROM "Product" WHERE "id" = ?',
        product.id,
      ),
    );
    expect(row).toMatchObject({ id: product.id, status: 'PUBLISHED', salesCount: 3 });
    expect(readDate(row!.createdAt)).toEqual(product.createdAt);
    expect(readBool(row!.featured)).toBe(true);
    expect(typeof row!.salesCount).toBe('number');

    const session = await db.session.create({
      data: { tokenHash: 'h-values', userId, expiresAt: new Date('2027-01-01T00:00:00.000Z') },
    });
    const stored = await sql(db).read((q) =>
      q.get<{ revokedAt: string | Date | null; expiresAt: string | Date }>(
        'SELECT "revokedAt", "expiresAt" FROM "Session" WHERE "id" = ?',
        session.id,
      ),
    );
    expect(readDateOrNull(stored!.revokedAt)).toBeNull();
    expect(readDate(stored!.expiresAt)).toEqual(session.expiresAt);
  });

  it('compares dates written by either path in SQL, to the millisecond', async () => {
    const at = new Date('2026-11-22T08:00:00.001Z');
    const written = order({ paidAt: at });
    await sql(db).transaction((tx) => tx.insert('Order', written));
    const count = (op: string, when: Date) =>
      sql(db).read(async (q) =>
        readInt(
          (await q.get<{ n: number }>(
            `SELECT count(*) AS n FROM "Order" WHERE "id" = ? AND "paidAt" ${op} ?`,
            written.id,
            when,
          ))!.n,
        ),
      );
    expect(await count('=', at)).toBe(1);
    expect(await count('<', new Date(at.getTime() + 1))).toBe(1);
    expect(await count('>', new Date(at.getTime() - 1))).toBe(1);
    expect(await count('<', at)).toBe(0);
    const viaPrisma = await db.order.count({ where: { id: written.id, paidAt: { gte: at, lte: at } } });
    expect(viaPrisma).toBe(1);
  });

  it('reads a date the database wrote itself (a column default) as Prisma does: UTC', async () => {
    const categoryId = await newCategory('defaults');
    const productId = newId();
    await sql(db).transaction((tx) =>
      tx.run(
        `INSERT INTO "Product" ("id", "categoryId", "title", "updatedAt") VALUES (?, ?, ?, ?)`,
        productId,
        categoryId,
        't',
        new Date(),
      ),
    );
    const raw = await sql(db).read((q) =>
      q.get<{ createdAt: string | Date }>('SELECT "createdAt" FROM "Product" WHERE "id" = ?', productId),
    );
    const viaPrisma = await db.product.findUniqueOrThrow({ where: { id: productId } });
    expect(readDate(raw!.createdAt)).toEqual(viaPrisma.createdAt);
    expect(Math.abs(viaPrisma.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('reads counts and sums as numbers', async () => {
    const row = await sql(db).read((q) =>
      q.get<{ n: number | string; total: number | string | null }>(
        'SELECT count(*) AS n, sum("totalFen") AS total FROM "Order"',
      ),
    );
    expect(readInt(row!.n)).toBeGreaterThan(0);
    expect(readInt(row!.total)).toBeGreaterThan(0);
    expect(readInt(null)).toBe(0);
  });

  it('makes ids the contract accepts, in creation order, like Prisma’s', async () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    expect(ids.every((id) => ID.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const prismaId = (await db.user.create({ data: {} })).id;
    // Same algorithm and fingerprint (this process, this host): same length and shape.
    expect(ids[0]!).toHaveLength(prismaId.length);
    expect(ids[0]!.slice(13, 17)).toBe(prismaId.slice(13, 17));
  });

  it('tells a unique violation on a table and column from others, from sql() and from Prisma', async () => {
    await newCategory('twice');
    const error = await sql(db)
      .transaction((tx) =>
        tx.run(
          'INSERT INTO "Category" ("id", "slug", "name", "iconPath", "sortOrder") VALUES (?, ?, ?, ?, ?)',
          newId(),
          'twice',
          'x',
          '/x',
          0,
        ),
      )
      .catch((e: unknown) => e);
    expect(isUniqueViolation(db, error, 'Category', 'slug')).toBe(true);
    expect(isUniqueViolation(db, error, 'Category')).toBe(true);
    expect(isUniqueViolation(db, error, 'Category', 'id')).toBe(false);
    expect(isUniqueViolation(db, error, 'Order')).toBe(false);
    expect(isUniqueViolation(db, new Error('UNIQUE constraint failed: Category.slug'), 'Category')).toBe(
      false,
    );

    const viaPrisma = await db.category
      .create({ data: { slug: 'twice', name: 'x', iconPath: '/x' } })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(db, viaPrisma, 'Category', 'slug')).toBe(true);
    expect(isUniqueViolation(db, viaPrisma, 'Category', 'name')).toBe(false);
    expect(isUniqueViolation(db, viaPrisma, 'Order')).toBe(false);
  });

  it('keeps `?` inside quoted text as text', async () => {
    const row = await sql(db).read((q) =>
      q.get<{ a: string; b: string }>(`SELECT 'why?' AS "a", ? AS "b"`, 'x'),
    );
    expect(row).toEqual({ a: 'why?', b: 'x' });
  });
});

describe(`dialect (${engine})`, () => {
  it('finds text by plain characters, case-insensitively, where % and _ are not wildcards', async () => {
    const categoryId = await newCategory('search');
    for (const title of ['100% Cotton Tee', 'Tea_Cup', 'TEAPOT', '保温杯']) {
      await db.product.create({ data: { categoryId, title } });
    }
    const titles = async (needle: string) =>
      (
        await sql(db).read((q) =>
          q.all<{ title: string }>(
            `SELECT "title" FROM "Product" WHERE "categoryId" = ? AND ${q.dialect.containsText('"title"')} ORDER BY "title"`,
            categoryId,
            needle,
          ),
        )
      ).map((row) => row.title);
    expect(await titles('tea')).toEqual(['TEAPOT', 'Tea_Cup']);
    expect(await titles('%')).toEqual(['100% Cotton Tee']);
    expect(await titles('a_c')).toEqual(['Tea_Cup']);
    expect(await titles('温')).toEqual(['保温杯']);
    const prefix = await sql(db).read((q) =>
      q.all<{ title: string }>(
        `SELECT "title" FROM "Product" WHERE "categoryId" = ? AND ${q.dialect.startsWithText('"title"')}`,
        categoryId,
        'Tea',
      ),
    );
    expect(prefix.map((row) => row.title)).toEqual(['Tea_Cup']);
  });

  it('groups a DateTime by its China calendar day', async () => {
    const late = order({ paidAt: new Date('2026-11-22T15:59:59.999Z') });
    const early = order({ paidAt: new Date('2026-11-22T16:00:00.000Z') });
    await sql(db).transaction((tx) => tx.insert('Order', [late, early]));
    const days = await sql(db).read((q) =>
      q.all<{ id: string; day: string }>(
        `SELECT "id", ${q.dialect.chinaDay('"paidAt"')} AS "day" FROM "Order" WHERE "id" IN (?, ?)`,
        late.id,
        early.id,
      ),
    );
    expect(Object.fromEntries(days.map((row) => [row.id, row.day]))).toEqual({
      [late.id]: '2026-11-22',
      [early.id]: '2026-11-23',
    });
  });
  it('forUpdateOf locks the rows of one table of a join until the transaction ends', async () => {
    const locked = order({ status: 'PENDING_PAYMENT' });
    await sql(db).transaction((tx) => tx.insert('Order', locked));
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = sql(db).transaction(async (tx) => {
      const row = await tx.get<{ status: string }>(
        `SELECT o."status" FROM "Order" o JOIN "User" u ON u."id" = o."userId" WHERE o."id" = ?${tx.dialect.forUpdateOf('o')}`,
        locked.id,
      );
      events.push(`read ${row?.status}`);
      await held;
      await tx.run('UPDATE "Order" SET "status" = ? WHERE "id" = ?', 'PAID', locked.id);
      events.push('first wrote');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The second writer of the row waits for the first transaction: on PostgreSQL at the row's lock, on SQLite at
    // the write lock the first transaction holds from its start.
    const second = sql(db).transaction(async (tx) => {
      const changed = await tx.run(
        'UPDATE "Order" SET "status" = ? WHERE "id" = ? AND "status" = ?',
        'CLOSED',
        locked.id,
        'PENDING_PAYMENT',
      );
      events.push(`second changed ${changed}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    events.push('released');
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['read PENDING_PAYMENT', 'released', 'first wrote', 'second changed 0']);
  });
});

describe(`autocommit (${engine})`, () => {
  it('commits each write on its own: a later failure keeps the earlier write', async () => {
    const categoryId = await newCategory('autocommit');
    await expect(
      sql(db).autocommit(async (q) => {
        await q.run('UPDATE "Category" SET "sortOrder" = 5 WHERE "id" = ?', categoryId);
        await q.run(
          'INSERT INTO "Category" ("id", "slug", "name", "iconPath", "sortOrder") VALUES (?, ?, ?, ?, ?)',
          newId(),
          'autocommit',
          'x',
          '/x',
          0,
        );
      }),
    ).rejects.toSatisfy((error: unknown) => isUniqueViolation(db, error, 'Category', 'slug'));
    expect(await sortOrderOf(categoryId)).toBe(5);
  });
});

describe(`transactions (${engine})`, () => {
  it('rolls back everything when the work throws, and rethrows', async () => {
    const categoryId = await newCategory('rollback');
    const failure = new Error('out of stock');
    await expect(
      sql(db).transaction(async (tx) => {
        await tx.run('UPDATE "Category" SET "sortOrder" = 7 WHERE "id" = ?', categoryId);
        await tx.run(
          'INSERT INTO "Category" ("id", "slug", "name", "iconPath", "sortOrder") VALUES (?, ?, ?, ?, ?)',
          newId(),
          'rolled-back',
          'x',
          '/x',
          0,
        );
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await sortOrderOf(categoryId)).toBe(0);
    expect(await db.category.findUnique({ where: { slug: 'rolled-back' } })).toBeNull();
  });

  it('rolls back the earlier writes when a statement fails, and the connection stays usable', async () => {
    const categoryId = await newCategory('statement-fails');
    await expect(
      sql(db).transaction(async (tx) => {
        await tx.run('UPDATE "Category" SET "sortOrder" = 7 WHERE "id" = ?', categoryId);
        // A foreign key that points nowhere.
        await tx.run(
          'INSERT INTO "Product" ("id", "categoryId", "title", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)',
          newId(),
          'no-such-category',
          't',
          new Date(),
          new Date(),
        );
      }),
    ).rejects.toMatchObject({ code: engine === 'sqlite' ? 'SQLITE_CONSTRAINT_FOREIGNKEY' : '23503' });
    expect(await sortOrderOf(categoryId)).toBe(0);
    await sql(db).transaction((tx) =>
      tx.run('UPDATE "Category" SET "sortOrder" = "sortOrder" + 1 WHERE "id" = ?', categoryId),
    );
    await db.category.update({ where: { id: categoryId }, data: { sortOrder: { increment: 1 } } });
    expect(await sortOrderOf(categoryId)).toBe(2);
  });

  it('never lets a reader see rows of a transaction that has not committed', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const isWritten = new Promise<void>((resolve) => (written = resolve));
    const slug = 'uncommitted';
    const open = sql(db).transaction(async (tx) => {
      await tx.run(
        'INSERT INTO "Category" ("id", "slug", "name", "iconPath", "sortOrder") VALUES (?, ?, ?, ?, ?)',
        newId(),
        slug,
        'x',
        '/x',
        0,
      );
      written();
      await held;
      throw new Error('rolled back');
    });
    await isWritten;
    // Prisma's read and sql()'s read either wait for the transaction (SQLite, one connection) or read past it
    // (PostgreSQL): neither sees the row.
    const viaPrisma = Promise.resolve(db.category.findUnique({ where: { slug } }));
    const viaSql = sql(db).read((q) => q.get('SELECT "id" FROM "Category" WHERE "slug" = ?', slug));
    await new Promise((resolve) => setTimeout(resolve, 30));
    release();
    await expect(open).rejects.toThrow('rolled back');
    expect(await viaPrisma).toBeNull();
    expect(await viaSql).toBeUndefined();
  });

  it('guarded updates from 50 concurrent transactions lose nothing and never pass the guard', async () => {
    const categoryId = await newCategory('guarded');
    // "Stock" 30 taken one by one by 50 buyers: exactly 30 succeed, whatever the interleaving.
    await db.category.update({ where: { id: categoryId }, data: { sortOrder: 30 } });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        sql(db).transaction((tx) =>
          tx.run(
            'UPDATE "Category" SET "sortOrder" = "sortOrder" - ? WHERE "id" = ? AND "sortOrder" >= ?',
            1,
            categoryId,
            1,
          ),
        ),
      ),
    );
    expect(results.filter((n) => n === 1)).toHaveLength(30);
    expect(await sortOrderOf(categoryId)).toBe(0);
  });
});

describe(`clients (${engine})`, () => {
  it('connects a client that has not run a query yet, and again after it disconnected', async () => {
    const fresh = createDb(database.location);
    try {
      const count = () =>
        sql(fresh).read(async (q) =>
          readInt((await q.get<{ n: number }>('SELECT count(*) AS n FROM "User"'))!.n),
        );
      const before = await count();
      expect(before).toBeGreaterThan(0);
      await fresh.$disconnect();
      expect(await count()).toBe(before);
    } finally {
      await closeDb(fresh);
    }
  });

  it('refuses a client that createDb did not make', () => {
    const other = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: 'file::memory:' }) });
    expect(() => sql(other)).toThrow(/createDb/);
  });
});
