// sqlite(db): synchronous SQL on the Prisma client's connection, under its mutex, with Prisma's value conventions.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PrismaClient, type NotifyInbox, type Order } from '../generated/client';
import { closeDb, createDb, type Db } from './client';
import { applyMigrations } from './migrate';
import {
  databaseOf,
  isSqliteUniqueViolation,
  newId,
  readBool,
  readDate,
  readDateOrNull,
  sqlDate,
  sqlite,
} from './sqlite';
import { bumpSortOrder, bumpSortOrderSync } from './testing/bump';
import { startBumpProcess } from './testing/bump-process';
import { openFailingTransaction } from './testing/open-transaction';

let tmp: string;
let file: string;
let db: Db;
let userId: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shop-db-sqlite-'));
  file = path.join(tmp, 'shop.db');
  await applyMigrations(file);
  db = createDb(file);
  userId = (await db.user.create({ data: {} })).id;
});

afterAll(async () => {
  await closeDb(db);
  await rm(tmp, { recursive: true, force: true });
});

/** The contract's Id (packages/contract): what every id in a URL or body must match. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** How the adapter stores a DateTime. */
const STORED_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

async function newCategory(slug: string): Promise<string> {
  return (await db.category.create({ data: { slug, name: slug, iconPath: `/${slug}` } })).id;
}

async function sortOrderOf(categoryId: string): Promise<number> {
  return (await db.category.findUniqueOrThrow({ where: { id: categoryId } })).sortOrder;
}

describe('values', () => {
  it('a row written through sqlite() reads back through Prisma field for field', async () => {
    const createdAt = new Date('2026-11-22T00:35:43.498Z');
    const order: Order = {
      id: newId(),
      orderNo: '20261122083543000001',
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
    };
    await sqlite(db).transaction((tx) => tx.insert('Order', order));
    expect(await db.order.findUniqueOrThrow({ where: { id: order.id } })).toEqual(order);

    const inbox: NotifyInbox = {
      id: newId(),
      notifyId: 'n-1',
      orderId: order.id,
      outTradeNo: order.orderNo,
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
      receivedAt: createdAt,
    };
    await sqlite(db).transaction((tx) => tx.insert('NotifyInbox', inbox));
    expect(await db.notifyInbox.findUniqueOrThrow({ where: { id: inbox.id } })).toEqual(inbox);
    // A guarded update through run() with a Date and a boolean, read back through Prisma.
    const paidAt = new Date('2026-11-23T10:00:00.000Z');
    const changed = await sqlite(db).transaction((tx) =>
      tx.run(
        'UPDATE "NotifyInbox" SET "acknowledged" = ?, "receivedAt" = ? WHERE "id" = ? AND "acknowledged" = ?',
        true,
        paidAt,
        inbox.id,
        false,
      ),
    );
    expect(changed).toBe(1);
    expect(await db.notifyInbox.findUniqueOrThrow({ where: { id: inbox.id } })).toEqual({
      ...inbox,
      acknowledged: true,
      receivedAt: paidAt,
    });
  });

  it('a row written through Prisma reads back through sqlite() field for field, stored as sqlDate writes it', async () => {
    const categoryId = await newCategory('values');
    const product = await db.product.create({
      data: { categoryId, title: '杯', status: 'PUBLISHED', featured: true, salesCount: 3 },
    });
    const row = await sqlite(db).read((q) =>
      q.get<{
        id: string;
        status: string;
        featured: number;
        salesCount: number;
        createdAt: string;
        updatedAt: string;
      }>(
        'SELECT "id", "status", "featured", "salesCount", "createdAt", "updatedAt" FROM "Product" WHERE "id" = ?',
        product.id,
      ),
    );
    expect(row).toEqual({
      id: product.id,
      status: 'PUBLISHED',
      featured: 1,
      salesCount: 3,
      createdAt: sqlDate(product.createdAt),
      updatedAt: sqlDate(product.updatedAt),
    });
    expect(row!.createdAt).toMatch(STORED_DATE);
    expect(readDate(row!.createdAt)).toEqual(product.createdAt);
    expect(readBool(row!.featured)).toBe(true);
    expect(typeof row!.salesCount).toBe('number');

    const session = await db.session.create({
      data: { tokenHash: 'h-values', userId, expiresAt: new Date('2027-01-01T00:00:00.000Z') },
    });
    const stored = await sqlite(db).read((q) =>
      q.get<{ revokedAt: string | null; expiresAt: string }>(
        'SELECT "revokedAt", "expiresAt" FROM "Session" WHERE "id" = ?',
        session.id,
      ),
    );
    expect(readDateOrNull(stored!.revokedAt)).toBeNull();
    expect(readDate(stored!.expiresAt)).toEqual(session.expiresAt);
  });

  it('reads a date SQLite wrote itself (a column default) as Prisma does: UTC', async () => {
    const categoryId = await newCategory('defaults');
    const productId = newId();
    await sqlite(db).transaction((tx) =>
      tx.run(
        `INSERT INTO "Product" ("id", "categoryId", "title", "updatedAt") VALUES (?, ?, ?, ?)`,
        productId,
        categoryId,
        't',
        new Date(),
      ),
    );
    const raw = await sqlite(db).read((q) =>
      q.get<{ createdAt: string }>('SELECT "createdAt" FROM "Product" WHERE "id" = ?', productId),
    );
    expect(raw!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const viaPrisma = await db.product.findUniqueOrThrow({ where: { id: productId } });
    expect(readDate(raw!.createdAt)).toEqual(viaPrisma.createdAt);
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

  it('tells a unique violation on a table and column from others', async () => {
    await newCategory('twice');
    const error = await sqlite(db)
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
    expect(isSqliteUniqueViolation(error, 'Category', 'slug')).toBe(true);
    expect(isSqliteUniqueViolation(error, 'Category')).toBe(true);
    expect(isSqliteUniqueViolation(error, 'Category', 'id')).toBe(false);
    expect(isSqliteUniqueViolation(error, 'Order')).toBe(false);
    expect(isSqliteUniqueViolation(new Error('UNIQUE constraint failed: Category.slug'), 'Category')).toBe(
      false,
    );
  });
});

describe('transactions', () => {
  it('rolls back everything when the work throws, and rethrows', async () => {
    const categoryId = await newCategory('rollback');
    const failure = new Error('out of stock');
    await expect(
      sqlite(db).transaction((tx) => {
        tx.run('UPDATE "Category" SET "sortOrder" = 7 WHERE "id" = ?', categoryId);
        tx.run(
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

  it('rolls back the earlier writes when a statement fails', async () => {
    const categoryId = await newCategory('statement-fails');
    await expect(
      sqlite(db).transaction((tx) => {
        tx.run('UPDATE "Category" SET "sortOrder" = 7 WHERE "id" = ?', categoryId);
        // A foreign key that points nowhere.
        tx.run(
          'INSERT INTO "Product" ("id", "categoryId", "title", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)',
          newId(),
          'no-such-category',
          't',
          new Date(),
          new Date(),
        );
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(await sortOrderOf(categoryId)).toBe(0);
    // The connection is usable afterwards, by both paths.
    await bumpSortOrderSync(db, categoryId);
    await bumpSortOrder(db, categoryId);
    expect(await sortOrderOf(categoryId)).toBe(2);
  });

  it('refuses async work and rolls it back', async () => {
    const categoryId = await newCategory('async-work');
    await expect(
      sqlite(db).transaction(async (tx) => {
        tx.run('UPDATE "Category" SET "sortOrder" = 7 WHERE "id" = ?', categoryId);
        await Promise.resolve();
      }),
    ).rejects.toThrow(/must be synchronous/);
    expect(await sortOrderOf(categoryId)).toBe(0);
  });

  it('waits for an open Prisma transaction and never sees its uncommitted rows', async () => {
    // Request A (Prisma): opens a transaction, writes, waits, then fails and rolls back.
    const a = await openFailingTransaction(db, 'prisma-uncommitted');

    // Requests B and C (sqlite): a read and a write while A is open. They must wait for A, not join it.
    let bRan = false;
    const b = sqlite(db).read((q) => {
      bRan = true;
      return q.get('SELECT "id" FROM "Category" WHERE "slug" = ?', 'prisma-uncommitted');
    });
    const c = sqlite(db).transaction((tx) =>
      tx.run(
        'INSERT INTO "Category" ("id", "slug", "name", "iconPath", "sortOrder") VALUES (?, ?, ?, ?, ?)',
        newId(),
        'sync-survives',
        'C',
        '/c',
        0,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bRan).toBe(false);
    a.fail();
    expect(await a.settled).toBeInstanceOf(Error);
    expect(await b).toBeUndefined();
    expect(await c).toBe(1);
    const slugs = (await db.category.findMany({ select: { slug: true } })).map((row) => row.slug);
    expect(slugs).toContain('sync-survives');
    expect(slugs).not.toContain('prisma-uncommitted');
  });

  it('keeps Prisma queries out of a transaction that is waiting its turn, and commits before they run', async () => {
    const categoryId = await newCategory('ordering');
    let holdOpen!: () => void;
    const held = new Promise<void>((resolve) => (holdOpen = resolve));
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    // A Prisma transaction holds the connection; behind it queue a sync write and then a Prisma read.
    const blocker = db.$transaction(async () => {
      opened();
      await held;
    });
    await isOpen;
    const write = sqlite(db).transaction((tx) =>
      tx.run('UPDATE "Category" SET "sortOrder" = 5 WHERE "id" = ?', categoryId),
    );
    const read = Promise.resolve(db.category.findUniqueOrThrow({ where: { id: categoryId } }));
    holdOpen();
    await blocker;
    await write;
    // The read queued after the write, so it sees it: one thing at a time, in order.
    expect((await read).sortOrder).toBe(5);
  });

  it('loses no update when sync and Prisma read-then-write transactions interleave', async () => {
    const categoryId = await newCategory('mixed-counter');
    // Staggered starts, so sync transactions arrive while Prisma transactions sit in their pause between read and write.
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i % 10));
        await (i % 2 === 0 ? bumpSortOrderSync(db, categoryId) : bumpSortOrder(db, categoryId));
      }),
    );
    expect(await sortOrderOf(categoryId)).toBe(100);
  });
});

describe('two processes on one file', () => {
  it.each(['prisma', 'sync'] as const)(
    'sync transactions here and %s transactions in another process wait their turn instead of failing busy',
    async (otherMode) => {
      const categoryId = await newCategory(`shared-${otherMode}`);
      const rounds = 60;
      const other = await startBumpProcess(file, categoryId, rounds, otherMode);
      const failures: unknown[] = [];
      for (let i = 0; i < rounds; i++) {
        await bumpSortOrderSync(db, categoryId).catch((error: unknown) => failures.push(error));
        // Let the other process in between rounds, as requests would.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const { code, output } = await other.done;
      expect(code, output).toBe(0);
      expect(failures).toEqual([]);
      expect(await sortOrderOf(categoryId)).toBe(rounds * 2);
    },
  );
});

describe('finding the connection', () => {
  it('reaches the better-sqlite3 Database inside the adapter’s connection', async () => {
    const connection = await new PrismaBetterSqlite3({ url: `file:${file}` }).connect();
    try {
      const database = databaseOf(connection);
      expect(database.prepare('SELECT 1 AS one').get()).toEqual({ one: 1n });
    } finally {
      await connection.dispose();
    }
  });

  it('fails loudly when the adapter no longer keeps its Database where expected', () => {
    const changed = { provider: 'sqlite', adapterName: '@prisma/adapter-better-sqlite3' } as never;
    expect(() => databaseOf(changed)).toThrow(/no longer keeps its better-sqlite3 Database/);
  });

  it('connects a client that has not run a query yet, and again after it disconnected', async () => {
    const fresh = createDb(file);
    try {
      const count = () =>
        sqlite(fresh).read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM "User"')!.n);
      const before = await count();
      expect(before).toBeGreaterThan(0);
      await fresh.$disconnect();
      expect(await count()).toBe(before);
    } finally {
      await closeDb(fresh);
    }
  });

  it('refuses a client that createDb did not make', () => {
    const other = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) });
    expect(() => sqlite(other)).toThrow(/createDb/);
  });
});
