import { formatChinaDate } from '@shop/alipay';
import type { OrderView } from '@shop/contract';
import { expect } from 'vitest';
import type { TestSystem } from '../../testing/harness';
import { requestRefund } from '../payment/refund.service';
import { eventually, openTrade, payAtSandbox, waitForStatus, type Shopper } from '../payment/test-support';
import { runReconciliation, type RunResult } from './run.service';

/**
 * Helpers for the reconciliation integration tests: orders placed and paid the way a shopper does (API + sandbox),
 * refunds through the payment service, and the report as rows read back from the database.
 */

export interface PaidOrder {
  order: OrderView;
  tradeNo: string;
}

/** An order paid at the sandbox whose notify the shop has applied. */
export async function paidOrder(sys: TestSystem, shopper: Shopper, priceFen: number): Promise<PaidOrder> {
  const { order, tradeNo } = await openTrade(sys, shopper, { priceFen });
  expect((await payAtSandbox(sys, tradeNo)).resultCode).toBe('9000');
  await waitForStatus(sys, order.id, 'PAID');
  return { order, tradeNo };
}

/** A merchant refund that Alipay confirmed. */
export async function refunded(sys: TestSystem, orderId: string, amountFen: number): Promise<string> {
  const refund = await requestRefund(sys.api.deps, {
    orderId,
    amountFen,
    reason: '尺码不合',
    actor: { type: 'admin', id: 'admin-test' },
  });
  expect(refund.status).toBe('SUCCEEDED');
  return refund.outRequestNo;
}

/**
 * An order the shopper cancelled whose closed trade is paid anyway (Alipay's paid-after-close race): the shop
 * refunds it automatically. Returns once the automatic refund has succeeded.
 */
export async function paidAfterClose(
  sys: TestSystem,
  shopper: Shopper,
  priceFen: number,
): Promise<PaidOrder> {
  const { order, tradeNo } = await openTrade(sys, shopper, { priceFen });
  const cancel = await sys.request('POST', `/api/orders/${order.id}/cancel`, {
    token: shopper.token,
    body: {},
  });
  expect(cancel.status, cancel.text).toBe(200);
  expect((await payAtSandbox(sys, tradeNo, { force: true })).resultCode).toBe('9000');
  await eventually('the automatic refund to succeed', async () => {
    const refund = await sys.db.refund.findFirst({
      where: { orderId: order.id, kind: 'AUTO_PAID_AFTER_CLOSE' },
    });
    return refund?.status === 'SUCCEEDED' ? true : undefined;
  });
  return { order, tradeNo };
}

/** Today's China date: the bill the sandbox serves with same-day bills on. */
export function today(): string {
  return formatChinaDate(new Date());
}

export async function reconcile(sys: TestSystem, billDate: string): Promise<RunResult> {
  return runReconciliation(sys.api.deps, billDate);
}

/** The stored lines of a date's run, in report order. */
export async function linesOf(sys: TestSystem, billDate: string) {
  const run = await sys.db.reconciliationRun.findUniqueOrThrow({ where: { billDate } });
  return sys.db.reconciliationLine.findMany({ where: { runId: run.id }, orderBy: { seq: 'asc' } });
}

/** `kind` of each line, keyed by what it is about (`trade <out_trade_no>` / `refund <out_request_no>`). */
export async function kindsByKey(sys: TestSystem, billDate: string): Promise<Record<string, string>> {
  const lines = await linesOf(sys, billDate);
  return Object.fromEntries(
    lines.map((line) => [
      line.lineType === 'trade' ? `trade ${line.outTradeNo}` : `refund ${line.outRequestNo}`,
      line.kind,
    ]),
  );
}
