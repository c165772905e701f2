import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql, type Db } from '../db';
import type { Logger } from '../http/logger';

/**
 * Leases: a background job's claim on one item, so that of several API processes only one works on an item at a
 * time (DESIGN.md, "Where it runs"). The items are orders (`order:<id>`: every job that queries, closes, refunds or
 * completes an order takes its lease, so two processes, or two jobs of one process, never call Alipay about one
 * order at once) and bill dates (`reconcile:<date>`).
 *
 * A lease is a `JobLease` row taken by one guarded upsert that succeeds only where no row exists or the last holder's
 * `expiresAt` has passed; the statement's row count says who won. It is renewed every third of its length while the
 * work runs, deleted by its holder when the work ends, and all of a process's leases are deleted when it stops. A
 * process that dies (SIGKILL, a lost machine) renews nothing: its leases run out after JOB_LEASE_MS and another
 * process takes the items up.
 *
 * Why not `SELECT ... FOR UPDATE SKIP LOCKED`: a row lock lasts only as long as its transaction, and a job's item
 * spans gateway calls of up to ALIPAY_TIMEOUT_MS each, which are never made inside a transaction (an open
 * transaction per item would hold a PostgreSQL connection, and on SQLite the database's one write lock, for the whole
 * call); SQLite has no row locks at all. The upsert is one portable statement on both engines, its claim outlives the
 * transaction, and a crash ends it by time instead of by a connection reset the process may never get to make.
 */

export type LeaseResult<T> = { taken: true; value: T } | { taken: false };

export interface JobLeases {
  /** This process's owner id: host, pid and a random part. */
  readonly owner: string;
  /**
   * Runs `work` holding the lease on `key`, renewing it meanwhile, and releases it after. `{taken: false}` without
   * running `work` when another holder has the key, or once this process has begun to stop.
   */
  withLease<T>(job: string, key: string, work: () => Promise<T>): Promise<LeaseResult<T>>;
  /** The keys whose work is under way in this process. */
  held(): string[];
  /** Takes no new lease from now on (shutdown). */
  stopTaking(): void;
  /** Deletes this owner's leases except those still under way; returns how many rows went. */
  releaseIdle(): Promise<number>;
}

export function orderLeaseKey(orderId: string): string {
  return `order:${orderId}`;
}

export function newLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export function createJobLeases(
  db: Db,
  options: { leaseMs: number; logger: Logger; owner?: string },
): JobLeases {
  const owner = options.owner ?? newLeaseOwner();
  const underWay = new Set<string>();
  let taking = true;

  const take = async (job: string, key: string): Promise<boolean> => {
    const now = new Date();
    const changed = await sql(db).transaction((tx) =>
      tx.run(
        `INSERT INTO "JobLease" ("key", "owner", "job", "takenAt", "expiresAt") VALUES (?, ?, ?, ?, ?)
         ON CONFLICT ("key") DO UPDATE SET "owner" = excluded."owner", "job" = excluded."job",
           "takenAt" = excluded."takenAt", "expiresAt" = excluded."expiresAt"
         WHERE "JobLease"."expiresAt" <= ?`,
        key,
        owner,
        job,
        now,
        new Date(now.getTime() + options.leaseMs),
        now,
      ),
    );
    return changed === 1;
  };

  const renew = async (key: string): Promise<boolean> => {
    const changed = await sql(db).transaction((tx) =>
      tx.run(
        `UPDATE "JobLease" SET "expiresAt" = ? WHERE "key" = ? AND "owner" = ?`,
        new Date(Date.now() + options.leaseMs),
        key,
        owner,
      ),
    );
    return changed === 1;
  };

  const release = (key: string): Promise<number> =>
    sql(db).transaction((tx) => tx.run(`DELETE FROM "JobLease" WHERE "key" = ? AND "owner" = ?`, key, owner));

  return {
    owner,
    async withLease(job, key, work) {
      if (!taking || underWay.has(key)) return { taken: false };
      // Marked before the claim so that the same key asked for twice at once in this process is one claim.
      underWay.add(key);
      let taken = false;
      try {
        taken = await take(job, key);
        if (!taken) return { taken: false };
        const renewal = setInterval(
          () => {
            renew(key).then(
              (held) => {
                if (!held) options.logger.warn({ job, key, owner }, 'job lease lost while its work ran');
              },
              (error: unknown) => options.logger.warn({ err: error, job, key }, 'job lease renewal failed'),
            );
          },
          Math.max(50, Math.floor(options.leaseMs / 3)),
        );
        renewal.unref();
        try {
          return { taken: true, value: await work() };
        } finally {
          clearInterval(renewal);
        }
      } finally {
        if (taken) {
          await release(key).catch((error: unknown) =>
            options.logger.warn({ err: error, job, key }, 'job lease not released; it runs out by itself'),
          );
        }
        underWay.delete(key);
      }
    },
    held: () => [...underWay],
    stopTaking() {
      taking = false;
    },
    async releaseIdle() {
      const busy = [...underWay];
      return sql(db).transaction((tx) =>
        tx.run(
          `DELETE FROM "JobLease" WHERE "owner" = ?${busy.length ? ` AND "key" NOT IN (${busy.map(() => '?').join(', ')})` : ''}`,
          owner,
          ...busy,
        ),
      );
    },
  };
}
