// The migrations, applied by the WebAssembly schema engine to real databases of the test project's engine, and the
// drift check that keeps schema.prisma and prisma/migrations/<engine> in step.
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Prisma, ProductStatus } from '../generated/sqlite/client';
import { closeDb, createDb } from './client';
import { ENGINES, type DbLocation, type Engine } from './location';
import { applyMigrations, diffSchemaAgainstMigrations, migrationStatus, MigrationError } from './migrate';
import { migrationsDirFor, schemaPath } from './paths';
import { withDatabase } from './postgres/admin';
import { engineTimerCounts } from './schema-engine';
import { testEngine, testPostgresUrl } from './testing/databases';

const engine = testEngine();
const migrationsDir = migrationsDirFor(engine);
let tmp: string;
let migrationNames: string[];

async function migrationNamesOf(which: Engine): Promise<string[]> {
  return (await readdir(migrationsDirFor(which), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shop-db-test-'));
  migrationNames = await migrationNamesOf(engine);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const scratches = new Map<string, DbLocation>();
/** A database of the project's engine that does not exist yet (a file in tmp, or a new name on the test server). */
function scratch(name: string): DbLocation {
  let location = scratches.get(name);
  if (!location) {
    if (engine === 'sqlite') {
      const file = path.join(tmp, name, 'shop.db');
      location = { engine, file, url: `file:${file}` };
    } else {
      location = {
        engine,
        url: withDatabase(testPostgresUrl(), `m_${name}_${randomBytes(4).toString('hex')}`),
      };
    }
    scratches.set(name, location);
  }
  return location;
}

function drift(sources: { schemaPath?: string; migrationsDir?: string } = {}): Promise<string> {
  return diffSchemaAgainstMigrations(engine, {
    ...sources,
    ...(engine === 'postgresql' ? { postgresUrl: testPostgresUrl() } : {}),
  });
}

describe('both engines', () => {
  it('have the same migrations, by name, each folder locked to its engine', async () => {
    const [sqlite, postgresql] = await Promise.all(ENGINES.map(migrationNamesOf));
    expect(sqlite!.length).toBeGreaterThan(0);
    expect(postgresql).toEqual(sqlite);
    for (const which of ENGINES) {
      const lock = await readFile(path.join(migrationsDirFor(which), 'migration_lock.toml'), 'utf8');
      expect(lock).toContain(`provider = "${which}"`);
    }
  });
});

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
  applied_steps_count: number | bigint;
}

describe(`applyMigrations (${engine})`, () => {
  const dbFile = () => scratch('fresh');

  it('applies every migration to a database that does not exist yet, creating it', async () => {
    expect(migrationNames.length).toBeGreaterThan(0);
    expect(await migrationStatus(dbFile())).toEqual({ applied: [], pending: migrationNames });
    const applied = await applyMigrations(dbFile());
    expect(applied).toEqual(migrationNames);
    expect(await migrationStatus(dbFile())).toEqual({ applied: migrationNames, pending: [] });
  });

  it('records them in _prisma_migrations as `prisma migrate deploy` does (sha256 checksums, finished)', async () => {
    const db = createDb(dbFile());
    try {
      const rows = await db.$queryRawUnsafe<MigrationRow[]>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count ' +
          'FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((row) => row.migration_name)).toEqual(migrationNames);
      for (const row of rows) {
        const sql = await readFile(path.join(migrationsDir, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).not.toBeNull();
        expect(row.rolled_back_at).toBeNull();
        expect(Number(row.applied_steps_count)).toBe(1);
      }
    } finally {
      await closeDb(db);
    }
  });

  it('is a no-op on an up-to-date database', async () => {
    expect(await applyMigrations(dbFile())).toEqual([]);
    expect(await applyMigrations(dbFile())).toEqual([]);
    const db = createDb(dbFile());
    try {
      const [row] = await db.$queryRawUnsafe<{ n: bigint | number }[]>(
        'SELECT count(*) AS n FROM "_prisma_migrations"',
      );
      expect(Number(row?.n)).toBe(migrationNames.length);
    } finally {
      await closeDb(db);
    }
  });

  it('leaves nothing holding the process once done, so a command that migrates exits at once', async () => {
    expect(await applyMigrations(scratch('exit'))).toEqual(migrationNames);
    expect(await migrationStatus(scratch('exit'))).toEqual({ applied: migrationNames, pending: [] });
    // The schema engine's timeouts start timers its glue cannot clear. On PostgreSQL one times the engine's migration
    // lock for 10 s: while it held the process, a command that was done in a second waited that long to exit.
    const timers = engineTimerCounts();
    expect(timers.holding).toBe(0);
    if (engine === 'postgresql') expect(timers.pending).toBeGreaterThan(0);
  });

  it('refuses, naming the migration, when an applied migration was edited (checksum mismatch)', async () => {
    const copy = await copyMigrations('edited');
    const file = scratch('edited');
    await applyMigrations(file, { migrationsDir: copy });
    await appendFile(
      path.join(copy, migrationNames[0]!, 'migration.sql'),
      '\n-- edited after it was applied\n',
    );

    const failure = applyMigrations(file, { migrationsDir: copy });
    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toThrow(`checksum mismatch: migration ${migrationNames[0]} was modified`);
  });

  it('fails loudly on a migration that does not apply, and keeps refusing until it is resolved', async () => {
    const copy = await copyMigrations('broken');
    await mkdir(path.join(copy, '29991231000000_broken'));
    await writeFile(
      path.join(copy, '29991231000000_broken', 'migration.sql'),
      'CREATE TABLE "Fine" ("id" INTEGER);\nINSERT INTO "NoSuchTable" ("id") VALUES (1);\n',
    );
    const file = scratch('broken');

    const first = applyMigrations(file, { migrationsDir: copy });
    await expect(first).rejects.toBeInstanceOf(MigrationError);
    await expect(first).rejects.toThrow(/29991231000000_broken[\s\S]*NoSuchTable/);

    await expect(applyMigrations(file, { migrationsDir: copy })).rejects.toThrow(
      'migration 29991231000000_broken failed on an earlier run',
    );
  });

  it('refuses a database migrated by a checkout with migrations this one lacks', async () => {
    const copy = await copyMigrations('ahead');
    await mkdir(path.join(copy, '29991231000000_from_another_branch'));
    await writeFile(
      path.join(copy, '29991231000000_from_another_branch', 'migration.sql'),
      'CREATE TABLE "Extra" ("id" INTEGER);\n',
    );
    const file = scratch('ahead');
    await applyMigrations(file, { migrationsDir: copy });

    await expect(applyMigrations(file)).rejects.toThrow(
      /migrations this checkout does not have \(29991231000000_from_another_branch\)/,
    );
  });
});

describe(`the migrated database through the generated client (${engine})`, () => {
  const dbFile = () => scratch('client');
  let db: ReturnType<typeof createDb>;

  beforeAll(async () => {
    await applyMigrations(dbFile());
    db = createDb(dbFile());
  });

  afterAll(async () => {
    await closeDb(db);
  });

  it('creates and reads a category, a product and its SKUs across relations', async () => {
    const category = await db.category.create({
      data: { slug: 'apparel', name: '服饰', iconPath: '/images/categories/apparel.png', sortOrder: 1 },
    });
    const product = await db.product.create({
      data: {
        categoryId: category.id,
        title: '纯棉圆领T恤',
        status: ProductStatus.PUBLISHED,
        specsJson: JSON.stringify([
          { name: '颜色', values: ['黑', '白'] },
          { name: '尺码', values: ['M', 'L'] },
        ]),
        minPriceFen: 5900,
        skus: {
          create: [
            { specsJson: '{"颜色":"黑","尺码":"M"}', specKey: '尺码=M;颜色=黑', priceFen: 5900, stock: 10 },
            { specsJson: '{"颜色":"白","尺码":"L"}', specKey: '尺码=L;颜色=白', priceFen: 6900, stock: 3 },
          ],
        },
      },
    });

    const loaded = await db.product.findUniqueOrThrow({
      where: { id: product.id },
      include: { category: true, skus: { orderBy: { priceFen: 'asc' } } },
    });
    expect(loaded.category.slug).toBe('apparel');
    expect(loaded.status).toBe('PUBLISHED');
    expect(loaded.createdAt).toBeInstanceOf(Date);
    expect(loaded.skus.map((sku) => [sku.specKey, sku.priceFen, sku.stock])).toEqual([
      ['尺码=M;颜色=黑', 5900, 10],
      ['尺码=L;颜色=白', 6900, 3],
    ]);

    const inCategory = await db.category.findUniqueOrThrow({
      where: { slug: 'apparel' },
      include: { products: { include: { skus: true } } },
    });
    expect(inCategory.products).toHaveLength(1);
    expect(inCategory.products[0]?.skus).toHaveLength(2);
  });

  it('enforces unique constraints (a second SKU with the same specs for a product)', async () => {
    const product = await db.product.findFirstOrThrow({ include: { skus: true } });
    const existing = product.skus[0]!;
    const duplicate = db.sku.create({
      data: { productId: product.id, specKey: existing.specKey, priceFen: 1, stock: 1 },
    });
    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(duplicate).rejects.toMatchObject({ code: 'P2002' });
  });

  it('enforces foreign keys (a SKU for a product that does not exist)', async () => {
    const orphan = db.sku.create({ data: { productId: 'no-such-product', priceFen: 1, stock: 1 } });
    await expect(orphan).rejects.toMatchObject({ code: 'P2003' });
  });

  it('keeps BigInt aggregates exact', async () => {
    const big = 9_007_199_254_740_993n; // 2^53 + 1: a Number would round it
    await db.settlement.create({
      data: {
        billDate: '2026-01-01',
        tradeCount: 1,
        refundCount: 0,
        grossFen: big,
        refundFen: 0n,
        feeFen: 0n,
        netFen: big,
      },
    });
    const settlement = await db.settlement.findUniqueOrThrow({ where: { billDate: '2026-01-01' } });
    expect(settlement.netFen).toBe(big);
  });
});

describe(`drift between schema.prisma and the ${engine} migrations`, () => {
  it('finds none for the committed schema and migrations', async () => {
    const found = await drift();
    expect(
      found,
      `schema.prisma and prisma/migrations/${engine} disagree; run pnpm db:migration <name>:\n${found}`,
    ).toBe('');
  });

  it('reports the SQL a modified schema needs (so the check can fail)', async () => {
    const schema = await readFile(schemaPath, 'utf8');
    const withBrand = schema.replace(/(model Product \{\n)/, '$1  brand String?\n');
    expect(withBrand).not.toBe(schema);
    const modified = path.join(tmp, 'modified.prisma');
    await writeFile(modified, withBrand);

    const found = await drift({ schemaPath: modified });
    expect(found).toMatch(/ALTER TABLE "Product" ADD COLUMN\s+"brand" TEXT/);
  });

  it('reports a migration missing for a new model', async () => {
    const schema = await readFile(schemaPath, 'utf8');
    const modified = path.join(tmp, 'new-model.prisma');
    await writeFile(modified, `${schema}\nmodel Coupon {\n  id   String @id\n  code String @unique\n}\n`);

    const found = await drift({ schemaPath: modified });
    expect(found).toContain('CREATE TABLE "Coupon"');
    expect(found).toContain('CREATE UNIQUE INDEX "Coupon_code_key"');
  });
});

async function copyMigrations(name: string): Promise<string> {
  const copy = path.join(tmp, `migrations-${name}`);
  await cp(migrationsDir, copy, { recursive: true });
  return copy;
}
