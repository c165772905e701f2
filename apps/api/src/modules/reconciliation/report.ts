import { isDifferenceKind, type SettlementFigures } from '@shop/contract';
import { sha256Hex, type BillRow, type BillSummary } from './bill';
import type { ReportLine } from './match';

/**
 * The report as data: settlement figures from the bill, counts, the canonical serialisation whose SHA-256 is the
 * run's `reportHash`, and the stable keys that carry resolution notes from one run of a date to the next. Pure.
 */

function safe(fen: number, what: string): number {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${what} left the safe integer range`);
  return fen;
}

/** What the merchant is owed for the day, from the bill's own figures: the 服务费 column's total, negated, is the fee. */
export function settle(rows: readonly BillRow[]): SettlementFigures {
  let tradeCount = 0;
  let refundCount = 0;
  let grossFen = 0;
  let refundFen = 0;
  let feeColumnFen = 0;
  for (const row of rows) {
    if (row.type === 'trade') {
      tradeCount++;
      grossFen += row.receiptFen;
    } else {
      refundCount++;
      refundFen -= row.receiptFen;
    }
    feeColumnFen += row.feeFen;
  }
  const feeFen = feeColumnFen === 0 ? 0 : -feeColumnFen;
  return {
    tradeCount,
    refundCount,
    grossFen: safe(grossFen, 'gross'),
    refundFen: safe(refundFen, 'refunds'),
    feeFen: safe(feeFen, 'fees'),
    netFen: safe(grossFen - refundFen - feeFen, 'net'),
  };
}

/**
 * Where the bill's summary file disagrees with the sums of its own detail rows (a truncated or altered bill); empty
 * when they agree.
 */
export function summaryDisagreements(
  rows: readonly BillRow[],
  figures: SettlementFigures,
  summary: BillSummary,
): string[] {
  const orderFen = rows.reduce((sum, row) => sum + row.orderFen, 0);
  const fen = (value: number) => `${value} fen`;
  const count = (value: number) => String(value);
  const checks: Array<[string, number, number, (value: number) => string]> = [
    ['交易订单总笔数', summary.tradeCount, figures.tradeCount, count],
    ['退款订单总笔数', summary.refundCount, figures.refundCount, count],
    ['订单金额（元）', summary.orderFen, orderFen, fen],
    ['商家实收（元）', summary.receiptFen, figures.grossFen - figures.refundFen, fen],
    ['服务费（元）', summary.feeFen, -figures.feeFen, fen],
    ['实收净额（元）', summary.netFen, figures.netFen, fen],
  ];
  return checks
    .filter(([, stated, summed]) => stated !== summed)
    .map(
      ([name, stated, summed, unit]) =>
        `${name}: the summary says ${unit(stated)}, the detail rows add up to ${unit(summed)}`,
    );
}

export interface ReportCounts {
  billLineCount: number;
  matchedCount: number;
  differenceCount: number;
}

export function countLines(billLineCount: number, lines: readonly ReportLine[]): ReportCounts {
  return {
    billLineCount,
    matchedCount: lines.filter((line) => line.kind === 'MATCHED').length,
    differenceCount: lines.filter((line) => isDifferenceKind(line.kind)).length,
  };
}

/**
 * The canonical report: a fixed-order JSON of the date, the bill's row count, the settlement and every line in the
 * canonical order, without ids, timestamps, resolution notes or the bill's file hash (Alipay stamps its export time
 * into the file, so the same rows come in different bytes). The same bill rows and ledger give the same text.
 */
export function canonicalReport(input: {
  billDate: string;
  billLineCount: number;
  settlement: SettlementFigures;
  lines: readonly ReportLine[];
}): string {
  const s = input.settlement;
  return JSON.stringify({
    version: 1,
    billDate: input.billDate,
    billLineCount: input.billLineCount,
    settlement: [s.tradeCount, s.refundCount, s.grossFen, s.refundFen, s.feeFen, s.netFen],
    lines: input.lines.map((line) => [
      line.kind,
      line.lineType,
      line.tradeNo,
      line.outTradeNo,
      line.outRequestNo,
      line.billAmountFen,
      line.ledgerAmountFen,
      line.detail,
    ]),
  });
}

export function reportHash(canonical: string): string {
  return sha256Hex(canonical);
}

/** What identifies a line (stored lines carry `kind` and `lineType` as plain strings). */
interface KeyedLine {
  kind: string;
  lineType: string;
  tradeNo: string | null;
  outTradeNo: string | null;
  outRequestNo: string | null;
}

/**
 * A line's identity across runs of the same date: the same difference about the same trade or refund. The n-th
 * line with the same identity gets `#n`, so duplicates keep their own notes.
 */
export function lineKeys(lines: readonly KeyedLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const base = [
      line.kind,
      line.lineType,
      line.tradeNo ?? '',
      line.outTradeNo ?? '',
      line.outRequestNo ?? '',
    ].join('|');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return `${base}#${n}`;
  });
}

export interface Resolution {
  resolvedAt: Date | null;
  resolvedById: string | null;
  resolutionNote: string | null;
}

/** The resolutions of the previous run's lines, for the new lines with the same key (null for the others). */
export function carryResolutions(
  previous: ReadonlyArray<KeyedLine & Resolution>,
  next: readonly KeyedLine[],
): Array<Resolution | null> {
  const keys = lineKeys(previous);
  const byKey = new Map<string, Resolution>();
  previous.forEach((line, i) => {
    if (line.resolvedAt) {
      byKey.set(keys[i] as string, {
        resolvedAt: line.resolvedAt,
        resolvedById: line.resolvedById,
        resolutionNote: line.resolutionNote,
      });
    }
  });
  return lineKeys(next).map((key) => byKey.get(key) ?? null);
}
