import { parseChinaTime } from '@shop/alipay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { signUpShopper, type Shopper } from '../payment/test-support';
import { runDailyReconciliation } from './job';
import { shiftDate } from './report.service';
import { runReconciliation } from './run.service';
import {
  kindsByKey,
  linesOf,
  paidAfterClose,
  paidOrder,
  reconcile,
  refunded,
  today,
  type PaidOrder,
} from './test-support';

/**
 * A clean day against the real sandbox: paid orders, a merchant refund and Alipay's paid-after-close race (refunded
 * automatically) reconcile with no differences, the same inputs give the same hash, a bill that is not ready yet
 * is a FAILED run, and the daily job runs each day once.
 */

let sys: TestSystem;
let alice: Shopper;
let coat: PaidOrder;
let scarf: PaidOrder;
let late: PaidOrder;
let scarfRefundNo: string;
let billDate: string;

beforeAll(async () => {
  sys = await startTestSystem({
    sandboxTimeScale: 0.01,
    env: { PAYMENT_QUERY_DELAY_MS: '60000', REFUND_RETRY_DELAY_MS: '1', RECONCILE_ENABLED: 'true' },
  });
  alice = await signUpShopper(sys);
});
afterAll(() => sys.close());

describe('a bill that is not ready', () => {
  it('makes a FAILED run with Alipay’s reason, recorded like any gateway call', async () => {
    const result = await reconcile(sys, today());
    expect(result.run.status).toBe('FAILED');
    expect(result.run.error).toMatch(/has no bill for \d{4}-\d{2}-\d{2} yet \(isp\.bill_not_exist\)/);
    expect(result.failure).toBe(result.run.error);
    expect(result.settlement).toBeNull();
    expect(await sys.db.reconciliationLine.count()).toBe(0);
    const call = await sys.db.gatewayCall.findFirstOrThrow({ where: { purpose: 'bill' } });
    expect(call).toMatchObject({
      method: 'alipay.data.dataservice.bill.downloadurl.query',
      orderId: null,
      outcome: 'failed',
      errorCode: '40004',
      errorSubCode: 'isp.bill_not_exist',
    });
  });

  it('refuses a date that has not begun, and one that is not a date', async () => {
    const error = await runReconciliation(sys.api.deps, '2999-01-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_ERROR');
    const bad = await runReconciliation(sys.api.deps, '2026-02-30').catch((e: unknown) => e);
    expect((bad as AppError).code).toBe('VALIDATION_ERROR');
  });
});

describe('a clean day', () => {
  beforeAll(async () => {
    const settings = await sys.sandbox('PUT', '/sandbox/settings', { billsSameDay: true });
    expect(settings.status).toBe(200);
    coat = await paidOrder(sys, alice, 10_000);
    scarf = await paidOrder(sys, alice, 2_550);
    scarfRefundNo = await refunded(sys, scarf.order.id, 550);
    late = await paidAfterClose(sys, alice, 1_230);
    billDate = today();
  });

  it('reports zero differences: every row matched, the paid-after-close pair expected', async () => {
    const result = await reconcile(sys, billDate);
    expect(result.failure).toBeNull();
    expect(result.run).toMatchObject({
      status: 'CLEAN',
      billLineCount: 5,
      matchedCount: 4,
      differenceCount: 0,
      error: null,
    });
    expect(await kindsByKey(sys, billDate)).toEqual({
      [`trade ${coat.order.orderNo}`]: 'MATCHED',
      [`trade ${scarf.order.orderNo}`]: 'MATCHED',
      [`trade ${late.order.orderNo}`]: 'PAID_AFTER_CLOSE',
      [`refund ${scarfRefundNo}`]: 'MATCHED',
      [`refund ${late.order.orderNo}_AUTO`]: 'MATCHED',
    });
    const lines = await linesOf(sys, billDate);
    expect(lines.map((line) => line.seq)).toEqual([1, 2, 3, 4, 5]);
    const pair = lines.find((line) => line.kind === 'PAID_AFTER_CLOSE');
    expect(pair).toMatchObject({
      tradeNo: late.tradeNo,
      billAmountFen: 1_230,
      ledgerAmountFen: 1_230,
      detail: `paid after the order closed; automatic refund ${late.order.orderNo}_AUTO is SUCCEEDED`,
    });
    expect(lines.find((line) => line.outRequestNo === scarfRefundNo)).toMatchObject({
      lineType: 'refund',
      tradeNo: scarf.tradeNo,
      billAmountFen: 550,
      ledgerAmountFen: 550,
    });
    // Settlement: 100.00 + 25.50 + 12.30 paid, 5.50 + 12.30 refunded; fees 0.6% each, given back in proportion.
    expect(result.settlement).toMatchObject({
      billDate,
      tradeCount: 3,
      refundCount: 2,
      grossFen: 13_780n,
      refundFen: 1_780n,
      feeFen: 60n + 15n + 7n - 3n - 7n,
      netFen: 13_780n - 1_780n - 72n,
    });
    expect(result.run.billSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.run.reportHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same hash when run again, replacing the run in place', async () => {
    const first = await sys.db.reconciliationRun.findUniqueOrThrow({ where: { billDate } });
    const firstLines = await linesOf(sys, billDate);
    const again = await reconcile(sys, billDate);
    expect(again.run.id).toBe(first.id);
    expect(again.run.reportHash).toBe(first.reportHash);
    expect(again.run.startedAt.getTime()).toBeGreaterThan(first.startedAt.getTime());
    const lines = await linesOf(sys, billDate);
    const content = (rows: typeof lines) => rows.map(({ id: _id, runId: _runId, ...rest }) => rest);
    expect(content(lines)).toEqual(content(firstLines));
    expect(await sys.db.reconciliationRun.count({ where: { billDate } })).toBe(1);
    expect(await sys.db.settlement.count({ where: { billDate } })).toBe(1);
  });

  it('refuses a second run of the date while one is in progress (409), and takes over a stale claim', async () => {
    const run = await sys.db.reconciliationRun.findUniqueOrThrow({ where: { billDate } });
    await sys.db.reconciliationRun.update({
      where: { id: run.id },
      data: { status: 'RUNNING', startedAt: new Date() },
    });
    const busy = await reconcile(sys, billDate).catch((e: unknown) => e);
    expect((busy as AppError).code).toBe('CONFLICT');
    await sys.db.reconciliationRun.update({
      where: { id: run.id },
      data: { startedAt: new Date(Date.now() - 16 * 60 * 1000) },
    });
    const taken = await reconcile(sys, billDate);
    expect(taken.run.status).toBe('CLEAN');
    expect(taken.run.reportHash).toBe(run.reportHash);
  });

  it('keeps the finished report when a later run cannot get the bill', async () => {
    const before = await sys.db.reconciliationRun.findUniqueOrThrow({ where: { billDate } });
    const lineCount = await sys.db.reconciliationLine.count({ where: { runId: before.id } });
    const fault = await sys.sandbox('POST', '/sandbox/faults', {
      kind: 'gateway-error',
      count: 1,
      methods: ['alipay.data.dataservice.bill.downloadurl.query'],
    });
    expect(fault.status).toBe(201);
    const result = await reconcile(sys, billDate);
    expect(result.failure).toMatch(/Alipay could not give the bill: .*20000/);
    expect(result.run).toMatchObject({
      status: 'CLEAN',
      reportHash: before.reportHash,
      startedAt: before.startedAt,
      finishedAt: before.finishedAt,
    });
    expect(await sys.db.reconciliationLine.count({ where: { runId: before.id } })).toBe(lineCount);
    const call = await sys.db.gatewayCall.findFirstOrThrow({
      where: { purpose: 'bill' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    expect(call).toMatchObject({ outcome: 'unknown', errorCode: '20000' });
  });
});

describe('the daily job', () => {
  /** A China time on the day after the bill date, as the job's clock. */
  const nextDayAt = (hhmm: string) => parseChinaTime(`${shiftDate(billDate, 1)} ${hhmm}:00`)!;

  it('waits for RECONCILE_AT_HOUR, then reconciles the previous China day once', async () => {
    await sys.db.reconciliationRun.deleteMany({ where: { billDate } });
    await sys.db.settlement.deleteMany({ where: { billDate } });
    expect(await runDailyReconciliation(sys.api.deps, nextDayAt('08:59'))).toMatchObject({ ran: 0 });
    expect(await sys.db.reconciliationRun.count({ where: { billDate } })).toBe(0);

    const first = await runDailyReconciliation(sys.api.deps, nextDayAt('09:00'));
    expect(first).toEqual({ ran: 1, clean: 1, differences: 0, failed: 0, skipped: 0 });
    const run = await sys.db.reconciliationRun.findUniqueOrThrow({ where: { billDate } });
    expect(run.status).toBe('CLEAN');
    expect(await sys.db.settlement.count({ where: { billDate } })).toBe(1);

    // Once per day: later wake-ups leave the finished day alone.
    expect(await runDailyReconciliation(sys.api.deps, nextDayAt('15:00'))).toMatchObject({ ran: 0 });
    const after = await sys.db.reconciliationRun.findUniqueOrThrow({ where: { billDate } });
    expect(after.finishedAt).toEqual(run.finishedAt);
  });

  it('lets one of two processes run a day; the other skips it', async () => {
    await sys.db.reconciliationRun.deleteMany({ where: { billDate } });
    const [a, b] = await Promise.all([
      runDailyReconciliation(sys.api.deps, nextDayAt('10:00')),
      runDailyReconciliation(sys.api.deps, nextDayAt('10:00')),
    ]);
    expect(a.ran + b.ran).toBe(1);
    expect(a.skipped + b.skipped).toBe(1);
    expect(await sys.db.reconciliationRun.count({ where: { billDate } })).toBe(1);
  });

  it('tries a FAILED day again once RECONCILE_RETRY_MS (30 minutes) has passed', async () => {
    const clock = nextDayAt('11:00');
    const failAt = async (minutesAgo: number) =>
      sys.db.reconciliationRun.update({
        where: { billDate },
        data: {
          status: 'FAILED',
          error: 'not ready',
          finishedAt: new Date(clock.getTime() - minutesAgo * 60_000),
        },
      });
    await failAt(10);
    expect(await runDailyReconciliation(sys.api.deps, clock)).toMatchObject({ ran: 0 });
    expect((await sys.db.reconciliationRun.findUniqueOrThrow({ where: { billDate } })).status).toBe('FAILED');
    await failAt(31);
    expect(await runDailyReconciliation(sys.api.deps, clock)).toMatchObject({ ran: 1, clean: 1 });
    expect((await sys.db.reconciliationRun.findUniqueOrThrow({ where: { billDate } })).status).toBe('CLEAN');
  });

  it('does nothing when switched off', async () => {
    await sys.db.reconciliationRun.deleteMany({ where: { billDate } });
    const off = { ...sys.api.deps, env: { ...sys.api.deps.env, RECONCILE_ENABLED: false } };
    expect(await runDailyReconciliation(off, nextDayAt('12:00'))).toMatchObject({ ran: 0 });
    expect(await sys.db.reconciliationRun.count({ where: { billDate } })).toBe(0);
  });
});
