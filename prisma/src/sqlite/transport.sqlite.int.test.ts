// sql(db) on SQLite: one connection shared with the Prisma client, one thing at a time, and a second process that
// waits its turn.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { closeDb, createDb, type Db } from '../client';
import { applyMigrations } from '../migrate';
import { newId, sql } from '../sql';
import { bumpSortOrder, bumpSortOrderSql } from '../testing/bump';
import { startBumpProcess } from '../testing/bump-process';
import { openFailingTransaction } from '../testing/open-transaction';
import { databaseOf } from './transport';

let tmp: string;
let file: string;
let db: Db;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shop-db-sqlite-'));
  file = path.join(tmp, 'shop.db');
  await applyMigrations(file);
  db = createDb(file);
});

afterAll(async () => {
  await closeDb(db);
  await rm(tmp, { recursive: true, force: true });
});

/** How the adapter stores a DateTime. */
const STORED_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

async function newCategory(slug: string): Promise<string> {
  return (await db.category.create({ data: { slug, name: slug, iconPath: `/${slug}` } })).id;
}

async function sortOrderOf(categoryId: string): Promise<number> {
  return (await db.category.findUniqueOrThrow({ where: { id: categoryId } })).sortOrder;
}

describe('values on SQLite', () => {
  it('stores a Date as the Prisma adapter does (ISO text with +00:00) and a boolean as 1 or 0', async () => {
    const categoryId = await newCategory('stored');
    const product = await db.product.create({ data: { categoryId, title: 't', featured: true } });
    const id = newId();
    await sql(db).transaction((tx) =>
      tx.run(
        'INSERT INTO "Product" ("id", "categoryId", "title", "featured", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)',
        id,
        categoryId,
        't',
        true,
        product.createdAt,
        product.updatedAt,
      ),
    );
    const rows = await sql(db).read((q) =>
      q.all<{ id: string; featured: number; createdAt: string }>(
        'SELECT "id", "featured", "createdAt" FROM "Product" WHERE "id" IN (?, ?) ORDER BY "id"',
        product.id,
        id,
      ),
    );
    expect(rows.map((row) => row.featured)).toEqual([1, 1]);
    for (const row of rows) expect(row.createdAt).toMatch(STORED_DATE);
    expect(rows[0]!.createdAt).toBe(rows[1]!.createdAt);
  });
});

describe('one connection, one thing at a time', () => {
  it('waits for an open Prisma transaction and never sees its uncommitted rows', async () => {
    // Request A (Prisma): opens a transaction, writes, waits, then fails and rolls back.
    const a = await openFailingTransaction(db, 'prisma-uncommitted');

    // Requests B and C (sql): a read and a write while A is open. They must wait for A, not join it.
    let bRan = false;
    const b = sql(db).read((q) => {
      bRan = true;
      return q.get('SELECT "id" FROM "Category" WHERE "slug" = ?', 'prisma-uncommitted');
    });
    const c = sql(db).transaction((tx) =>
      tx.run(
        'INSERT INTO "Category" ("id", "slug", "name", "iconPath", "sortOrder") VALUES (?, ?, ?, ?, ?)',
        newId(),
        'sql-survives',
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
    expect(slugs).toContain('sql-survives');
    expect(slugs).not.toContain('prisma-uncommitted');
  });

  it('keeps Prisma queries out of a transaction that is waiting its turn, and commits before they run', async () => {
    const categoryId = await newCategory('ordering');
    let holdOpen!: () => void;
    const held = new Promise<void>((resolve) => (holdOpen = resolve));
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    // A Prisma transaction holds the connection; behind it queue an sql() write and then a Prisma read.
    const blocker = db.$transaction(async () => {
      opened();
      await held;
    });
    await isOpen;
    const write = sql(db).transaction((tx) =>
      tx.run('UPDATE "Category" SET "sortOrder" = 5 WHERE "id" = ?', categoryId),
    );
    const read = Promise.resolve(db.category.findUniqueOrThrow({ where: { id: categoryId } }));
    holdOpen();
    await blocker;
    await write;
    // The read queued after the write, so it sees it: one thing at a time, in order.
    expect((await read).sortOrder).toBe(5);
  });

  it('keeps Prisma queries out of an sql() transaction while it awaits its statements', async () => {
    const categoryId = await newCategory('held');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = sql(db).transaction(async (tx) => {
      await tx.run('UPDATE "Category" SET "sortOrder" = 9 WHERE "id" = ?', categoryId);
      await held;
      throw new Error('rolled back');
    });
    let prismaRan = false;
    const prisma = Promise.resolve(db.category.findUniqueOrThrow({ where: { id: categoryId } })).then(
      (row) => {
        prismaRan = true;
        return row;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(prismaRan).toBe(false);
    release();
    await expect(transaction).rejects.toThrow('rolled back');
    expect((await prisma).sortOrder).toBe(0);
  });

  it('loses no update when sql() and Prisma read-then-write transactions interleave', async () => {
    const categoryId = await newCategory('mixed-counter');
    // Staggered starts, so sql() transactions arrive while Prisma transactions sit in their pause between read and write.
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i % 10));
        await (i % 2 === 0 ? bumpSortOrderSql(db, categoryId) : bumpSortOrder(db, categoryId));
      }),
    );
    expect(await sortOrderOf(categoryId)).toBe(100);
  });
});

describe('two processes on one file', () => {
  it.each(['prisma', 'sql'] as const)(
    'sql() transactions here and %s transactions in another process wait their turn instead of failing busy',
    async (otherMode) => {
      const categoryId = await newCategory(`shared-${otherMode}`);
      const rounds = 60;
      const other = await startBumpProcess(file, categoryId, rounds, otherMode);
      const failures: unknown[] = [];
      for (let i = 0; i < rounds; i++) {
        await bumpSortOrderSql(db, categoryId).catch((error: unknown) => failures.push(error));
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
});
