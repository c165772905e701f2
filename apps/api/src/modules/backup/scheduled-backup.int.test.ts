// The API's scheduled backup: off by default; when on, one backup per slot however many processes run the job,
// the oldest pruned beyond BACKUP_KEEP, and each one restorable. Runs on SQLite and on PostgreSQL.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKUP_NAME, restoreBackup, type DbLocation } from '@shop/db';
import { testEngine, unusedPostgresDatabase } from '@shop/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../env';
import { apiJobs } from '../../jobs';
import { createJobLeases } from '../../jobs/leases';
import { createProduct } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { backupJobs, runScheduledBackup, type BackupJobDeps } from './backup.job';

let sys: TestSystem;
let backupDir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  backupDir = await mkdtemp(join(tmpdir(), 'shop-scheduled-backups-'));
  sys = await startTestSystem({
    env: { BACKUP_INTERVAL_MINUTES: '60', BACKUP_KEEP: '2', BACKUP_DIR: backupDir },
  });
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await sys.close();
  await rm(backupDir, { recursive: true, force: true });
});

const HOUR_MS = 60 * 60_000;

/** Another API process on the same database: its own lease owner. */
function otherProcess(): BackupJobDeps {
  const { deps } = sys.api;
  return {
    ...deps,
    leases: createJobLeases(deps.db, { leaseMs: 30_000, logger: deps.logger, owner: 'other' }),
  };
}

async function backups(): Promise<string[]> {
  return (await readdir(backupDir)).filter((name) => BACKUP_NAME.test(name)).sort();
}

describe(`scheduled backups (${testEngine()})`, () => {
  it('are off by default', () => {
    const env = loadEnv({ NODE_ENV: 'test', DATA_DIR: backupDir });
    expect(env.BACKUP_INTERVAL_MINUTES).toBe(0);
    expect(env.BACKUP_DIR).toBe(join(backupDir, 'backups'));
    expect(backupJobs({ ...sys.api.deps, env })).toEqual([]);
    expect(apiJobs(sys.api.deps).map((job) => job.name)).toContain('scheduled-backup');
  });

  it('take one backup per slot across processes, keep BACKUP_KEEP, and each restores', async () => {
    await createProduct(sys.db, { skus: [{ stock: 5 }] });
    const first = new Date('2026-12-05T10:07:00.000Z');
    const a = sys.api.deps;
    const b = otherProcess();

    const [ranA, ranB] = await Promise.all([runScheduledBackup(a, first), runScheduledBackup(b, first)]);
    expect(ranA.taken + ranB.taken).toBe(1);
    expect(ranA.skipped + ranB.skipped).toBe(1);
    // Later in the same slot, either process finds it taken.
    expect(await runScheduledBackup(b, new Date(first.getTime() + 30 * 60_000))).toMatchObject({
      taken: 0,
      skipped: 1,
    });
    expect(await runScheduledBackup(a, new Date(first.getTime() + 50 * 60_000))).toMatchObject({
      taken: 0,
      skipped: 1,
    });
    expect(await backups()).toHaveLength(1);

    expect(await runScheduledBackup(b, new Date(first.getTime() + HOUR_MS))).toMatchObject({
      taken: 1,
      pruned: 0,
    });
    expect(await runScheduledBackup(a, new Date(first.getTime() + 2 * HOUR_MS))).toMatchObject({
      taken: 1,
      pruned: 1,
    });
    const kept = await backups();
    expect(kept.map((name) => BACKUP_NAME.exec(name)![2])).toEqual([
      '20261205T110700000Z',
      '20261205T120700000Z',
    ]);
    // Only the latest slot's claim is kept.
    const claims = await sys.db.lockKey.findMany({ where: { key: { startsWith: 'backup:' } } });
    expect(claims.map((c) => c.key)).toEqual(['backup:2026-12-05T12:00:00.000Z']);

    let target: DbLocation;
    if (testEngine() === 'sqlite') {
      const file = join(backupDir, 'restored.db');
      target = { engine: 'sqlite', file, url: `file:${file}` };
    } else {
      const db = unusedPostgresDatabase('scheduled');
      cleanups.push(() => db.drop());
      target = { engine: 'postgresql', url: db.url };
    }
    const report = await restoreBackup({ backup: join(backupDir, kept[1]!), to: target });
    expect(report.matches).toBe(true);
    expect(report.facts.tables.Sku).toBe(await sys.db.sku.count());
  });
});
