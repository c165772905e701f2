import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatChinaTime, NOTIFY_ACK, signNotify } from '@shop/alipay';
import { signerFor } from '../certs/certs.service';
import type { Deps } from '../deps';
import { activeReorder, takeNotifyFaults, type NotifyFaults } from '../faults/faults';
import type { AttemptOutcome, NotifyRecord } from '../store/types';
import { WakeTimer } from '../wake-timer';
import { corruptSignature, encodeNotifyBody, forgeAmount } from './notify-body';
import { MAX_ATTEMPTS, nextAttemptAt } from './schedule';

/**
 * Delivers queued notifies: POSTs the signed form to notify_url and accepts only HTTP 200 with the body exactly
 * `success` (https://opendocs.alipay.com/open/203/105286: "程序执行完后必须打印输出 success"); anything else (other
 * bodies, `success\n`, HTML, other statuses, timeouts, refused connections) is a failure, retried on Alipay's
 * schedule. Every attempt is stored and logged. The queue lives in SQLite, so pending notifies survive a restart.
 */

const BODY_LOG_LIMIT = 1000;
const DUE_BATCH = 50;

interface PostResult {
  outcome: AttemptOutcome;
  /** When the copy left (its recorded start); the retry schedule runs from the earliest copy's. */
  startedAt: Date;
}

export class NotifySender {
  readonly #deps: Deps;
  readonly #timer: WakeTimer;
  readonly #inFlight = new Set<Promise<void>>();
  #stopping = new AbortController();
  #forgerKey: KeyObject | undefined;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#timer = new WakeTimer(
      () => this.#tick(),
      () => deps.store.notifies.nextDue(),
      (error) => deps.logger.error({ err: error }, 'notify sender failed'),
    );
  }

  start(): void {
    this.#stopping = new AbortController();
    // Held notifies whose reorder fault was cleared while the sandbox was down are released now.
    if (!activeReorder(this.#deps) && this.#deps.store.notifies.listHeld().length > 0)
      void this.releaseHeld();
    this.#timer.start();
  }

  wake(): void {
    this.#timer.wake();
  }

  /** Stops sending; attempts in flight are abandoned and stay pending, due at once after a restart. */
  async stop(): Promise<void> {
    this.#timer.stop();
    this.#stopping.abort();
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Releases every held notify (a reorder fault filled up or was cleared), newest first, one after another. */
  async releaseHeld(): Promise<void> {
    const { notifies } = this.#deps.store;
    const held = notifies.listHeld().reverse();
    // Released under a lease long enough for all of them, so the regular loop leaves them to this sequential run.
    const lease = (this.#deps.config.notifyTimeoutMs + 5_000) * held.length;
    const until = new Date(this.#deps.clock.nowMs() + lease);
    const released = held.filter((notify) => notifies.release(notify.notifyId, until));
    this.#deps.logger.info(
      { notifyIds: released.map((n) => n.notifyId) },
      'releasing held notifies in reverse order',
    );
    const run = (async () => {
      for (const notify of released) {
        if (this.#stopping.signal.aborted) return;
        const current = notifies.find(notify.notifyId);
        if (current?.status === 'pending') await this.#attempt(current);
      }
    })();
    this.#track(run);
    await run;
  }

  #track(promise: Promise<void>): void {
    const tracked = promise.finally(() => {
      this.#inFlight.delete(tracked);
      this.wake();
    });
    this.#inFlight.add(tracked);
  }

  #tick(): void {
    const { store, clock } = this.#deps;
    for (const notify of store.notifies.listDue(clock.now(), DUE_BATCH)) {
      const reorder = activeReorder(this.#deps);
      if (reorder) {
        this.#hold(notify, reorder.id, reorder.used + 1);
        continue;
      }
      this.#track(this.#attempt(notify));
    }
  }

  #hold(notify: NotifyRecord, faultId: number, seq: number): void {
    const { store, logger } = this.#deps;
    store.transaction(() => {
      if (store.notifies.hold(notify.notifyId, seq)) store.faults.consume(faultId);
    });
    logger.warn({ notifyId: notify.notifyId, seq, fault: faultId }, 'notify held by reorder fault');
    if (!store.faults.find(faultId)) void this.releaseHeld();
  }

  async #attempt(notify: NotifyRecord): Promise<void> {
    const { store, clock, config, logger } = this.#deps;
    const faults = takeNotifyFaults(this.#deps);
    const attemptNo = notify.attempts + 1;
    // The lease covers the injected delay, every copy's deadline and some slack.
    const leaseMs = faults.delayMs + config.notifyTimeoutMs + 5_000;
    if (!store.notifies.lease(notify.notifyId, new Date(clock.nowMs() + leaseMs))) return;
    try {
      if (faults.delayMs > 0) await sleep(faults.delayMs, undefined, { signal: this.#stopping.signal });
      const startedAt = clock.now();
      const form = this.#form(notify, startedAt, faults);
      const body = encodeNotifyBody(form, notify.charset);
      let results: PostResult[];
      if (faults.drop) {
        this.#record(notify, attemptNo, 1, startedAt, {
          outcome: 'dropped',
          faults: faults.labels,
          sentBody: body,
        });
        results = [{ outcome: 'dropped', startedAt }];
      } else {
        const copies = Array.from({ length: faults.copies }, (_, i) =>
          this.#post(notify, attemptNo, i + 1, body, faults.labels),
        );
        results = await Promise.all(copies);
      }
      if (this.#stopping.signal.aborted) throw this.#stopping.signal.reason;
      const delivered = results.some((result) => result.outcome === 'success');
      // From the attempt's recorded start, not from before it was signed, so the gaps the attempt log shows are
      // never shorter than the schedule.
      const sentAt = new Date(Math.min(...results.map((result) => result.startedAt.getTime())));
      const next = delivered ? null : nextAttemptAt(sentAt, attemptNo, (ms) => clock.scaled(ms));
      const finishedAt = clock.now();
      store.notifies.finishAttempt(
        notify.notifyId,
        attemptNo,
        delivered
          ? { status: 'delivered', at: finishedAt }
          : next
            ? { status: 'pending', at: next }
            : { status: 'failed', at: finishedAt },
      );
      if (!delivered && !next) {
        logger.warn(
          { notifyId: notify.notifyId, attempts: MAX_ATTEMPTS },
          'notify abandoned after all attempts',
        );
      }
    } catch (error) {
      if (this.#stopping.signal.aborted) {
        // Shutting down: leave the notify pending and due, so a restart resumes it at once.
        store.notifies.lease(notify.notifyId, clock.now());
        return;
      }
      throw error;
    }
  }

  #form(notify: NotifyRecord, at: Date, faults: NotifyFaults): Record<string, string> {
    const fields = { ...notify.fields, notify_time: formatChinaTime(at) };
    if (faults.tamper === 'amount') return forgeAmount(fields, this.#forger());
    // Certificate-mode apps' notifies are signed with the key of Alipay's current certificate. They name no
    // certificate: Alipay documents no alipay_cert_sn field in notifies.
    const app = this.#deps.store.accounts.findApp(notify.appId);
    const signed = signNotify(fields, signerFor(this.#deps, app).key);
    if (faults.tamper === 'signature') signed.sign = corruptSignature(signed.sign as string);
    return signed;
  }

  /** A throwaway key standing in for an attacker's (generated on first use; a notify-tamper fault needs it). */
  #forger(): KeyObject {
    this.#forgerKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    return this.#forgerKey;
  }

  async #post(
    notify: NotifyRecord,
    attemptNo: number,
    copyNo: number,
    body: Buffer,
    faults: string[],
  ): Promise<PostResult> {
    const { clock, config } = this.#deps;
    const startedAt = clock.now();
    let httpStatus: number | null = null;
    let responseBody: string | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(notify.notifyUrl, {
        method: 'POST',
        headers: { 'content-type': `application/x-www-form-urlencoded; charset=${notify.charset}` },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(config.notifyTimeoutMs), this.#stopping.signal]),
      });
      httpStatus = response.status;
      responseBody = await response.text();
    } catch (caught) {
      const err = caught as Error & { cause?: { code?: string; message?: string } };
      error =
        err.name === 'TimeoutError'
          ? `timed out after ${config.notifyTimeoutMs} ms`
          : (err.cause?.code ?? err.cause?.message ?? err.message);
    }
    if (this.#stopping.signal.aborted) return { outcome: 'failure', startedAt };
    const outcome: AttemptOutcome = httpStatus === 200 && responseBody === NOTIFY_ACK ? 'success' : 'failure';
    this.#record(notify, attemptNo, copyNo, startedAt, {
      outcome,
      httpStatus,
      responseBody,
      error,
      faults,
      sentBody: body,
    });
    return { outcome, startedAt };
  }

  #record(
    notify: NotifyRecord,
    attemptNo: number,
    copyNo: number,
    startedAt: Date,
    result: {
      outcome: AttemptOutcome;
      httpStatus?: number | null;
      responseBody?: string | null;
      error?: string | null;
      faults: string[];
      sentBody: Buffer;
    },
  ): void {
    const { store, clock, logger } = this.#deps;
    const durationMs = clock.nowMs() - startedAt.getTime();
    const responseBody =
      result.responseBody === undefined || result.responseBody === null
        ? null
        : result.responseBody.slice(0, BODY_LOG_LIMIT);
    store.notifies.insertAttempt({
      notifyId: notify.notifyId,
      attemptNo,
      copyNo,
      startedAt,
      durationMs,
      httpStatus: result.httpStatus ?? null,
      responseBody,
      error: result.error ?? null,
      outcome: result.outcome,
      faults: result.faults,
      sentBody: result.sentBody.toString('latin1'),
    });
    logger.info(
      {
        notifyId: notify.notifyId,
        outTradeNo: notify.outTradeNo,
        kind: notify.kind,
        attemptNo,
        copyNo,
        status: result.httpStatus ?? null,
        body: responseBody?.slice(0, 200) ?? null,
        error: result.error ?? null,
        durationMs,
        outcome: result.outcome,
        faults: result.faults,
      },
      'notify attempt',
    );
  }
}
