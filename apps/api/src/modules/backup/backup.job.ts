import { backupDatabase, pruneBackups } from '@shop/db';
import { sql } from '../../db';
import type { ApiDeps } from '../../deps';
import type { Job } from '../../jobs/scheduler';

/**
 * Scheduled backups: with BACKUP_INTERVAL_MINUTES above 0, time is cut into slots of that length and one backup is
 * taken per slot into BACKUP_DIR, by the same `backupDatabase` as `pnpm db:backup`; then all but the newest
 * BACKUP_KEEP are deleted. Any number of API processes may run this job on one database and exactly one takes each
 * slot's backup: the pass runs under the `backup` job lease (jobs/leases.ts), so two never back up at once, and it
 * claims the slot by inserting the LockKey row `backup:<slot start>` (lib/locks.ts) before starting, so a process
 * that comes later in the same slot finds it taken. A failed backup gives its slot back for the next pass to retry.
 */

export type BackupJobDeps = Pick<ApiDeps, 'env' | 'db' | 'leases' | 'logger'>;

export interface ScheduledBackupStats extends Record<string, number> {
  taken: number;
  /** The slot's backup was taken already, or another process was taking one. */
  skipped: number;
  /** Old backups deleted after this one. */
  pruned: number;
}

/** The start of the slot `now` falls in. */
export function backupSlot(now: Date, intervalMs: number): Date {
  return new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
}

const SLOT_PREFIX = 'backup:';

export async function runScheduledBackup(
  deps: BackupJobDeps,
  now: Date = new Date(),
): Promise<ScheduledBackupStats> {
  const stats: ScheduledBackupStats = { taken: 0, skipped: 0, pruned: 0 };
  const intervalMs = deps.env.BACKUP_INTERVAL_MINUTES * 60_000;
  if (intervalMs <= 0) return stats;
  const slotKey = `${SLOT_PREFIX}${backupSlot(now, intervalMs).toISOString()}`;
  const leased = await deps.leases.withLease('scheduled-backup', 'backup', async () => {
    const claimed = await sql(deps.db).transaction((tx) =>
      tx.run(
        `INSERT INTO "LockKey" ("key", "createdAt") VALUES (?, ?) ON CONFLICT ("key") DO NOTHING`,
        slotKey,
        now,
      ),
    );
    if (claimed !== 1) {
      stats.skipped = 1;
      return;
    }
    let dir: string;
    try {
      ({ dir } = await backupDatabase({
        from: deps.env.DATABASE,
        outDir: deps.env.BACKUP_DIR,
        now: () => now,
      }));
    } catch (error) {
      await sql(deps.db).transaction((tx) => tx.run(`DELETE FROM "LockKey" WHERE "key" = ?`, slotKey));
      throw error;
    }
    stats.taken = 1;
    deps.logger.info({ backup: dir }, 'scheduled backup written');
    stats.pruned = (await pruneBackups(deps.env.BACKUP_DIR, deps.env.BACKUP_KEEP)).length;
    // The markers of earlier slots are no longer needed (ISO times sort as text).
    await sql(deps.db).transaction((tx) =>
      tx.run(`DELETE FROM "LockKey" WHERE "key" LIKE 'backup:%' AND "key" < ?`, slotKey),
    );
  });
  if (!leased.taken) stats.skipped = 1;
  return stats;
}

export function backupJobs(deps: BackupJobDeps): Job[] {
  const intervalMs = deps.env.BACKUP_INTERVAL_MINUTES * 60_000;
  if (intervalMs <= 0) return [];
  return [
    {
      name: 'scheduled-backup',
      // Wakes at least once a minute, so a slot's backup starts soon after the slot does.
      intervalMs: Math.max(100, Math.min(60_000, intervalMs)),
      run: () => runScheduledBackup(deps),
    },
  ];
}
