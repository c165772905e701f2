import { AlipayApiError, chinaDayRange, formatChinaDate, isAlipayError } from '@shop/alipay';
import type { SettlementFigures } from '@shop/contract';
import { Prisma, type ReconciliationRun, type Settlement } from '@shop/db';
import { inTransaction, type Db } from '../../db';
import type { ApiDeps } from '../../deps';
import { AppError } from '../../errors';
import { newEventId, outboxEventRow } from '../outbox/events';
import { callGateway } from '../payment/gateway-log';
import { BillDownloadError, BillFormatError, downloadBill, readBillArchive, sha256Hex } from './bill';
import { loadLedger } from './ledger';
import { matchBill, type DayRange, type ReportLine } from './match';
import {
  canonicalReport,
  carryResolutions,
  countLines,
  reportHash,
  settle,
  summaryDisagreements,
} from './report';

/**
 * One reconciliation run for a China calendar date: claim the date, ask Alipay for the bill's URL, download, unzip,
 * decode and parse it, load the ledger, match, and store the report, its lines and the day's settlement in one
 * transaction that replaces any earlier run of the date (resolution notes of lines that still exist are kept).
 *
 * The unique `billDate` is the claim: a process creates the run as RUNNING (or moves a finished one to RUNNING with
 * a guarded update), so two processes never work on one date at once; the loser gets 409 CONFLICT. A claim older
 * than RUN_LEASE_MS belongs to a process that died and may be taken over. A bill that cannot be had (not ready yet,
 * Alipay or the network failing, a malformed file) makes a FAILED run with the reason; when the date already had a
 * finished report, that report is kept as it was and the caller is told why this attempt failed.
 */

export type ReconciliationDeps = Pick<ApiDeps, 'env' | 'db' | 'alipay' | 'logger'>;

export const RUN_LEASE_MS = 15 * 60 * 1000;

export type ProgressStep = 'claim' | 'bill-url' | 'download' | 'parse' | 'ledger' | 'match' | 'store';

export interface Progress {
  step: ProgressStep;
  /** What was just done, for people. */
  message: string;
}

export interface RunOptions {
  /** Called after each step (the CLI prints them). */
  onProgress?: (progress: Progress) => void;
}

export interface RunResult {
  run: ReconciliationRun;
  settlement: Settlement | null;
  /** Why this attempt failed; null when it produced a report. */
  failure: string | null;
}

/** Checks a `yyyy-MM-dd` China date that has begun (a bill for a future day cannot exist); returns its range. */
export function billDateRange(billDate: string, now: Date = new Date()): DayRange {
  const range = chinaDayRange(billDate);
  if (!range) {
    throw new AppError('VALIDATION_ERROR', `${JSON.stringify(billDate)} is not a date (yyyy-MM-dd)`, {
      details: { fields: [{ path: 'billDate', message: 'must be a date (yyyy-MM-dd)' }] },
    });
  }
  if (billDate > formatChinaDate(now)) {
    throw new AppError(
      'VALIDATION_ERROR',
      `${billDate} has not begun in China yet; there is no bill for it`,
      {
        details: { fields: [{ path: 'billDate', message: 'must not be in the future' }] },
      },
    );
  }
  return range;
}

function busy(billDate: string): AppError {
  return new AppError(
    'CONFLICT',
    `A reconciliation of ${billDate} is running; try again when it has finished`,
    {
      details: { billDate },
    },
  );
}

/** Claims the date; returns the run as it was before (null when there was none). */
async function claim(db: Db, billDate: string, claimedAt: Date): Promise<ReconciliationRun | null> {
  const existing = await db.reconciliationRun.findUnique({ where: { billDate } });
  if (!existing) {
    try {
      await db.reconciliationRun.create({ data: { billDate, status: 'RUNNING', startedAt: claimedAt } });
      return null;
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
        throw busy(billDate);
      throw error;
    }
  }
  if (existing.status === 'RUNNING' && claimedAt.getTime() - existing.startedAt.getTime() < RUN_LEASE_MS) {
    throw busy(billDate);
  }
  const { count } = await db.reconciliationRun.updateMany({
    where: { id: existing.id, status: existing.status, startedAt: existing.startedAt },
    data: { status: 'RUNNING', startedAt: claimedAt },
  });
  if (count !== 1) throw busy(billDate);
  return existing;
}

const ours = (billDate: string, claimedAt: Date) => ({
  billDate,
  status: 'RUNNING' as const,
  startedAt: claimedAt,
});

/** alipay.data.dataservice.bill.downloadurl.query, recorded as a GatewayCall (purpose `bill`, no order). */
async function billUrl(deps: ReconciliationDeps, billDate: string): Promise<string> {
  const outcome = await callGateway(
    deps.db,
    {
      orderId: null,
      method: 'alipay.data.dataservice.bill.downloadurl.query',
      purpose: 'bill',
      context: { billType: 'trade', billDate },
    },
    () => deps.alipay.billDownloadUrl({ billType: 'trade', billDate }),
    // The URL carries a download token: the record names the date, not the link.
    () => ({}),
  );
  if (!outcome.ok) throw outcome.error;
  return outcome.value.billDownloadUrl;
}

/** A failure as the merchant reads it; null for errors that are bugs (they are logged and thrown). */
function describeFailure(billDate: string, error: unknown): string | null {
  if (error instanceof AlipayApiError && error.subCode === 'isp.bill_not_exist') {
    return `Alipay has no bill for ${billDate} yet (isp.bill_not_exist); a day's bill is ready the next day`;
  }
  if (isAlipayError(error)) return `Alipay could not give the bill: ${error.message}`;
  if (error instanceof BillDownloadError || error instanceof BillFormatError) return error.message;
  return null;
}

interface Report {
  billSha256: string;
  billLineCount: number;
  lines: ReportLine[];
  figures: SettlementFigures;
  hash: string;
}

class BillRejected extends Error {
  override readonly name = 'BillRejected';
}

async function buildReport(
  deps: ReconciliationDeps,
  billDate: string,
  day: DayRange,
  progress: (step: ProgressStep, message: string) => void,
): Promise<Report> {
  const url = await billUrl(deps, billDate);
  progress('bill-url', 'Alipay gave the bill download URL');
  const zip = await downloadBill(url, { timeoutMs: deps.env.RECONCILE_DOWNLOAD_TIMEOUT_MS });
  const billSha256 = sha256Hex(zip);
  progress('download', `downloaded ${zip.byteLength} bytes (sha256 ${billSha256.slice(0, 12)}…)`);
  const archive = readBillArchive(zip);
  const figures = settle(archive.rows);
  const trades = archive.rows.filter((row) => row.type === 'trade').length;
  progress(
    'parse',
    `parsed ${archive.rows.length} rows (${trades} trades, ${archive.rows.length - trades} refunds)` +
      (archive.summary ? ', summary checked' : ', no summary file'),
  );
  if (archive.summary) {
    const disagreements = summaryDisagreements(archive.rows, figures, archive.summary);
    if (disagreements.length > 0) {
      throw new BillRejected(
        `the bill's summary disagrees with its detail rows: ${disagreements.join('; ')}`,
      );
    }
  }
  const ledger = await loadLedger(deps.db, archive.rows, day);
  progress('ledger', `loaded ${ledger.payments.length} payments and ${ledger.refunds.length} refunds`);
  const lines = matchBill(archive.rows, ledger, day);
  const counts = countLines(archive.rows.length, lines);
  progress(
    'match',
    `${lines.length} lines: ${counts.matchedCount} matched, ${counts.differenceCount} differences`,
  );
  const hash = reportHash(
    canonicalReport({ billDate, billLineCount: archive.rows.length, settlement: figures, lines }),
  );
  return { billSha256, billLineCount: archive.rows.length, lines, figures, hash };
}

const settlementData = (figures: SettlementFigures) => ({
  tradeCount: figures.tradeCount,
  refundCount: figures.refundCount,
  grossFen: BigInt(figures.grossFen),
  refundFen: BigInt(figures.refundFen),
  feeFen: BigInt(figures.feeFen),
  netFen: BigInt(figures.netFen),
});

/** Replaces the date's lines and settlement with the new report, in one transaction, if the claim is still ours. */
async function storeReport(
  db: Db,
  billDate: string,
  claimedAt: Date,
  report: Report,
): Promise<{ run: ReconciliationRun; settlement: Settlement }> {
  return inTransaction(db, async (tx) => {
    const run = await tx.reconciliationRun.findFirst({ where: ours(billDate, claimedAt) });
    if (!run) throw busy(billDate);
    const previous = await tx.reconciliationLine.findMany({
      where: { runId: run.id },
      orderBy: { seq: 'asc' },
    });
    const resolutions = carryResolutions(previous, report.lines);
    await tx.reconciliationLine.deleteMany({ where: { runId: run.id } });
    await tx.reconciliationLine.createMany({
      data: report.lines.map((line, i) => ({
        runId: run.id,
        seq: i + 1,
        ...line,
        ...(resolutions[i] ?? {}),
      })),
    });
    const counts = countLines(report.billLineCount, report.lines);
    const stored = await tx.reconciliationRun.update({
      where: { id: run.id },
      data: {
        status: counts.differenceCount > 0 ? 'DIFFERENCES' : 'CLEAN',
        ...counts,
        reportHash: report.hash,
        billSha256: report.billSha256,
        error: null,
        finishedAt: new Date(),
      },
    });
    if (counts.differenceCount > 0) {
      const event = {
        type: 'reconciliation.differences' as const,
        data: {
          runId: run.id,
          billDate,
          differenceCount: counts.differenceCount,
          matchedCount: counts.matchedCount,
          billLineCount: counts.billLineCount,
        },
      };
      await tx.outboxEvent.create({ data: outboxEventRow(newEventId(), event, new Date()) });
    }
    const data = settlementData(report.figures);
    const settlement = await tx.settlement.upsert({
      where: { billDate },
      create: { billDate, ...data },
      update: data,
    });
    return { run: stored, settlement };
  });
}

/** This attempt failed: keep the date's finished report when it has one, else record a FAILED run. */
async function storeFailure(
  db: Db,
  billDate: string,
  claimedAt: Date,
  previous: ReconciliationRun | null,
  failure: string,
): Promise<RunResult> {
  return inTransaction(db, async (tx) => {
    const run = await tx.reconciliationRun.findFirst({ where: ours(billDate, claimedAt) });
    if (!run) throw busy(billDate);
    if (previous && (previous.status === 'CLEAN' || previous.status === 'DIFFERENCES')) {
      const restored = await tx.reconciliationRun.update({
        where: { id: run.id },
        data: {
          status: previous.status,
          startedAt: previous.startedAt,
          finishedAt: previous.finishedAt,
          error: previous.error,
        },
      });
      return { run: restored, settlement: await tx.settlement.findUnique({ where: { billDate } }), failure };
    }
    // No finished report to keep: whatever a crashed earlier attempt left goes, so a FAILED run has no lines.
    await tx.reconciliationLine.deleteMany({ where: { runId: run.id } });
    await tx.settlement.deleteMany({ where: { billDate } });
    const failed = await tx.reconciliationRun.update({
      where: { id: run.id },
      data: {
        status: 'FAILED',
        billLineCount: 0,
        matchedCount: 0,
        differenceCount: 0,
        reportHash: '',
        billSha256: '',
        error: failure.slice(0, 2000),
        finishedAt: new Date(),
      },
    });
    return { run: failed, settlement: null, failure };
  });
}

/**
 * Reconciles `billDate` (China calendar, `yyyy-MM-dd`, not in the future). Throws 400 VALIDATION_ERROR for a bad
 * date and 409 CONFLICT while another run of the date is in progress; a bill that cannot be had is a FAILED result,
 * not an error.
 */
export async function runReconciliation(
  deps: ReconciliationDeps,
  billDate: string,
  options: RunOptions = {},
): Promise<RunResult> {
  const claimedAt = new Date();
  const day = billDateRange(billDate, claimedAt);
  const progress = (step: ProgressStep, message: string) => options.onProgress?.({ step, message });
  const previous = await claim(deps.db, billDate, claimedAt);
  progress('claim', previous ? `claimed ${billDate} (it was ${previous.status})` : `claimed ${billDate}`);

  let report: Report;
  try {
    report = await buildReport(deps, billDate, day, progress);
  } catch (error) {
    const failure = error instanceof BillRejected ? error.message : describeFailure(billDate, error);
    if (failure === null) {
      deps.logger.error({ err: error, billDate }, 'reconciliation failed unexpectedly');
    }
    const result = await storeFailure(
      deps.db,
      billDate,
      claimedAt,
      previous,
      failure ?? `internal error: ${error instanceof Error ? error.message : String(error)}`,
    );
    progress(
      'store',
      result.run.status === 'FAILED' ? 'recorded the run as FAILED' : 'kept the earlier report',
    );
    return result;
  }
  let stored: { run: ReconciliationRun; settlement: Settlement };
  try {
    stored = await storeReport(deps.db, billDate, claimedAt, report);
  } catch (error) {
    if (error instanceof AppError) throw error;
    // Release the claim rather than leave the date RUNNING until the lease runs out.
    deps.logger.error({ err: error, billDate }, 'the reconciliation report could not be stored');
    const message = error instanceof Error ? error.message : String(error);
    return storeFailure(deps.db, billDate, claimedAt, previous, `the report could not be stored: ${message}`);
  }
  progress('store', `stored the report (${stored.run.status}, hash ${report.hash.slice(0, 12)}…)`);
  return { ...stored, failure: null };
}
