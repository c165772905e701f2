import type { Job } from '../../jobs/scheduler';
import type { Db } from '../../db';

/**
 * Housekeeping for the admin tables, hourly. Sign-in attempts only matter for the throttling window (minutes), and
 * ended sessions for nothing; both are kept 30 days for anyone investigating a break-in attempt, then deleted so
 * the tables stay small. The audit log is never pruned. Lock keys (lib/locks.ts) matter only while a transaction
 * holds one; a key older than a day is deleted and made again on its next use.
 */

export const ADMIN_RECORD_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export async function pruneAdminRecords(
  db: Db,
  now: Date = new Date(),
): Promise<{ loginAttempts: number; sessions: number; lockKeys: number }> {
  const cutoff = new Date(now.getTime() - ADMIN_RECORD_RETENTION_MS);
  const attempts = await db.loginAttempt.deleteMany({ where: { createdAt: { lt: cutoff } } });
  const sessions = await db.adminSession.deleteMany({
    where: { OR: [{ expiresAt: { lt: cutoff } }, { revokedAt: { lt: cutoff } }] },
  });
  const locks = await db.lockKey.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - DAY_MS) } },
  });
  return { loginAttempts: attempts.count, sessions: sessions.count, lockKeys: locks.count };
}

export function adminJobs(deps: { db: Db }): Job[] {
  return [{ name: 'admin-housekeeping', intervalMs: HOUR_MS, run: () => pruneAdminRecords(deps.db) }];
}
