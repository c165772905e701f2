import {
  DIFFERENCE_KINDS,
  type ReconciliationLineView,
  type ReconciliationRequeryResult,
  type ReconciliationRunResult,
  type ReconciliationTradeState,
} from '@shop/contract';
import type { TradeQueryResult } from '@shop/alipay';
import { inTransaction, type Tx } from '../../db';
import { AppError, notFound } from '../../errors';
import type { AdminActor, Auditor } from '../admin/audit/service';
import { callGateway, type GatewayOutcome } from '../payment/gateway-log';
import { resolveRefund } from '../payment/refund.service';
import { applyTradeState, queryTrade } from '../payment/trade-sync';
import { runReconciliation, type ReconciliationDeps, type RunResult } from './run.service';
import { lineView, runView, settlementView } from './views';

/**
 * What an admin does to a report: reconcile a date (again), ask Alipay about a line's trade and let the payment
 * services apply what it proves, mark a line resolved with a note. Each writes an audit log row.
 */

async function unresolvedOf(tx: Pick<Tx, 'reconciliationLine'>, runId: string): Promise<number> {
  return tx.reconciliationLine.count({
    where: {
      runId,
      kind: { in: [...DIFFERENCE_KINDS] },
      resolvedAt: null,
    },
  });
}

export async function runResultView(
  deps: Pick<ReconciliationDeps, 'db'>,
  result: RunResult,
): Promise<ReconciliationRunResult> {
  return {
    run: runView(result.run, await unresolvedOf(deps.db, result.run.id)),
    settlement: result.settlement ? settlementView(result.settlement) : null,
    failure: result.failure,
  };
}

/** Reconciles a date now (owner), and records who asked and what came of it. */
export async function runForAdmin(
  deps: ReconciliationDeps,
  audit: Auditor,
  actor: AdminActor,
  billDate: string,
): Promise<ReconciliationRunResult> {
  const result = await runReconciliation(deps, billDate);
  await inTransaction(deps.db, (tx) =>
    audit(tx, actor, {
      action: 'reconciliation.run',
      targetType: 'ReconciliationRun',
      targetId: result.run.id,
      after: {
        billDate,
        status: result.run.status,
        reportHash: result.run.reportHash,
        failure: result.failure,
      },
    }),
  );
  return runResultView(deps, result);
}

/** Marks a difference resolved with a note (owner); the audit log keeps the note before and after. */
export async function resolveLine(
  deps: Pick<ReconciliationDeps, 'db'>,
  audit: Auditor,
  actor: AdminActor,
  lineId: string,
  note: string,
): Promise<ReconciliationLineView> {
  return inTransaction(deps.db, async (tx) => {
    const line = await tx.reconciliationLine.findUnique({
      where: { id: lineId },
      include: { run: { select: { billDate: true } } },
    });
    if (!line) throw notFound('Reconciliation line');
    if (line.kind === 'MATCHED') {
      throw new AppError('CONFLICT', 'A matched line has nothing to resolve', {
        details: { kind: line.kind },
      });
    }
    const resolution = (value: {
      resolvedAt: Date | null;
      resolvedById: string | null;
      resolutionNote: string | null;
    }) => ({
      billDate: line.run.billDate,
      kind: line.kind,
      resolvedAt: value.resolvedAt?.toISOString() ?? null,
      resolvedById: value.resolvedById,
      resolutionNote: value.resolutionNote,
    });
    const updated = await tx.reconciliationLine.update({
      where: { id: line.id },
      data: { resolvedAt: new Date(), resolvedById: actor.id, resolutionNote: note },
    });
    await audit(tx, actor, {
      action: 'reconciliation.line.resolve',
      targetType: 'ReconciliationLine',
      targetId: line.id,
      before: resolution(line),
      after: resolution(updated),
    });
    return lineView(updated);
  });
}

function tradeState(outcome: GatewayOutcome<TradeQueryResult>): ReconciliationTradeState {
  if (outcome.ok) {
    const trade = outcome.value;
    return {
      ok: true,
      tradeNo: trade.tradeNo,
      outTradeNo: trade.outTradeNo,
      tradeStatus: trade.tradeStatus,
      totalFen: trade.totalFen,
      errorCode: null,
      errorMessage: null,
    };
  }
  const error = outcome.error as { subCode?: string; code?: string; message: string };
  return {
    ok: false,
    tradeNo: null,
    outTradeNo: null,
    tradeStatus: null,
    totalFen: null,
    errorCode: error.subCode ?? error.code ?? outcome.error.name,
    errorMessage: outcome.error.message,
  };
}

/** TradeSync results that changed the ledger, so the date's report is out of date. */
const LEDGER_CHANGES = new Set(['paid', 'auto-refund', 'closed']);

/**
 * Asks Alipay about a line's trade (alipay.trade.query, recorded as a GatewayCall) and applies the answer through
 * the payment module's `applyTradeState`, exactly as the recovery job would: a payment the ledger missed becomes
 * PAID (or, for a closed order, is refunded automatically). For a refund line whose refund is not SUCCEEDED with
 * us, the refund is resolved with alipay.trade.fastpay.refund.query (`resolveRefund`). When the ledger changed, the
 * date is reconciled again and the new run is returned.
 */
export async function requeryLine(
  deps: ReconciliationDeps,
  audit: Auditor,
  actor: AdminActor,
  lineId: string,
): Promise<ReconciliationRequeryResult> {
  const line = await deps.db.reconciliationLine.findUnique({
    where: { id: lineId },
    include: { run: { select: { billDate: true } } },
  });
  if (!line) throw notFound('Reconciliation line');
  const refs = [
    ...(line.tradeNo ? [{ tradeNo: line.tradeNo }] : []),
    ...(line.outTradeNo ? [{ outTradeNo: line.outTradeNo }] : []),
  ];
  if (refs.length === 0) throw new AppError('CONFLICT', 'This line names no trade to ask Alipay about');
  const payment = await deps.db.payment.findFirst({ where: { OR: refs } });

  let outcome: GatewayOutcome<TradeQueryResult>;
  let applied = 'none';
  if (payment) {
    outcome = await queryTrade(deps, payment);
    if (outcome.ok) applied = await applyTradeState(deps, payment, outcome.value, 'query');
  } else {
    // A trade under an order number we have no payment for: ask, record, apply nothing.
    const order = line.outTradeNo
      ? await deps.db.order.findUnique({ where: { orderNo: line.outTradeNo }, select: { id: true } })
      : null;
    const ref = line.tradeNo ? { tradeNo: line.tradeNo } : { outTradeNo: line.outTradeNo as string };
    outcome = await callGateway(
      deps.db,
      { orderId: order?.id ?? null, method: 'alipay.trade.query', purpose: 'query' },
      () => deps.alipay.tradeQuery(ref),
      (trade) => ({ tradeNo: trade.tradeNo, tradeStatus: trade.tradeStatus, totalFen: trade.totalFen }),
    );
  }

  let refund: string | null = null;
  if (line.lineType === 'refund' && line.outRequestNo) {
    const ours = await deps.db.refund.findUnique({
      where: { outRequestNo: line.outRequestNo },
      include: { payment: true },
    });
    if (ours && ours.status !== 'SUCCEEDED') refund = await resolveRefund(deps, ours, ours.payment);
  }

  let rerun: ReconciliationRunResult | null = null;
  if (LEDGER_CHANGES.has(applied) || refund === 'succeeded') {
    try {
      rerun = await runResultView(deps, await runReconciliation(deps, line.run.billDate));
    } catch (error) {
      // Someone is reconciling the date right now; that run sees the changed ledger.
      if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
    }
  }
  const trade = tradeState(outcome);
  await inTransaction(deps.db, (tx) =>
    audit(tx, actor, {
      action: 'reconciliation.line.requery',
      targetType: 'ReconciliationLine',
      targetId: line.id,
      before: { billDate: line.run.billDate, kind: line.kind },
      after: {
        tradeStatus: trade.tradeStatus,
        applied,
        refund,
        rerun: rerun?.run.status ?? null,
      },
    }),
  );
  return { trade, applied, refund, rerun };
}
