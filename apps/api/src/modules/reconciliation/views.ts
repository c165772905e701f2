import type {
  ReconciliationKind,
  ReconciliationLineType,
  ReconciliationLineView,
  ReconciliationRunView,
  SettlementView,
} from '@shop/contract';
import type { ReconciliationLine, ReconciliationRun, Settlement } from '@shop/db';

/** Rows as the contract shows them: ISO strings for instants, numbers for the BigInt settlement columns. */

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** Settlement sums are BigInt in the database; the API speaks numbers, which hold any real day exactly. */
export function fenNumber(value: bigint): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`${value} fen is beyond the safe integer range`);
  return number;
}

export function runView(run: ReconciliationRun, unresolvedCount: number): ReconciliationRunView {
  return {
    id: run.id,
    billDate: run.billDate,
    status: run.status,
    billLineCount: run.billLineCount,
    matchedCount: run.matchedCount,
    differenceCount: run.differenceCount,
    unresolvedCount,
    reportHash: run.reportHash,
    billSha256: run.billSha256,
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    finishedAt: iso(run.finishedAt),
  };
}

export function lineView(line: ReconciliationLine): ReconciliationLineView {
  return {
    id: line.id,
    seq: line.seq,
    kind: line.kind as ReconciliationKind,
    lineType: line.lineType as ReconciliationLineType,
    tradeNo: line.tradeNo,
    outTradeNo: line.outTradeNo,
    outRequestNo: line.outRequestNo,
    billAmountFen: line.billAmountFen,
    ledgerAmountFen: line.ledgerAmountFen,
    detail: line.detail,
    resolvedAt: iso(line.resolvedAt),
    resolvedById: line.resolvedById,
    resolutionNote: line.resolutionNote,
  };
}

export function settlementView(settlement: Settlement): SettlementView {
  return {
    billDate: settlement.billDate,
    tradeCount: settlement.tradeCount,
    refundCount: settlement.refundCount,
    grossFen: fenNumber(settlement.grossFen),
    refundFen: fenNumber(settlement.refundFen),
    feeFen: fenNumber(settlement.feeFen),
    netFen: fenNumber(settlement.netFen),
    updatedAt: settlement.updatedAt.toISOString(),
  };
}
