import type { Db } from './db';
import type { AttemptOutcome, NotifyAttempt, NotifyKind, NotifyRecord, NotifyStatus } from './types';

/** The persistent notify queue and the log of every attempt. */

interface NotifyRow {
  id: number;
  notify_id: string;
  app_id: string;
  trade_no: string;
  out_trade_no: string;
  kind: NotifyKind;
  notify_url: string;
  charset: string;
  fields: string;
  status: NotifyStatus;
  attempts: number;
  next_attempt_at: number;
  held_seq: number | null;
  created_at: number;
  finished_at: number | null;
}

interface AttemptRow {
  id: number;
  notify_id: string;
  attempt_no: number;
  copy_no: number;
  started_at: number;
  duration_ms: number;
  http_status: number | null;
  response_body: string | null;
  error: string | null;
  outcome: AttemptOutcome;
  faults: string | null;
  sent_body: string | null;
}

const toNotify = (row: NotifyRow): NotifyRecord => ({
  id: row.id,
  notifyId: row.notify_id,
  appId: row.app_id,
  tradeNo: row.trade_no,
  outTradeNo: row.out_trade_no,
  kind: row.kind,
  notifyUrl: row.notify_url,
  charset: row.charset,
  fields: JSON.parse(row.fields) as Record<string, string>,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: new Date(row.next_attempt_at),
  heldSeq: row.held_seq,
  createdAt: new Date(row.created_at),
  finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
});

const toAttempt = (row: AttemptRow): NotifyAttempt => ({
  id: row.id,
  notifyId: row.notify_id,
  attemptNo: row.attempt_no,
  copyNo: row.copy_no,
  startedAt: new Date(row.started_at),
  durationMs: row.duration_ms,
  httpStatus: row.http_status,
  responseBody: row.response_body,
  error: row.error,
  outcome: row.outcome,
  faults: row.faults === null ? [] : (JSON.parse(row.faults) as string[]),
  sentBody: row.sent_body,
});

export type NewNotify = Pick<
  NotifyRecord,
  'notifyId' | 'appId' | 'tradeNo' | 'outTradeNo' | 'kind' | 'notifyUrl' | 'charset' | 'fields' | 'createdAt'
>;

export class NotifiesRepo {
  constructor(private readonly db: Db) {}

  /** Queues a notify, due at once. */
  insert(notify: NewNotify): void {
    this.db
      .prepare(
        `INSERT INTO notifies (notify_id, app_id, trade_no, out_trade_no, kind, notify_url, charset, fields, status,
           attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
      )
      .run(
        notify.notifyId,
        notify.appId,
        notify.tradeNo,
        notify.outTradeNo,
        notify.kind,
        notify.notifyUrl,
        notify.charset,
        JSON.stringify(notify.fields),
        notify.createdAt.getTime(),
        notify.createdAt.getTime(),
      );
  }

  find(notifyId: string): NotifyRecord | undefined {
    const row = this.db.prepare('SELECT * FROM notifies WHERE notify_id = ?').get(notifyId) as
      NotifyRow | undefined;
    return row && toNotify(row);
  }

  listDue(now: Date, limit: number): NotifyRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM notifies WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
      )
      .all(now.getTime(), limit) as NotifyRow[];
    return rows.map(toNotify);
  }

  nextDue(): Date | null {
    const row = this.db
      .prepare(`SELECT min(next_attempt_at) AS at FROM notifies WHERE status = 'pending'`)
      .get() as { at: number | null };
    return row.at === null ? null : new Date(row.at);
  }

  /** Ends or reschedules a pending notify after an attempt (guarded: only a pending notify moves). */
  finishAttempt(
    notifyId: string,
    attempts: number,
    next: { status: 'delivered' | 'failed'; at: Date } | { status: 'pending'; at: Date },
  ): boolean {
    const finished = next.status === 'pending' ? null : next.at.getTime();
    const result = this.db
      .prepare(
        `UPDATE notifies SET status = ?, attempts = ?, next_attempt_at = ?, finished_at = ?
         WHERE notify_id = ? AND status = 'pending'`,
      )
      .run(next.status, attempts, next.at.getTime(), finished, notifyId);
    return result.changes === 1;
  }

  /**
   * Leases a pending notify for an attempt by pushing its due time past the attempt's longest possible duration: the
   * sender's loop skips it meanwhile, and after a crash it is retried once the lease runs out.
   */
  lease(notifyId: string, until: Date): boolean {
    const result = this.db
      .prepare(`UPDATE notifies SET next_attempt_at = ? WHERE notify_id = ? AND status = 'pending'`)
      .run(until.getTime(), notifyId);
    return result.changes === 1;
  }

  hold(notifyId: string, seq: number): boolean {
    const result = this.db
      .prepare(`UPDATE notifies SET status = 'held', held_seq = ? WHERE notify_id = ? AND status = 'pending'`)
      .run(seq, notifyId);
    return result.changes === 1;
  }

  listHeld(): NotifyRecord[] {
    const rows = this.db
      .prepare(`SELECT * FROM notifies WHERE status = 'held' ORDER BY held_seq, id`)
      .all() as NotifyRow[];
    return rows.map(toNotify);
  }

  release(notifyId: string, at: Date): boolean {
    const result = this.db
      .prepare(
        `UPDATE notifies SET status = 'pending', held_seq = NULL, next_attempt_at = ?
         WHERE notify_id = ? AND status = 'held'`,
      )
      .run(at.getTime(), notifyId);
    return result.changes === 1;
  }

  insertAttempt(attempt: Omit<NotifyAttempt, 'id'>): void {
    this.db
      .prepare(
        `INSERT INTO notify_attempts (notify_id, attempt_no, copy_no, started_at, duration_ms, http_status,
           response_body, error, outcome, faults, sent_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        attempt.notifyId,
        attempt.attemptNo,
        attempt.copyNo,
        attempt.startedAt.getTime(),
        attempt.durationMs,
        attempt.httpStatus,
        attempt.responseBody,
        attempt.error,
        attempt.outcome,
        attempt.faults.length === 0 ? null : JSON.stringify(attempt.faults),
        attempt.sentBody,
      );
  }

  list(filter: { outTradeNo?: string; tradeNo?: string }): NotifyRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM notifies WHERE (@outTradeNo IS NULL OR out_trade_no = @outTradeNo)
           AND (@tradeNo IS NULL OR trade_no = @tradeNo) ORDER BY id`,
      )
      .all({ outTradeNo: filter.outTradeNo ?? null, tradeNo: filter.tradeNo ?? null }) as NotifyRow[];
    return rows.map(toNotify);
  }

  listAttempts(notifyId: string): NotifyAttempt[] {
    const rows = this.db
      .prepare('SELECT * FROM notify_attempts WHERE notify_id = ? ORDER BY attempt_no, copy_no, id')
      .all(notifyId) as AttemptRow[];
    return rows.map(toAttempt);
  }
}
