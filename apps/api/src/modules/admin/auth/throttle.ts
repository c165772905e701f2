import type { Tx } from '../../../db';
import { AppError } from '../../../errors';
import { lockKeys } from '../../../lib/locks';

/**
 * Sign-in throttling kept in `LoginAttempt`, so every API process (and a restarted one) counts the same attempts.
 * Within a sliding window, too many failures for one username, or from one client address, refuse further attempts,
 * the right password included, until enough failures age out. A success resets its username's count (failures
 * before it no longer count), but not its address's, so one valid account cannot launder guesses at others.
 *
 * An attempt is claimed before the password is checked: the claim (count, then insert a row marked failed) runs in
 * one transaction that first locks the username's and the address's keys (lib/locks.ts), so concurrent attempts from
 * any number of processes, on either engine, are counted one after another and never slip past the limit together. A correct password then marks
 * its row successful. Refused (throttled) attempts leave no row, so an attacker cannot extend a lockout forever
 * by hammering it.
 */

export interface ThrottleSettings {
  windowMs: number;
  maxFailuresPerUser: number;
  maxFailuresPerIp: number;
}

function tooMany(retryAt: number, now: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new AppError('TOO_MANY_REQUESTS', `Too many failed sign-ins; try again in ${minutes} min`, {
    details: { retryAfterSeconds },
  });
}

/**
 * When the newest `limit` failures (newest first) hold the count at the limit, the time the limit-th newest one
 * leaves the window; null while under the limit.
 */
function blockedUntil(failures: ReadonlyArray<{ createdAt: Date }>, limit: number, windowMs: number) {
  const oldestCounted = failures[limit - 1];
  return failures.length >= limit && oldestCounted ? oldestCounted.createdAt.getTime() + windowMs : null;
}

/**
 * Refuses the attempt with 429 TOO_MANY_REQUESTS (`details.retryAfterSeconds`, sent as Retry-After) when the
 * username or the address is over its limit; otherwise records it as a failure and returns its id, to be marked
 * successful if the password turns out right. Call inside a transaction.
 */
export async function claimAttempt(
  tx: Tx,
  settings: ThrottleSettings,
  attempt: { username: string; ip: string },
  now: Date = new Date(),
): Promise<string> {
  await lockKeys(tx, [`signin-user:${attempt.username}`, `signin-ip:${attempt.ip}`]);
  const windowStart = new Date(now.getTime() - settings.windowMs);
  const lastSuccess = await tx.loginAttempt.findFirst({
    where: { username: attempt.username, success: true, createdAt: { gte: windowStart } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { createdAt: true },
  });
  const since = lastSuccess && lastSuccess.createdAt > windowStart ? lastSuccess.createdAt : windowStart;
  const [userFailures, ipFailures] = await Promise.all([
    tx.loginAttempt.findMany({
      where: { username: attempt.username, success: false, createdAt: { gt: since } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: settings.maxFailuresPerUser,
      select: { createdAt: true },
    }),
    tx.loginAttempt.findMany({
      where: { ip: attempt.ip, success: false, createdAt: { gte: windowStart } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: settings.maxFailuresPerIp,
      select: { createdAt: true },
    }),
  ]);
  const until = Math.max(
    blockedUntil(userFailures, settings.maxFailuresPerUser, settings.windowMs) ?? 0,
    blockedUntil(ipFailures, settings.maxFailuresPerIp, settings.windowMs) ?? 0,
  );
  if (until > now.getTime()) throw tooMany(until, now.getTime());
  const row = await tx.loginAttempt.create({
    data: { username: attempt.username, ip: attempt.ip, success: false, createdAt: now },
    select: { id: true },
  });
  return row.id;
}

/** Marks a claimed attempt successful, which resets its username's failure count. */
export async function markAttemptSucceeded(tx: Tx, attemptId: string): Promise<void> {
  await tx.loginAttempt.update({ where: { id: attemptId }, data: { success: true } });
}
