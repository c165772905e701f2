import { closeDb, createDb } from '@shop/db';
import { DEMO_ADMINS } from '@shop/dev-identity';
import { inTransaction, TRANSACTION_TIMEOUT_MS, type Db, type Tx } from '../db';
import type { Env } from '../env';
import { createLogger } from '../http/logger';
import { lockKeys } from '../lib/locks';
import { hashPassword } from '../lib/password';
import { categoryIconPath, insertProduct } from '../modules/catalog/product-write';
import { hashString } from '../modules/images/palette';
import { DEMO_CATALOG, expandSkus } from './catalog';

export interface SeedOptions {
  /** Also create the demo merchant accounts (development only: a production database gets no default account). */
  admins: boolean;
  /** The seeding moment; product creation times are spread over the 30 days before it. */
  now?: Date;
}

export interface SeedResult {
  categories: number;
  products: number;
  skus: number;
  admins: number;
}

const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

/** Writes the demo catalog; the caller's transaction makes it all or nothing. */
async function seedCatalog(tx: Tx, now: Date): Promise<Omit<SeedResult, 'admins'>> {
  const result = { categories: 0, products: 0, skus: 0 };
  for (const [index, category] of DEMO_CATALOG.entries()) {
    const row = await tx.category.create({
      data: {
        slug: category.slug,
        name: category.name,
        iconPath: categoryIconPath(category.slug),
        sortOrder: (index + 1) * 10,
      },
      select: { id: true },
    });
    result.categories++;
    for (const product of category.products) {
      const skus = expandSkus(product);
      await insertProduct(tx, {
        categoryId: row.id,
        title: product.title,
        subtitle: product.subtitle,
        description: product.description,
        status: product.status ?? 'PUBLISHED',
        featured: product.featured ?? false,
        salesCount: product.salesCount,
        // Spread over the last month from a hash of the title, so "newest" is not simply category order.
        createdAt: new Date(now.getTime() - (hashString(product.title) % THIRTY_DAYS_MS)),
        specs: (product.specs ?? []).map(([name, values]) => ({ name, values: [...values] })),
        skus,
      });
      result.products++;
      result.skus += skus.length;
    }
  }
  return result;
}

async function seedAdmins(db: Db): Promise<number> {
  if ((await db.admin.count()) > 0) return 0;
  // Hash before the transaction: scrypt is deliberately slow and must not hold the database's one connection.
  const rows = await Promise.all(
    DEMO_ADMINS.map(async (admin) => ({
      username: admin.username,
      passwordHash: await hashPassword(admin.password),
      role: admin.role,
      displayName: admin.displayName,
    })),
  );
  return inTransaction(db, async (tx) => {
    await lockKeys(tx, ['seed:admins']);
    if ((await tx.admin.count()) > 0) return 0;
    for (const row of rows) await tx.admin.create({ data: row });
    return rows.length;
  });
}

/**
 * Seeds the demo data into an empty database: the catalog when there are no categories, the demo admins (when
 * asked) when there are no admins. Safe to run on every start and from several processes at once: each part counts
 * and writes in one transaction that first takes its lock (lockKeys: on SQLite the transaction's write lock, taken
 * as it begins; on PostgreSQL the part's LockKey row), so a second process waits until the first has committed,
 * then counts its rows and writes nothing.
 */
export async function seedIfEmpty(db: Db, options: SeedOptions): Promise<SeedResult> {
  const now = options.now ?? new Date();
  const catalog = await inTransaction(db, async (tx) => {
    await lockKeys(tx, ['seed:catalog']);
    if ((await tx.category.count()) > 0) return { categories: 0, products: 0, skus: 0 };
    return seedCatalog(tx, now);
  });
  const admins = options.admins ? await seedAdmins(db) : 0;
  return { ...catalog, admins };
}

/**
 * Seeds env.DATABASE_URL (already migrated) through a connection of its own, closed when done: the API calls it
 * before it listens, `pnpm db:seed` on its own. Demo admins outside production only.
 */
export async function seedDemoData(env: Env): Promise<SeedResult> {
  // Another process starting at the same moment may be writing the catalog: on SQLite, wait for its write lock as
  // long as its transaction may last (it commits or is rolled back by then), not the default 5 s, which a seed on a
  // loaded machine outlasts (SQLITE_BUSY). Nothing else runs in this process yet, so the blocking wait costs nothing.
  const db = createDb(env.DATABASE, { busyTimeoutMs: 2 * TRANSACTION_TIMEOUT_MS });
  try {
    const result = await seedIfEmpty(db, { admins: !env.production });
    const logger = createLogger(env.LOG_LEVEL, 'seed');
    if (result.categories + result.admins > 0) logger.info({ ...result }, 'seeded demo data');
    else logger.debug('demo data already present');
    return result;
  } finally {
    await closeDb(db);
  }
}
