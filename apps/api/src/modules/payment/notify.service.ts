import {
  AlipayNotifyFormatError,
  isPaidStatus,
  parseNotifyBody,
  readNotify,
  AlipayUnknownCertificateError,
  yuanToFen,
  type AlipayNotify,
} from '@shop/alipay';
import type { NotifyOutcome, NotifyRejectReason } from '@shop/contract';
import { newId, readBool, type NotifyInbox, type Payment, type SqlTx } from '@shop/db';
import { sql } from '../../db';
import { findPayment, findPaymentLockingOrder } from './payment.store';
import { executeRefundQuietly } from './refund.service';
import { completeRefund, findRefund, wakeOpenRefunds } from './refund.store';
import { CLOSE_REASON, type NotifyDeps } from './settings';
import { applyPaid, closeOrderAndPayment } from './settle';

/**
 * The async notify inbox (https://opendocs.alipay.com/open/203/105286), as one pipeline: read the form, verify the
 * signature, then in a single transaction cross-check it against our records, apply it or record why not, and store
 * it; answer `success` only after that commits. Every POST is stored, whatever it is: raw body, parsed fields,
 * whether the signature verified, why it was refused, what it did. A notify is acted on only when it verifies with
 * Alipay's public key AND names our app, our order, the order's amount (and our seller, when configured).
 * Duplicates (same notify_id) are normal: among verified notifies the first acknowledged one counts, and the guarded
 * transitions make a late duplicate a no-op even across processes. A forged notify never counts as the first of its
 * notify_id, so it cannot pre-empt or block the real one.
 */

export interface NotifyInput {
  raw: Buffer;
  contentType: string;
  /** Set when the body could not be read (too large, aborted); the notify is recorded as malformed. */
  readError?: string | undefined;
}

export interface NotifyReceipt {
  /** Answer `success` (Alipay stops retrying) or not (Alipay retries on its schedule). */
  ack: boolean;
  /** The id of the Alipay key that verified the notify (null when none did), kept on its copies' rows too. */
  alipayKeyId: string | null;
  /** The HTTP status of a refusal: 400 for a notify we will never accept, 503 for our own failure. */
  status: 200 | 400 | 503;
  outcome: NotifyOutcome;
  inboxId: string;
  /** The order the notify's row is linked to. */
  orderId: string | null;
  /** Why a REJECTED notify was refused. */
  rejectReason?: NotifyRejectReason | null;
}

export interface NotifyChecks {
  appId: string;
  sellerId: string | undefined;
}

/**
 * The checks after the signature: our app, our order, the order's amount, our seller. Returns why the notify must be
 * refused, or null. A trade number that differs from the one Alipay gave us for this order is refused too.
 */
export function checkNotify(
  notify: AlipayNotify,
  payment: Pick<Payment, 'amountFen' | 'tradeNo'> | null,
  checks: NotifyChecks,
): NotifyRejectReason | null {
  if (notify.appId !== checks.appId) return 'app-id';
  if (checks.sellerId !== undefined && notify.sellerId !== checks.sellerId) return 'seller-id';
  if (!payment) return 'unknown-order';
  if (payment.tradeNo !== null && notify.tradeNo !== payment.tradeNo) return 'trade-no';
  if (notify.totalFen !== payment.amountFen) return 'amount';
  return null;
}

/** Whether a notify reports a refund rather than a payment (refund notifies carry out_biz_no and refund_fee). */
export function isRefundNotify(notify: AlipayNotify): boolean {
  return notify.outBizNo !== undefined || notify.refundFeeFen !== undefined;
}

function notifyChecks(deps: NotifyDeps): NotifyChecks {
  return { appId: deps.env.ALIPAY_APP_ID, sellerId: deps.env.ALIPAY_SELLER_ID };
}

/** The inbox columns that come from the request itself, before trusting any of it (forgeries are shown as they came). */
type InboxBase = Pick<
  NotifyInbox,
  | 'rawBody'
  | 'contentType'
  | 'fieldsJson'
  | 'notifyId'
  | 'outTradeNo'
  | 'tradeNo'
  | 'outBizNo'
  | 'tradeStatus'
  | 'totalFen'
>;

/** What the pipeline decided about one notify: the rest of its inbox row, and what to answer. */
interface Verdict {
  verified: boolean;
  rejectReason: NotifyRejectReason | null;
  outcome: NotifyOutcome;
  detail: string;
  /** An automatic refund written by this notify, to send to Alipay after commit. */
  refundToSend?: string;
}

/**
 * Text as every engine stores it: PostgreSQL refuses the NUL character in text columns (a forged body may carry
 * one), so it is kept as U+FFFD, which shows the merchant where it was.
 */
function storable(value: string): string {
  return value.replaceAll('\u0000', '\uFFFD');
}

function text(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : storable(value.slice(0, 200));
}

function lenientFen(value: string | undefined): number | null {
  if (value === undefined) return null;
  try {
    return yuanToFen(value);
  } catch {
    return null;
  }
}

function inboxBase(input: NotifyInput, fields: Record<string, string>): InboxBase {
  return {
    rawBody: storable(input.raw.toString('utf8')),
    contentType: storable(input.contentType.slice(0, 200)),
    fieldsJson: JSON.stringify(fields),
    notifyId: text(fields.notify_id),
    outTradeNo: text(fields.out_trade_no),
    tradeNo: text(fields.trade_no),
    outBizNo: text(fields.out_biz_no),
    tradeStatus: text(fields.trade_status),
    totalFen: lenientFen(fields.total_amount),
  };
}

/**
 * The notify's signature, with Alipay's public key (public-key mode) or its certificate (certificate mode). A form
 * naming a certificate we do not hold yet (Alipay rotated it) makes us fetch that certificate once, checked against
 * the root, and verify again; one we cannot fetch or trust is not verified.
 */
async function verifyNotifyFields(deps: NotifyDeps, fields: Record<string, string>): Promise<string | null> {
  try {
    return deps.alipay.notifySigner(fields);
  } catch (error) {
    if (!(error instanceof AlipayUnknownCertificateError)) throw error;
    try {
      await deps.alipay.fetchAlipayCertificate(error.certSn);
    } catch {
      return null;
    }
    return deps.alipay.notifySigner(fields);
  }
}

/** What reading and verifying the body found, before any database work. */
type Reading =
  | { kind: 'unreadable'; base: InboxBase; detail: string }
  | { kind: 'forged'; base: InboxBase }
  | { kind: 'malformed'; base: InboxBase; detail: string; keyId: string }
  | { kind: 'verified'; base: InboxBase; notify: AlipayNotify; keyId: string };

/** The form's fields, or why the body cannot be read. */
function parse(input: NotifyInput): { fields: Record<string, string> } | { detail: string } {
  if (input.readError !== undefined) return { detail: input.readError };
  try {
    return { fields: parseNotifyBody(input.raw, input.contentType) };
  } catch (error) {
    return { detail: `body is not a form: ${(error as Error).message}` };
  }
}

async function read(deps: NotifyDeps, base: InboxBase, fields: Record<string, string>): Promise<Reading> {
  let keyId: string | null;
  try {
    keyId = await verifyNotifyFields(deps, fields);
  } catch {
    // A sign that is not base64 or not the right length is simply not a valid signature.
    keyId = null;
  }
  if (keyId === null) return { kind: 'forged', base };
  try {
    return { kind: 'verified', base, notify: readNotify(fields), keyId };
  } catch (error) {
    if (!(error instanceof AlipayNotifyFormatError)) throw error;
    return { kind: 'malformed', base, detail: error.message, keyId };
  }
}

/** The row a copy is a duplicate of: the first verified and acknowledged row of its notify_id. */
interface Counted {
  id: string;
  orderId: string | null;
  /** The Alipay key that verified it, which its copies are recorded with. */
  alipayKeyId: string | null;
}

/** What one pass through `receiveNotify` answered, and the counted row its copies refer to (when acknowledged). */
interface Received {
  receipt: NotifyReceipt;
  counted: Counted | null;
}

/**
 * Alipay sends a notify again until it is acknowledged, and a burst after a sale can carry several copies at once. A
 * byte-for-byte copy (same body, same content type) of a notify already counted (verified, checked, acknowledged
 * and committed) is recorded as DUPLICATE at once: the same bytes verify and check as they did, and what the first
 * copy did is committed. Such a copy costs one read and one insert, without the signature check or the order's
 * lock. Anything else, a forgery reusing a notify_id included, takes the whole pipeline.
 */
async function recordCopy(deps: NotifyDeps, base: InboxBase): Promise<Received | null> {
  if (!base.notifyId) return null;
  const rows = await sql(deps.db).read((q) =>
    q.all<{
      id: string;
      orderId: string | null;
      verified: boolean | number;
      acknowledged: boolean | number;
      rawBody: string;
      contentType: string;
      alipayKeyId: string | null;
    }>(
      'SELECT "id", "orderId", "verified", "acknowledged", "rawBody", "contentType", "alipayKeyId" FROM "NotifyInbox" WHERE "notifyId" = ?',
      base.notifyId,
    ),
  );
  const counted = rows.find(
    (row) =>
      readBool(row.verified) &&
      readBool(row.acknowledged) &&
      row.rawBody === base.rawBody &&
      row.contentType === base.contentType,
  );
  if (!counted) return null;
  const found = { id: counted.id, orderId: counted.orderId, alipayKeyId: counted.alipayKeyId };
  return { receipt: await storeCopy(deps, base, found), counted: found };
}

/** The DUPLICATE row of a byte-identical copy of the counted notify `counted`. */
async function storeCopy(deps: NotifyDeps, base: InboxBase, counted: Counted): Promise<NotifyReceipt> {
  const row: NotifyInbox = {
    id: newId(),
    ...base,
    orderId: counted.orderId,
    verified: true,
    rejectReason: null,
    outcome: 'DUPLICATE',
    outcomeDetail: `notify_id seen before (inbox ${counted.id})`,
    acknowledged: true,
    receivedAt: new Date(),
    alipayKeyId: counted.alipayKeyId,
  };
  await stateOf(deps).copies.write(row);
  return {
    ack: true,
    alipayKeyId: counted.alipayKeyId,
    status: 200,
    outcome: 'DUPLICATE',
    inboxId: row.id,
    orderId: counted.orderId,
  };
}

/** The most rows one insert of copies takes (a parameter per column each, well under either engine's limit). */
const COPY_BATCH = 100;

/**
 * The DUPLICATE rows of copies, written together: the first copy's row is inserted at once, and the rows of copies
 * arriving while that insert runs wait for the next one, which takes them all in one statement (group commit). On
 * PostgreSQL every autocommit insert is a commit of its own, with its WAL flush; a burst of copies shares one. Each
 * copy is answered only after its row is committed. A batch that fails is retried row by row, so one row cannot fail
 * the copies beside it.
 */
class CopyWriter {
  #waiting: { row: NotifyInbox; done: (error: unknown) => void }[] = [];
  #writing = false;

  constructor(private readonly db: NotifyDeps['db']) {}

  write(row: NotifyInbox): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({
        row,
        done: (error) =>
          error === undefined
            ? resolve()
            : reject(
                error instanceof Error
                  ? error
                  : new Error('the copy could not be recorded', { cause: error }),
              ),
      });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting.splice(0, COPY_BATCH);
        try {
          await this.#insert(batch.map((entry) => entry.row));
          for (const entry of batch) entry.done(undefined);
        } catch (error) {
          if (batch.length === 1) batch[0]!.done(error);
          else
            for (const entry of batch) entry.done(await this.#insert([entry.row]).catch((e: unknown) => e));
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  #insert(rows: NotifyInbox[]): Promise<unknown> {
    return sql(this.db).autocommit((q) => q.insert('NotifyInbox', rows));
  }
}

/** The most counted notifies a process remembers (a body is about a kilobyte). */
const COUNTED_REMEMBERED = 2_000;

/**
 * Per database, what this process knows about notifies as they pass:
 * - `flights`: copies that arrive while an identical one is still in this process's pipeline (Alipay's copies often
 *   come at the same moment, on several connections) wait for it instead of queueing at the order's lock: once it is
 *   acknowledged (so verified, checked and committed) they are recorded as its DUPLICATEs; if it was refused or
 *   failed, each runs the whole pipeline itself.
 * - `counted`: notifies this process saw acknowledged, by their bytes (the most recent ones, bounded), so a later copy
 *   is recorded as a DUPLICATE without reading the inbox first. An acknowledged row is never taken back, so what is
 *   remembered stays true.
 * Across processes, `recordCopy`'s read, the order's lock and the duplicate rule still decide.
 */
interface NotifyState {
  flights: Map<string, Promise<Received>>;
  counted: Map<string, Counted>;
  copies: CopyWriter;
}

const states = new WeakMap<NotifyDeps['db'], NotifyState>();

function stateOf(deps: NotifyDeps): NotifyState {
  let state = states.get(deps.db);
  if (!state) {
    state = { flights: new Map(), counted: new Map(), copies: new CopyWriter(deps.db) };
    states.set(deps.db, state);
  }
  return state;
}

function remember(state: NotifyState, key: string, counted: Counted): void {
  if (state.counted.has(key)) return;
  if (state.counted.size >= COUNTED_REMEMBERED) {
    state.counted.delete(state.counted.keys().next().value!);
  }
  state.counted.set(key, counted);
}

/** Receives one notify. Never throws for anything the sender did; only our own failures come back as ERROR. */
export async function receiveNotify(deps: NotifyDeps, input: NotifyInput): Promise<NotifyReceipt> {
  const parsed = parse(input);
  if ('detail' in parsed) {
    return runPipeline(deps, { kind: 'unreadable', base: inboxBase(input, {}), detail: parsed.detail });
  }
  const base = inboxBase(input, parsed.fields);
  if (!base.notifyId) return runPipeline(deps, await read(deps, base, parsed.fields));
  const state = stateOf(deps);
  const key = `${base.notifyId}\n${base.contentType}\n${base.rawBody}`;
  const known = state.counted.get(key);
  if (known) return storeCopy(deps, base, known);
  const earlier = state.flights.get(key);
  if (earlier) {
    const first = await earlier.catch(() => null);
    if (first?.counted) return storeCopy(deps, base, first.counted);
  }
  const flight = (async (): Promise<Received> => {
    const copy = await recordCopy(deps, base);
    if (copy) return copy;
    const receipt = await runPipeline(deps, await read(deps, base, parsed.fields));
    return {
      receipt,
      counted: receipt.ack
        ? { id: receipt.inboxId, orderId: receipt.orderId, alipayKeyId: receipt.alipayKeyId }
        : null,
    };
  })();
  if (!state.flights.has(key)) state.flights.set(key, flight);
  try {
    const received = await flight;
    if (received.counted) remember(state, key, received.counted);
    return received.receipt;
  } finally {
    if (state.flights.get(key) === flight) state.flights.delete(key);
  }
}

/** Cross-check, apply or record in one transaction, then answer (see the top of this file). */
async function runPipeline(deps: NotifyDeps, reading: Reading): Promise<NotifyReceipt> {
  let linkedOrderId: string | null = null;
  let decided: { verdict: Verdict; inboxId: string };
  const alipayKeyId = reading.kind === 'verified' || reading.kind === 'malformed' ? reading.keyId : null;
  try {
    decided = await sql(deps.db).transaction(async (tx) => {
      // Link the row to the order it names, even before trusting it, so the merchant sees forgeries on that order.
      // A verified notify locks the order's row as it reads (PostgreSQL): copies arriving at once queue there, so
      // the duplicate rule sees the first one's row.
      const outTradeNo = reading.base.outTradeNo;
      const payment = !outTradeNo
        ? null
        : reading.kind === 'verified'
          ? await findPaymentLockingOrder(tx, outTradeNo)
          : await findPayment(tx, { outTradeNo });
      linkedOrderId = payment?.orderId ?? null;
      const verdict = await decide(tx, deps, reading, payment);
      const row: NotifyInbox = {
        id: newId(),
        ...reading.base,
        orderId: linkedOrderId,
        verified: verdict.verified,
        rejectReason: verdict.rejectReason,
        outcome: verdict.outcome,
        outcomeDetail: storable(verdict.detail.slice(0, 1000)),
        acknowledged: verdict.outcome !== 'REJECTED',
        receivedAt: new Date(),
        alipayKeyId,
      };
      await tx.insert('NotifyInbox', row);
      return { verdict, inboxId: row.id };
    });
  } catch (error) {
    // Our own failure to apply a verified notify (database busy, a bug): nothing it did committed. The row says so,
    // the answer is a failure with 503, and Alipay's retry applies it.
    deps.logger.error({ err: error, notifyId: reading.base.notifyId }, 'notify could not be applied');
    return storeFailure(deps, reading, linkedOrderId, error);
  }
  const { verdict, inboxId } = decided;
  if (verdict.outcome === 'REJECTED') {
    deps.logger.warn(
      {
        inboxId,
        notifyId: reading.base.notifyId,
        outTradeNo: reading.base.outTradeNo,
        reason: verdict.rejectReason,
      },
      `notify not acknowledged: ${verdict.detail}`,
    );
    return {
      ack: false,
      alipayKeyId,
      status: 400,
      outcome: verdict.outcome,
      inboxId,
      orderId: linkedOrderId,
      rejectReason: verdict.rejectReason,
    };
  }
  // Committed: the automatic refund is sent before we answer, so the record shows its outcome soonest; a failure
  // leaves it open for the recovery job and does not hold back the acknowledgement.
  if (verdict.refundToSend) await executeRefundQuietly(deps, verdict.refundToSend);
  return { ack: true, alipayKeyId, status: 200, outcome: verdict.outcome, inboxId, orderId: linkedOrderId };
}

function refused(verified: boolean, rejectReason: NotifyRejectReason, detail: string): Verdict {
  return { verified, rejectReason, outcome: 'REJECTED', detail };
}

/** Cross-checks a read notify against the payment it names and applies it, inside the pipeline's transaction. */
async function decide(
  tx: SqlTx,
  deps: NotifyDeps,
  reading: Reading,
  payment: Payment | null,
): Promise<Verdict> {
  switch (reading.kind) {
    case 'unreadable':
      return refused(false, 'malformed', reading.detail);
    case 'forged':
      return refused(false, 'bad-signature', 'the signature does not verify with the Alipay public key');
    case 'malformed':
      return refused(true, 'malformed', reading.detail);
    case 'verified':
      break;
  }
  const { notify } = reading;
  const rejectReason = checkNotify(notify, payment, notifyChecks(deps));
  if (rejectReason || !payment) {
    const reason = rejectReason ?? 'unknown-order';
    return refused(true, reason, `check failed: ${reason}`);
  }
  const first = await countedBefore(tx, notify.notifyId);
  if (first) {
    return {
      verified: true,
      rejectReason: null,
      outcome: 'DUPLICATE',
      detail: `notify_id seen before (inbox ${first})`,
    };
  }
  return { verified: true, rejectReason: null, ...(await apply(tx, deps, payment, notify)) };
}

/**
 * The duplicate rule: among the rows stored for a notify_id, the first verified and acknowledged one counts. Looked
 * up by notify_id alone, the flags checked here: with `verified` in the WHERE, SQLite's planner picks the
 * (verified, receivedAt) index and reads every verified notify ever received, so each notify cost more than the last
 * (1.4 ms a lookup at 10,000 rows in the benchmark's profile). One notify_id has a handful of rows.
 */
async function countedBefore(tx: SqlTx, notifyId: string): Promise<string | undefined> {
  const seen = await tx.all<{ id: string; verified: boolean | number; acknowledged: boolean | number }>(
    'SELECT "id", "verified", "acknowledged" FROM "NotifyInbox" WHERE "notifyId" = ?',
    notifyId,
  );
  return seen.find((row) => readBool(row.verified) && readBool(row.acknowledged))?.id;
}

type Applied = Pick<Verdict, 'outcome' | 'detail' | 'refundToSend'>;

/** What an accepted notify does: a payment, a refund, a closed trade, or nothing for other statuses. */
async function apply(tx: SqlTx, deps: NotifyDeps, payment: Payment, notify: AlipayNotify): Promise<Applied> {
  if (isRefundNotify(notify)) return applyRefundNotify(tx, payment, notify);
  if (isPaidStatus(notify.tradeStatus)) {
    const paid = await applyPaid(
      tx,
      payment,
      {
        source: 'notify',
        tradeNo: notify.tradeNo,
        paidAt: notify.gmtPayment,
        buyerUserId: notify.buyerId,
        buyerOpenId: notify.buyerOpenId,
        notifyId: notify.notifyId,
      },
      { refundRetryDelayMs: deps.env.REFUND_RETRY_DELAY_MS },
    );
    if (paid.result === 'APPLIED') return { outcome: 'APPLIED', detail: 'order paid' };
    if (paid.result === 'NO_CHANGE') {
      return { outcome: 'NO_CHANGE', detail: `order is ${paid.status ?? 'missing'}; nothing to do` };
    }
    return paid.created
      ? {
          outcome: 'AUTO_REFUND',
          detail: 'paid after the order closed; refunding',
          refundToSend: paid.refundId,
        }
      : { outcome: 'NO_CHANGE', detail: 'paid after the order closed; the automatic refund exists already' };
  }
  if (notify.tradeStatus === 'TRADE_CLOSED') {
    const closed = await closeOrderAndPayment(tx, payment, payment.orderId, {
      reason: CLOSE_REASON.tradeClosed,
      actorType: 'alipay',
      eventType: 'CLOSED',
      recheckAfterMs: deps.env.PAYMENT_QUERY_DELAY_MS,
    });
    return closed.closed
      ? { outcome: 'APPLIED', detail: 'trade closed at Alipay; order closed' }
      : { outcome: 'NO_CHANGE', detail: `trade closed; order is ${closed.status ?? 'missing'}` };
  }
  return { outcome: 'NO_CHANGE', detail: `trade status ${notify.tradeStatus ?? 'absent'}` };
}

async function applyRefundNotify(tx: SqlTx, payment: Payment, notify: AlipayNotify): Promise<Applied> {
  const refund = notify.outBizNo ? await findRefund(tx, { outRequestNo: notify.outBizNo }) : null;
  if (refund && refund.orderId === payment.orderId) {
    const changed = await completeRefund(tx, refund, 'notify');
    return changed
      ? { outcome: 'APPLIED', detail: `refund ${refund.outRequestNo} succeeded` }
      : { outcome: 'NO_CHANGE', detail: `refund ${refund.outRequestNo} is ${refund.status} already` };
  }
  // A refund we did not ask for (made in Alipay's console?) or one without out_biz_no: have the recovery job ask
  // about every open refund of this order now rather than on its usual schedule.
  await wakeOpenRefunds(tx, payment.orderId);
  return {
    outcome: 'NO_CHANGE',
    detail: `refund notify for ${notify.outBizNo ?? 'no out_biz_no'}, which is not a refund the shop requested`,
  };
}

/** The inbox row of a notify whose transaction failed: ERROR, not acknowledged, answered 503. */
async function storeFailure(
  deps: NotifyDeps,
  reading: Reading,
  orderId: string | null,
  error: unknown,
): Promise<NotifyReceipt> {
  const row: NotifyInbox = {
    id: newId(),
    ...reading.base,
    orderId,
    verified: reading.kind === 'verified' || reading.kind === 'malformed',
    rejectReason: null,
    outcome: 'ERROR',
    outcomeDetail: storable(`could not apply: ${(error as Error).message}`.slice(0, 1000)),
    acknowledged: false,
    receivedAt: new Date(),
    alipayKeyId: reading.kind === 'verified' || reading.kind === 'malformed' ? reading.keyId : null,
  };
  await sql(deps.db).transaction((tx) => tx.insert('NotifyInbox', row));
  return {
    ack: false,
    alipayKeyId: row.alipayKeyId,
    status: 503,
    outcome: 'ERROR',
    inboxId: row.id,
    orderId,
  };
}
