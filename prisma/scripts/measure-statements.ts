// CPU time per statement in this process, through the Prisma client and through sql(db), on a migrated SQLite file
// and on a private PostgreSQL cluster: the figures in prisma/README.md, "Why sql() and not Prisma queries or a query
// builder". Run with `pnpm --filter @shop/db exec tsx scripts/measure-statements.ts` (optionally `-- --iterations N`).
//
// Each case reads or writes one Sku row by its primary key. The figure is process.cpuUsage() (user + system) of this
// Node process divided by the calls: the client's own work per query. On PostgreSQL the server's CPU is in another
// process and is not counted; wall time is printed beside it for reference. Cases run interleaved in rounds, so a
// burst of other work on the machine lands on all of them alike; the figure is the median round.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { closeDb, createDb, type Db } from '../src/client';
import type { DbLocation, Engine } from '../src/location';
import { applyMigrations } from '../src/migrate';
import { startPostgresCluster } from '../src/postgres/cluster';
import { sql } from '../src/sql';

const args = process.argv.slice(2);
const iterationsArg = args.indexOf('--iterations');
/** Calls per case per round. */
const ITERATIONS = iterationsArg >= 0 ? Number(args[iterationsArg + 1]) : 1_000;
const ROUNDS = 5;
const WARM_UP = 500;

const SKU_COLUMNS =
  '"id", "productId", "specsJson", "specKey", "priceFen", "stock", "createdAt", "updatedAt"';
const SELECT_SQL = `SELECT ${SKU_COLUMNS} FROM "Sku" WHERE "id" = ?`;
const UPDATE_SQL = 'UPDATE "Sku" SET "stock" = ?, "updatedAt" = ? WHERE "id" = ?';

interface Case {
  name: string;
  run: () => Promise<unknown>;
}

function casesFor(db: Db, engine: Engine, skuId: string): Case[] {
  // Prisma's raw queries take the engine's own placeholders; sql() takes `?` on both.
  const rawSelect = engine === 'sqlite' ? SELECT_SQL : SELECT_SQL.replace('?', '$1');
  let stock = 0;
  return [
    { name: 'Prisma `sku.findUnique` by id', run: () => db.sku.findUnique({ where: { id: skuId } }) },
    { name: 'Prisma `$queryRawUnsafe`, the same SELECT', run: () => db.$queryRawUnsafe(rawSelect, skuId) },
    { name: '`sql(db).read`, the same SELECT', run: () => sql(db).read((q) => q.get(SELECT_SQL, skuId)) },
    {
      name: 'Prisma `sku.update` (stock, updatedAt)',
      run: () => db.sku.update({ where: { id: skuId }, data: { stock: ++stock % 1_000 } }),
    },
    {
      name: 'Prisma `sku.updateMany`, the same change',
      run: () => db.sku.updateMany({ where: { id: skuId }, data: { stock: ++stock % 1_000 } }),
    },
    {
      name: '`sql(db).transaction`, the same UPDATE',
      run: () => sql(db).transaction((tx) => tx.run(UPDATE_SQL, ++stock % 1_000, new Date(), skuId)),
    },
  ];
}

interface Sample {
  cpuUs: number;
  wallUs: number;
}

async function measureOnce(run: Case['run'], iterations: number): Promise<Sample> {
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await run();
  const cpu = process.cpuUsage(cpuStart);
  const wallNs = Number(process.hrtime.bigint() - wallStart);
  return { cpuUs: (cpu.user + cpu.system) / iterations, wallUs: wallNs / 1_000 / iterations };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(engine: Engine, location: DbLocation): Promise<Map<string, Sample>> {
  await applyMigrations(location);
  const db = createDb(location, { poolSize: 2 });
  try {
    const category = await db.category.create({ data: { slug: 'measure', name: '测量', iconPath: '/m' } });
    const product = await db.product.create({ data: { categoryId: category.id, title: '保温杯' } });
    const sku = await db.sku.create({
      data: {
        productId: product.id,
        specsJson: '{"颜色":"黑"}',
        specKey: '颜色=黑',
        priceFen: 9900,
        stock: 10,
      },
    });
    const cases = casesFor(db, engine, sku.id);
    for (const c of cases) await measureOnce(c.run, WARM_UP);
    const rounds = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of cases) rounds.get(c.name)!.push(await measureOnce(c.run, ITERATIONS));
    }
    return new Map(
      [...rounds].map(([name, samples]) => [
        name,
        { cpuUs: median(samples.map((s) => s.cpuUs)), wallUs: median(samples.map((s) => s.wallUs)) },
      ]),
    );
  } finally {
    await closeDb(db);
  }
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'shop-measure-'));
const results = new Map<Engine, Map<string, Sample>>();
try {
  const file = path.join(tmp, 'shop.db');
  results.set('sqlite', await measure('sqlite', { engine: 'sqlite', file, url: `file:${file}` }));
  // PostgreSQL's defaults, as the benchmarks run it (no test-only settings such as fsync off).
  const cluster = await startPostgresCluster({}, process.env);
  try {
    results.set(
      'postgresql',
      await measure('postgresql', { engine: 'postgresql', url: cluster.url('shop_measure') }),
    );
  } finally {
    await cluster.stop();
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}

const fmt = (n: number) => n.toFixed(n < 10 ? 1 : 0);
console.log(
  `CPU µs per call in this process (median of ${ROUNDS} rounds of ${ITERATIONS} calls, after ${WARM_UP} warm-up calls); ` +
    `wall µs in brackets. ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.cpus().length} CPUs, ` +
    `load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}.`,
);
console.log('');
console.log('| call | SQLite | PostgreSQL |');
console.log('| --- | --- | --- |');
for (const name of results.get('sqlite')!.keys()) {
  const cell = (engine: Engine) => {
    const sample = results.get(engine)!.get(name)!;
    return `${fmt(sample.cpuUs)} (${fmt(sample.wallUs)})`;
  };
  console.log(`| ${name} | ${cell('sqlite')} | ${cell('postgresql')} |`);
}
