import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import { closeDb, createDb } from '../client';
import { applyMigrations, migrationStatus } from '../migrate';
import { migrationsDirFor, repoRoot } from '../paths';
import {
  createTestDatabase,
  MODEL_NAMES,
  rowsOfEveryModel,
  unusedPostgresDatabase,
  type TestDatabase,
} from '../testing';
import { copyCli } from './cli';
import { copySqliteToPostgres, CopyRefused } from './copy';

/*
 * The copy from SQLite to PostgreSQL on real databases: a migrated SQLite file, and databases on the run's private
 * PostgreSQL cluster (integration-postgres; this file needs both engines at once, so it runs only there). The shop's
 * own flows filling a source (orders, payments, refunds, after-sales, reconciliation) are in
 * apps/api/src/db-copy.postgres.int.test.ts.
 */

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function sqliteSource(): Promise<TestDatabase & { file: string }> {
  const database = await createTestDatabase({ engine: 'sqlite' });
  cleanups.push(() => database.drop());
  if (database.location.engine !== 'sqlite') throw new Error('not sqlite');
  return { ...database, file: database.location.file };
}

function newTarget(): string {
  const target = unusedPostgresDatabase('copy');
  cleanups.push(() => target.drop());
  return target.url;
}

async function onPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function onSqlite(file: string, work: (db: Database.Database) => void): void {
  const db = new Database(file);
  try {
    work(db);
  } finally {
    db.close();
  }
}

/** A few rows of shop models with the awkward values: booleans both ways, a BigInt past 2^53, Chinese text. */
async function fillShopRows(file: string): Promise<void> {
  const db = createDb(file);
  try {
    const user = await db.user.create({ data: { alipayUserId: '2088000000000001', nickname: '小明' } });
    await db.session.create({
      data: { tokenHash: 'a'.repeat(64), userId: user.id, expiresAt: new Date('2026-12-31T15:59:59.999Z') },
    });
    const category = await db.category.create({
      data: { slug: 'tea', name: '茶', iconPath: '/images/tea.svg' },
    });
    await db.product.create({
      data: {
        categoryId: category.id,
        title: '龙井',
        featured: true,
        imagesJson: '["/images/a.png"]',
        skus: { create: [{ priceFen: 12_345, stock: 7 }] },
      },
    });
    await db.product.create({ data: { categoryId: category.id, title: '普洱', featured: false } });
    await db.settlement.create({
      data: {
        billDate: '2026-12-04',
        tradeCount: 2,
        refundCount: 1,
        grossFen: 9_007_199_254_740_993n,
        refundFen: 1n,
        feeFen: 0n,
        netFen: 9_007_199_254_740_992n,
      },
    });
  } finally {
    await closeDb(db);
  }
}

describe('copying a SQLite shop to PostgreSQL', () => {
  it('copies every model field for field, creating and migrating the target', async () => {
    const source = await sqliteSource();
    await fillShopRows(source.file);
    const target = newTarget();

    const lines: string[] = [];
    const report = await copySqliteToPostgres({
      from: source.file,
      to: target,
      progress: (l) => lines.push(l),
    });

    expect(report.matches).toBe(true);
    expect(report.appliedMigrations).toEqual((await migrationStatus(target)).applied);
    expect(report.appliedMigrations.length).toBeGreaterThan(0);
    // Every model of the schema is copied; a model left out of the copy fails here.
    expect(report.tables.map((t) => t.table).sort()).toEqual(MODEL_NAMES);
    expect(report.tables.find((t) => t.table === 'Product')).toEqual({
      table: 'Product',
      source: 2,
      target: 2,
    });
    // Referenced tables come first.
    const position = (name: string) => report.tables.findIndex((t) => t.table === name);
    expect(position('Category')).toBeLessThan(position('Product'));
    expect(position('Product')).toBeLessThan(position('Sku'));
    expect(position('User')).toBeLessThan(position('Session'));
    expect(lines).toContain('copied Sku (1 row)');
    expect(lines).toContain('copied Product (2 rows)');

    const [from, to] = [createDb(source.file), createDb(target)];
    try {
      const [fromRows, toRows] = [await rowsOfEveryModel(from), await rowsOfEveryModel(to)];
      expect(toRows).toEqual(fromRows);
      expect(toRows.Settlement?.[0]?.grossFen).toBe(9_007_199_254_740_993n);
      expect(toRows.Product?.map((p) => p.featured).sort()).toEqual([false, true]);
    } finally {
      await closeDb(from);
      await closeDb(to);
    }
  });

  it('keeps UTC times, booleans, JSON, bytes, big integers and decimals, and moves sequences past the copied ids', async () => {
    const source = await sqliteSource();
    const target = newTarget();
    // A table of every kind of column, on both sides (the shop's own tables have no bytes, JSON or serial ids).
    onSqlite(source.file, (db) => {
      db.exec(`CREATE TABLE "CopyProbe" ("n" INTEGER PRIMARY KEY AUTOINCREMENT, "flag" BOOLEAN NOT NULL,
        "at" DATETIME NOT NULL, "data" JSONB, "raw" BLOB, "big" BIGINT, "ratio" REAL, "price" DECIMAL)`);
      const insert = db.prepare(
        'INSERT INTO "CopyProbe" ("n", "flag", "at", "data", "raw", "big", "ratio", "price") VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      insert.run(
        1,
        1,
        '2026-12-05T04:00:00.123+00:00',
        '{"a":[1,"二"]}',
        Buffer.from([0, 255, 1]),
        2n ** 62n,
        0.1,
        '12.34',
      );
      insert.run(2, 0, '2026-12-05 04:00:01', null, null, null, null, null);
      insert.run(7, 0, 1_764_907_200_000, '[]', Buffer.alloc(0), -1, 2, 5);
    });
    await applyMigrations(target);
    await onPostgres(target, (client) =>
      client.query(`CREATE TABLE "CopyProbe" ("n" SERIAL PRIMARY KEY, "flag" BOOLEAN NOT NULL,
        "at" TIMESTAMP(3) NOT NULL, "data" JSONB, "raw" BYTEA, "big" BIGINT, "ratio" DOUBLE PRECISION,
        "price" DECIMAL(65,30))`),
    );

    const report = await copySqliteToPostgres({ from: source.file, to: target });
    expect(report.matches).toBe(true);
    expect(report.appliedMigrations).toEqual([]);
    expect(report.sequences).toEqual([{ sequence: 'public."CopyProbe_n_seq"', next: 8 }]);

    const rows = await onPostgres(target, async (client) => {
      await client.query('INSERT INTO "CopyProbe" ("flag", "at") VALUES (true, now())');
      return (
        await client.query<Record<string, unknown>>(
          `SELECT "n", "flag", to_char("at", 'YYYY-MM-DD HH24:MI:SS.MS') AS "at", "data", "raw",
                  "big"::text AS "big", "ratio", "price"::float8 AS "price" FROM "CopyProbe" ORDER BY "n"`,
        )
      ).rows;
    });
    expect(rows.slice(0, 3)).toEqual([
      {
        n: 1,
        flag: true,
        at: '2026-12-05 04:00:00.123',
        data: { a: [1, '二'] },
        raw: Buffer.from([0, 255, 1]),
        big: String(2n ** 62n),
        ratio: 0.1,
        price: 12.34,
      },
      {
        n: 2,
        flag: false,
        at: '2026-12-05 04:00:01.000',
        data: null,
        raw: null,
        big: null,
        ratio: null,
        price: null,
      },
      {
        n: 7,
        flag: false,
        at: '2025-12-05 04:00:00.000',
        data: [],
        raw: Buffer.alloc(0),
        big: '-1',
        ratio: 2,
        price: 5,
      },
    ]);
    // The next id PostgreSQL gives is past the largest copied one.
    expect(rows[3]?.n).toBe(8);
  });

  it('rolls everything back when a value does not fit its column, naming the row', async () => {
    const source = await sqliteSource();
    await fillShopRows(source.file);
    const target = newTarget();
    await applyMigrations(target);
    onSqlite(source.file, (db) =>
      db.prepare('UPDATE "Product" SET "featured" = ? WHERE "title" = ?').run('yes', '普洱'),
    );

    await expect(copySqliteToPostgres({ from: source.file, to: target })).rejects.toThrow(
      /"Product" row id \w+: column "featured" holds "yes", which is not a boolean; nothing was copied/,
    );
    const counts = await onPostgres(target, async (client) => {
      const result = await client.query(
        'SELECT (SELECT count(*) FROM "User")::int AS "users", (SELECT count(*) FROM "Category")::int AS "categories"',
      );
      return result.rows[0] as unknown;
    });
    expect(counts).toEqual({ users: 0, categories: 0 });
  });
});

describe('what the copy refuses', () => {
  it('a target that already holds data, leaving it as it was', async () => {
    const source = await sqliteSource();
    await fillShopRows(source.file);
    const target = newTarget();
    await applyMigrations(target);
    await onPostgres(target, (client) =>
      client.query(
        `INSERT INTO "Category" ("id", "slug", "name", "iconPath", "sortOrder") VALUES ('c1', 'kept', '留着', '/x.svg', 0)`,
      ),
    );

    await expect(copySqliteToPostgres({ from: source.file, to: target })).rejects.toThrow(
      'the target already holds data (Category 1); nothing was copied: copy into a new, empty database',
    );
    const rows = await onPostgres(target, async (client) => ({
      categories: (await client.query('SELECT "slug" FROM "Category"')).rows as unknown,
      users: (await client.query('SELECT count(*)::int AS "n" FROM "User"')).rows[0] as unknown,
    }));
    expect(rows).toEqual({ categories: [{ slug: 'kept' }], users: { n: 0 } });
  });

  it('a target database holding tables of something else, without migrating it', async () => {
    const source = await sqliteSource();
    const target = newTarget();
    await applyMigrations(target); // creates the database; then make it someone else's
    await onPostgres(target, async (client) => {
      await client.query('DROP SCHEMA public CASCADE');
      await client.query('CREATE SCHEMA public');
      await client.query('CREATE TABLE "invoices" ("id" int)');
    });

    await expect(copySqliteToPostgres({ from: source.file, to: target })).rejects.toThrow(
      /already holds tables that are not a migrated shop's \(invoices\)/,
    );
    const tables = await onPostgres(
      target,
      async (client) =>
        (
          await client.query<{ tablename: string }>(
            `SELECT "tablename" FROM pg_tables WHERE "schemaname" = 'public'`,
          )
        ).rows,
    );
    expect(tables).toEqual([{ tablename: 'invoices' }]);
  });

  it('a source whose tables are not the target’s, naming the difference', async () => {
    const source = await sqliteSource();
    onSqlite(source.file, (db) =>
      db.exec('CREATE TABLE "Wishlist" ("id" TEXT PRIMARY KEY); ALTER TABLE "User" ADD COLUMN "vip" BOOLEAN'),
    );
    const target = newTarget();

    const error = await copySqliteToPostgres({ from: source.file, to: target }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CopyRefused);
    expect((error as Error).message).toContain('table "Wishlist" is in the source but not in the target');
    expect((error as Error).message).toContain('column "User"."vip" is only in the source');
  });

  it('a source that lacks migrations of this checkout, saying how to migrate it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shop-copy-old-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const migrations = path.join(dir, 'migrations');
    const sqliteMigrations = migrationsDirFor('sqlite');
    await cp(
      path.join(sqliteMigrations, 'migration_lock.toml'),
      path.join(migrations, 'migration_lock.toml'),
    );
    await cp(
      path.join(sqliteMigrations, '20261121222202_init'),
      path.join(migrations, '20261121222202_init'),
      {
        recursive: true,
      },
    );
    const file = path.join(dir, 'old.db');
    await applyMigrations(file, { migrationsDir: migrations });

    await expect(copySqliteToPostgres({ from: file, to: newTarget() })).rejects.toThrow(
      `migrate it first with DATABASE_URL=file:${file} pnpm db:migrate`,
    );
  });
});

describe('pnpm db:copy', () => {
  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await copyCli(argv, {}, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  }

  it('exits 2 on bad usage, naming the problem', async () => {
    expect(await cli()).toMatchObject({
      code: 2,
      err: expect.stringContaining('--to is required') as unknown,
    });
    expect(await cli('--to', 'file:/tmp/x.db')).toMatchObject({
      code: 2,
      err: 'db:copy: --to must be a PostgreSQL URL (postgresql://...)\n',
    });
    expect(await cli('--to', 'postgresql://h/db', '--from', 'postgresql://h/other')).toMatchObject({
      code: 2,
    });
    expect((await cli('--to', 'postgresql://h/db', '--what')).err).toContain("Unknown option '--what'");
    expect((await cli('--help')).out).toContain('Usage: pnpm db:copy --to postgresql://');
  });

  it('exits 1 with the reason when refused', async () => {
    const source = await sqliteSource();
    const target = newTarget();
    await applyMigrations(target);
    await onPostgres(target, (client) =>
      client.query(`INSERT INTO "LockKey" ("key", "createdAt") VALUES ('k', now())`),
    );
    const refused = await cli('--from', source.file, '--to', target);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      'db:copy: refused: the target already holds data (LockKey 1); nothing was copied: copy into a new, empty database\n',
    );
  });

  it('runs as `pnpm db:copy`, prints every table and the money figures, and exits 0', async () => {
    const source = await sqliteSource();
    await fillShopRows(source.file);
    const target = newTarget();
    const child = spawn('pnpm', ['--silent', 'db:copy', '--from', `file:${source.file}`, '--to', target], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^ {2}Product +2 +2$/m);
    expect(out).toMatch(/^ {2}orders +0 +0$/m);
    expect(out).toMatch(/^ {2}paid \(fen\) +0 +0$/m);
    expect(out).toMatch(/^ {2}refunded \(fen\) +0 +0$/m);
    for (const model of MODEL_NAMES) expect(out).toMatch(new RegExp(`^ {2}${model} +\\d+ +\\d+$`, 'm'));
    expect(out).toContain(`db:copy: the copy matches the source (${MODEL_NAMES.length} tables)`);
  });
});
