// API processes (real child processes, `node --import tsx apps/api/src/main.ts`) started at the same moment on one new
// database and one new data folder, on the test project's engine: on PostgreSQL the database does not exist yet, so
// they also race to create it. The test checks that every process came up and logged no error, that the migrations
// were applied once, and that the demo catalog and admins were written once, by one process. It ran three rounds until
// the suite had to fit CI's 20 minutes: each round costs about 20 s of CPU on two cores (three API processes starting),
// and every run of the suite, on each engine, is another round.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDb, createDb, migrationsDirFor, sql } from '@shop/db';
import { createTestDatabase, testEngine, unusedPostgresDatabase } from '@shop/db/testing';
import { DEMO_ADMINS } from '@shop/dev-identity';
import { describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from '../testing/api-process';
import { DEMO_CATALOG, expandSkus } from './catalog';

const engine = testEngine();
const PROCESSES = 3;

const migrationNames = readdirSync(migrationsDirFor(engine), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const demoProducts = DEMO_CATALOG.flatMap((category) => category.products);
const demoSkuCount = demoProducts.reduce((sum, product) => sum + expandSkus(product).length, 0);

interface LogLine {
  level: number;
  msg: string;
  categories?: number;
  admins?: number;
}

/** A process's output as pino lines; anything else it printed (a stack trace) is returned apart. */
function logOf(api: ApiProcess): { lines: LogLine[]; unstructured: string[] } {
  const lines: LogLine[] = [];
  const unstructured: string[] = [];
  for (const line of api.output().split('\n')) {
    if (line.trim() === '') continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      unstructured.push(line);
    }
  }
  return { lines, unstructured };
}

/** Starts `count` API processes at once; when any fails to come up, stops the others and throws its error. */
async function startTogether(env: Record<string, string>, count: number): Promise<ApiProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startApiProcess(env)));
  const up = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    for (const api of up) await api.kill('SIGKILL');
    throw failed.reason;
  }
  return up;
}

/** A database that does not exist yet: a SQLite file in `dataDir`, or a name on the run's PostgreSQL server. */
async function newDatabase(dataDir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (engine === 'postgresql') return unusedPostgresDatabase();
  const file = await createTestDatabase({ dir: dataDir, migrate: false });
  return { url: file.location.url, drop: () => file.drop() };
}

describe(`${PROCESSES} API processes started together on one new database (${engine})`, () => {
  it('all come up without an error; migrations, catalog and admins written once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shop-start-'));
    const database = await newDatabase(dataDir);
    const { url } = database;
    const processes: ApiProcess[] = [];
    try {
      processes.push(
        ...(await startTogether(
          {
            DATA_DIR: dataDir,
            DATABASE_URL: url,
            LOG_LEVEL: 'info',
            SEED_DEMO_DATA: 'true',
            JOBS_ENABLED: 'false',
            RECONCILE_ENABLED: 'false',
          },
          PROCESSES,
        )),
      );
      for (const api of processes) await api.kill('SIGTERM');

      for (const api of processes) {
        const { lines, unstructured } = logOf(api);
        expect(unstructured, api.output()).toEqual([]);
        expect(
          lines.filter((line) => line.level >= 50),
          api.output(),
        ).toEqual([]);
        expect(
          lines.some((line) => line.msg === 'API listening'),
          api.output(),
        ).toBe(true);
      }
      // One process says it seeded the catalog, one the admins (perhaps another); the rest found them there.
      const seeded = processes.flatMap((api) => logOf(api).lines.filter((l) => l.msg === 'seeded demo data'));
      expect(seeded.filter((line) => (line.categories ?? 0) > 0)).toHaveLength(1);
      expect(seeded.filter((line) => (line.admins ?? 0) > 0)).toHaveLength(1);

      const db = createDb(url);
      try {
        const migrations = await sql(db).read((q) =>
          q.all<{ migration_name: string; finished_at: unknown }>(
            'SELECT "migration_name", "finished_at" FROM "_prisma_migrations" ORDER BY "migration_name"',
          ),
        );
        expect(migrations.map((row) => row.migration_name)).toEqual(migrationNames);
        expect(migrations.every((row) => row.finished_at !== null)).toBe(true);

        const categories = await db.category.findMany({ select: { slug: true } });
        expect(categories.map((c) => c.slug).sort()).toEqual(DEMO_CATALOG.map((c) => c.slug).sort());
        const products = await db.product.findMany({ select: { title: true } });
        expect(products.map((p) => p.title).sort()).toEqual(demoProducts.map((p) => p.title).sort());
        expect(await db.sku.count()).toBe(demoSkuCount);
        const admins = await db.admin.findMany({ select: { username: true } });
        expect(admins.map((a) => a.username).sort()).toEqual(DEMO_ADMINS.map((a) => a.username).sort());
      } finally {
        await closeDb(db);
      }
    } finally {
      for (const api of processes) await api.kill('SIGKILL');
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
