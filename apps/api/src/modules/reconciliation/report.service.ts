import { chinaDayRange, formatChinaDate } from '@shop/alipay';
import {
  DIFFERENCE_KINDS,
  RECONCILIATION_KINDS,
  type ReconciliationDay,
  type ReconciliationDaysQuery,
  type ReconciliationDaysResponse,
  type ReconciliationKind,
  type ReconciliationReport,
  type ReconciliationReportQuery,
  type SettlementsQuery,
  type SettlementsResponse,
} from '@shop/contract';
import type { Prisma, ReconciliationRun } from '@shop/db';
import type { Db } from '../../db';
import { AppError, notFound } from '../../errors';
import { lineView, runView, settlementView } from './views';

/** What the admin reads: the days and their status, one report with its lines, settlements. Read-only. */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The China date `days` days before `date` (China has no daylight saving: a day is always 24 hours). */
export function shiftDate(date: string, days: number): string {
  const range = chinaDayRange(date);
  if (!range) throw new AppError('VALIDATION_ERROR', `${JSON.stringify(date)} is not a date`);
  return formatChinaDate(new Date(range.start.getTime() + days * DAY_MS));
}

export function yesterday(now: Date = new Date()): string {
  return formatChinaDate(new Date(now.getTime() - DAY_MS));
}

const differenceWhere: Prisma.ReconciliationLineWhereInput = {
  kind: { in: [...DIFFERENCE_KINDS] },
  resolvedAt: null,
};

async function unresolvedCounts(db: Db, runs: readonly ReconciliationRun[]): Promise<Map<string, number>> {
  if (runs.length === 0) return new Map();
  const groups = await db.reconciliationLine.groupBy({
    by: ['runId'],
    where: { runId: { in: runs.map((run) => run.id) }, ...differenceWhere },
    _count: { _all: true },
  });
  return new Map(groups.map((group) => [group.runId, group._count._all]));
}

/**
 * The `days` China dates ending at `to`, newest first, each with its run and settlement. `to` defaults to yesterday
 * (the newest bill Alipay serves), or today when today was reconciled early (a sandbox serving same-day bills).
 */
export async function listDays(
  db: Db,
  query: ReconciliationDaysQuery,
  now: Date = new Date(),
): Promise<ReconciliationDaysResponse> {
  const today = formatChinaDate(now);
  const ranToday = (await db.reconciliationRun.count({ where: { billDate: today } })) > 0;
  const to = query.to ?? (ranToday ? today : yesterday(now));
  const dates = Array.from({ length: query.days }, (_, i) => shiftDate(to, -i));
  const [runs, settlements] = await Promise.all([
    db.reconciliationRun.findMany({ where: { billDate: { in: dates } } }),
    db.settlement.findMany({ where: { billDate: { in: dates } } }),
  ]);
  const unresolved = await unresolvedCounts(db, runs);
  const runByDate = new Map(runs.map((run) => [run.billDate, run]));
  const settlementByDate = new Map(settlements.map((s) => [s.billDate, s]));
  const items = dates.map((billDate): ReconciliationDay => {
    const run = runByDate.get(billDate);
    const settlement = settlementByDate.get(billDate);
    return {
      billDate,
      status: run ? run.status : 'NOT_RUN',
      run: run ? runView(run, unresolved.get(run.id) ?? 0) : null,
      settlement: settlement ? settlementView(settlement) : null,
    };
  });
  return { items };
}

function lineFilter(runId: string, query: ReconciliationReportQuery): Prisma.ReconciliationLineWhereInput {
  return {
    runId,
    ...(query.kind === 'DIFFERENCES'
      ? { kind: { in: [...DIFFERENCE_KINDS] } }
      : query.kind
        ? { kind: query.kind }
        : {}),
    ...(query.resolved === undefined ? {} : { resolvedAt: query.resolved ? { not: null } : null }),
  };
}

/** One date's report: the run, its settlement, counts per kind and one page of lines (in report order). */
export async function getReport(
  db: Db,
  billDate: string,
  query: ReconciliationReportQuery,
): Promise<ReconciliationReport> {
  const run = await db.reconciliationRun.findUnique({ where: { billDate } });
  if (!run) throw notFound(`Reconciliation of ${billDate}`);
  const where = lineFilter(run.id, query);
  const [total, lines, groups, unresolved, settlement] = await Promise.all([
    db.reconciliationLine.count({ where }),
    db.reconciliationLine.findMany({
      where,
      orderBy: { seq: 'asc' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    db.reconciliationLine.groupBy({ by: ['kind'], where: { runId: run.id }, _count: { _all: true } }),
    db.reconciliationLine.count({ where: { runId: run.id, ...differenceWhere } }),
    db.settlement.findUnique({ where: { billDate } }),
  ]);
  const kindCounts = Object.fromEntries(RECONCILIATION_KINDS.map((kind) => [kind, 0])) as Record<
    ReconciliationKind,
    number
  >;
  for (const group of groups) {
    if (group.kind in kindCounts) kindCounts[group.kind as ReconciliationKind] = group._count._all;
  }
  return {
    run: runView(run, unresolved),
    settlement: settlement ? settlementView(settlement) : null,
    kindCounts,
    lines: { items: lines.map(lineView), total, page: query.page, pageSize: query.pageSize },
  };
}

const MAX_SETTLEMENT_SPAN_DAYS = 366;

/** Stored settlements from `from` to `to` (default: the 30 days ending yesterday), newest first, with totals. */
export async function listSettlements(
  db: Db,
  query: SettlementsQuery,
  now: Date = new Date(),
): Promise<SettlementsResponse> {
  const to = query.to ?? yesterday(now);
  const from = query.from ?? shiftDate(to, -29);
  if (from > to) {
    throw new AppError('VALIDATION_ERROR', '`from` must not be after `to`', {
      details: { fields: [{ path: 'query.from', message: 'must not be after to' }] },
    });
  }
  if (shiftDate(from, MAX_SETTLEMENT_SPAN_DAYS - 1) < to) {
    throw new AppError('VALIDATION_ERROR', `at most ${MAX_SETTLEMENT_SPAN_DAYS} days at once`, {
      details: {
        fields: [{ path: 'query.from', message: `at most ${MAX_SETTLEMENT_SPAN_DAYS} days before to` }],
      },
    });
  }
  // yyyy-MM-dd strings order like the dates they name.
  const rows = await db.settlement.findMany({
    where: { billDate: { gte: from, lte: to } },
    orderBy: { billDate: 'desc' },
  });
  const items = rows.map(settlementView);
  const totals = items.reduce(
    (sum, s) => ({
      tradeCount: sum.tradeCount + s.tradeCount,
      refundCount: sum.refundCount + s.refundCount,
      grossFen: sum.grossFen + s.grossFen,
      refundFen: sum.refundFen + s.refundFen,
      feeFen: sum.feeFen + s.feeFen,
      netFen: sum.netFen + s.netFen,
    }),
    { tradeCount: 0, refundCount: 0, grossFen: 0, refundFen: 0, feeFen: 0, netFen: 0 },
  );
  return { from, to, items, totals };
}
