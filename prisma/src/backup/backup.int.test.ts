import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { closeDb, createDb } from '../client';
import type { DbLocation } from '../location';
import { repoRoot } from '../paths';
import { databaseExists } from '../postgres/admin';
import {
  createTestDatabase,
  rowsOfEveryModel,
  runCommand,
  testEngine,
  unusedPostgresDatabase,
  type TestDatabase,
} from '../testing';
import { BACKUP_NAME, backupDatabase, pruneBackups } from './backup';
import { backupCli, restoreCli } from './cli';
import { readManifest } from './manifest';

/*
 * `pnpm db:backup` and `pnpm db:restore` on real databases of the project's engine (a SQLite file, or a database on
 * the run's private PostgreSQL cluster with the real pg_dump, pg_restore and psql). Backups taken while the API is
 * under order and notify load are in apps/api/src/modules/backup/backup-under-load.int.test.ts.
 */

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shop-backup-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function source(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  return database;
}

/** A database of the project's engine that does not exist yet. */
async function newTarget(): Promise<DbLocation> {
  if (testEngine() === 'sqlite') {
    const file = path.join(await tempDir(), 'restored.db');
    return { engine: 'sqlite', file, url: `file:${file}` };
  }
  const target = unusedPostgresDatabase('restore');
  cleanups.push(() => target.drop());
  return { engine: 'postgresql', url: target.url };
}

async function targetExists(target: DbLocation): Promise<boolean> {
  return target.engine === 'sqlite' ? existsSync(target.file) : databaseExists(target.url);
}

/** A shop with money in it: two orders, one paid and partly refunded, one closed; text, booleans and a BigInt. */
async function fillShop(location: DbLocation): Promise<void> {
  const db = createDb(location);
  try {
    const user = await db.user.create({ data: { alipayUserId: '2088000000000001', nickname: '小明' } });
    const category = await db.category.create({ data: { slug: 'tea', name: '茶', iconPath: '/t.svg' } });
    const product = await db.product.create({
      data: {
        categoryId: category.id,
        title: '龙井',
        featured: true,
        skus: { create: [{ priceFen: 12_345, stock: 7 }] },
      },
      include: { skus: true },
    });
    const ship = {
      shipName: '张三',
      shipPhoneCipher: 'c1',
      shipProvince: '浙江省',
      shipCity: '杭州市',
      shipDistrict: '西湖区',
      shipDetailCipher: 'c2',
    };
    const paid = await db.order.create({
      data: {
        orderNo: '202612050000000001',
        userId: user.id,
        status: 'PAID',
        subject: '龙井',
        itemsFen: 24_690,
        totalFen: 24_690,
        refundedFen: 1_000,
        expiresAt: new Date('2026-12-05T10:15:00.000Z'),
        paidAt: new Date('2026-12-05T10:01:00.000Z'),
        ...ship,
        items: {
          create: [
            {
              skuId: product.skus[0]!.id,
              productId: product.id,
              title: '龙井',
              unitPriceFen: 12_345,
              quantity: 2,
              lineTotalFen: 24_690,
            },
          ],
        },
      },
    });
    const payment = await db.payment.create({
      data: { orderId: paid.id, outTradeNo: paid.orderNo, tradeNo: 'T1', amountFen: 24_690, status: 'PAID' },
    });
    await db.refund.create({
      data: {
        orderId: paid.id,
        paymentId: payment.id,
        outRequestNo: `${paid.orderNo}_R1`,
        amountFen: 1_000,
        reason: '少发一件',
        kind: 'MERCHANT',
        status: 'SUCCEEDED',
      },
    });
    await db.order.create({
      data: {
        orderNo: '202612050000000002',
        userId: user.id,
        status: 'CLOSED',
        subject: '龙井',
        itemsFen: 12_345,
        totalFen: 12_345,
        expiresAt: new Date('2026-12-05T10:15:00.000Z'),
        ...ship,
      },
    });
    await db.settlement.create({
      data: {
        billDate: '2026-12-04',
        tradeCount: 1,
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

async function rowsOf(location: DbLocation) {
  const db = createDb(location);
  try {
    return await rowsOfEveryModel(db);
  } finally {
    await closeDb(db);
  }
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe(`db:backup and db:restore on ${testEngine()}`, () => {
  it('backs up with a manifest and restores into a new database, row for row, checked against the manifest', async () => {
    const shop = await source();
    await fillShop(shop.location);
    const outDir = await tempDir();

    const backup = io();
    expect(await backupCli(['--db', shop.location.url, '--out', outDir], {}, backup.io), backup.err()).toBe(
      0,
    );
    const [name, ...others] = await readdir(outDir);
    expect(others).toEqual([]);
    expect(name).toMatch(BACKUP_NAME);
    expect(backup.out()).toContain(`-> ${path.join(outDir, name!)}`);
    const { manifest } = await readManifest(path.join(outDir, name!));
    expect(manifest.engine).toBe(testEngine());
    expect(manifest.figures).toEqual({ orders: 2, paidFen: 24_690, refundedFen: 1_000 });
    expect(manifest.tables).toMatchObject({
      Order: 2,
      OrderItem: 1,
      Payment: 1,
      Refund: 1,
      User: 1,
      Settlement: 1,
    });
    expect(manifest.migrations.applied.length).toBeGreaterThan(0);
    expect(manifest.migrations.latest).toBe(manifest.migrations.applied.at(-1));
    expect(new Date(manifest.createdAt).getTime()).toBeLessThanOrEqual(Date.now());

    const target = await newTarget();
    const restore = io();
    expect(
      await restoreCli([path.join(outDir, name!), '--to', target.url], {}, restore.io),
      restore.err(),
    ).toBe(0);
    expect(restore.out()).toContain('checksum verified');
    expect(restore.out()).toContain('the target was empty');
    expect(restore.out()).toContain('integrity checks passed');
    expect(restore.out()).toContain("matches the backup's manifest");
    expect(await rowsOf(target)).toEqual(await rowsOf(shop.location));
  });

  it('refuses a database that holds rows unless --force, and with it replaces them', async () => {
    const shop = await source();
    await fillShop(shop.location);
    const outDir = await tempDir();
    const { dir } = await backupDatabase({ from: shop.location, outDir });
    const before = await rowsOf(shop.location);
    const db = createDb(shop.location);
    await db.user.create({ data: { alipayUserId: '2088000000000002', nickname: '后来的' } });
    await closeDb(db);

    const refused = io();
    expect(await restoreCli([dir, '--to', shop.location.url], {}, refused.io)).toBe(1);
    expect(refused.err()).toMatch(/refused: the target .* is not empty \(.*User 2.*\); nothing was restored/);
    expect((await rowsOf(shop.location)).User).toHaveLength(2);

    const forced = io();
    expect(await restoreCli([dir, '--to', shop.location.url, '--force'], {}, forced.io), forced.err()).toBe(
      0,
    );
    expect(forced.out()).toMatch(/replaced: .*User 2.* \(--force\)/);
    expect(await rowsOf(shop.location)).toEqual(before);
  });

  it('refuses a damaged backup, or one of the other engine, before touching the target', async () => {
    const shop = await source();
    await fillShop(shop.location);
    const { dir, manifest } = await backupDatabase({ from: shop.location, outDir: await tempDir() });
    const target = await newTarget();

    const data = path.join(dir, manifest.file);
    const bytes = await readFile(data);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 0xff;
    await writeFile(data, damaged);
    const checksum = io();
    expect(await restoreCli([dir, '--to', target.url], {}, checksum.io)).toBe(1);
    expect(checksum.err()).toMatch(
      /does not match its manifest .* the backup is damaged; nothing was restored/,
    );
    expect(await targetExists(target)).toBe(false);

    await writeFile(data, bytes);
    const manifestFile = path.join(dir, 'manifest.json');
    const other = testEngine() === 'sqlite' ? 'postgresql' : 'sqlite';
    await writeFile(manifestFile, JSON.stringify({ ...manifest, engine: other }));
    const engine = io();
    expect(await restoreCli([manifestFile, '--to', target.url], {}, engine.io)).toBe(1);
    expect(engine.err()).toContain(`the backup is of a ${other} database`);
    expect(await targetExists(target)).toBe(false);

    await writeFile(manifestFile, JSON.stringify({ ...manifest, figures: { orders: -1 } }));
    const invalid = io();
    expect(await restoreCli([dir, '--to', target.url], {}, invalid.io)).toBe(1);
    expect(invalid.err()).toMatch(/is not a shop backup manifest:\n {2}figures\.orders: /);
    expect(await targetExists(target)).toBe(false);
  });

  it('answers bad usage with exit code 2 and the usage', async () => {
    const cases: Array<[typeof backupCli, string[]]> = [
      [backupCli, ['--nope']],
      [backupCli, ['--db', 'mysql://x/y']],
      [restoreCli, []],
      [restoreCli, ['a', 'b']],
      [restoreCli, ['a', '--to', 'mysql://x/y']],
    ];
    for (const [cli, argv] of cases) {
      const run = io();
      expect(await cli(argv, {}, run.io), argv.join(' ')).toBe(2);
      expect(run.err(), argv.join(' ')).toMatch(/^db:(backup|restore): /);
    }
  });

  it('keeps the newest backups when pruning, and only backup folders', async () => {
    const shop = await source();
    const outDir = await tempDir();
    const names: string[] = [];
    for (const at of ['2026-12-01T00:00:00.000Z', '2026-12-03T00:00:00.000Z', '2026-12-02T00:00:00.000Z']) {
      const { dir } = await backupDatabase({ from: shop.location, outDir, now: () => new Date(at) });
      names.push(path.basename(dir));
    }
    await writeFile(path.join(outDir, 'notes.txt'), 'kept');
    const removed = await pruneBackups(outDir, 2);
    expect(removed.map((dir) => path.basename(dir))).toEqual([names[0]]);
    expect((await readdir(outDir)).sort()).toEqual([names[2], names[1], 'notes.txt'].sort());
  });

  it('runs as `pnpm db:backup` and `pnpm db:restore`', async () => {
    const shop = await source();
    await fillShop(shop.location);
    const outDir = await tempDir();
    const run = (args: string[]) =>
      runCommand('pnpm', ['--silent', ...args], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
    const backup = await run(['db:backup', '--db', shop.location.url, '--out', outDir]);
    expect(backup.err).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/orders 2, paid 24690 fen, refunded 1000 fen/);
    const [name] = await readdir(outDir);
    const target = await newTarget();
    const restore = await run(['db:restore', path.join(outDir, name!), '--to', target.url]);
    expect(restore.err).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.out).toContain('orders 2, paidFen 24690, refundedFen 1000');
    expect(restore.out).toContain("db:restore: the restored database matches the backup's manifest");
  });
});
