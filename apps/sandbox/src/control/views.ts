import type { ReceivedMessage } from '../messages/messages.service';
import type { BillAdjustment } from '../store/bills.repo';
import type {
  Buyer,
  LedgerEntry,
  NotifyAttempt,
  NotifyRecord,
  PendingOrder,
  Refund,
  RemainingAgreements,
  Trade,
  TradeEvent,
} from '../store/types';

/** JSON shapes of the control API: camelCase, money in integer fen (`*Fen`), instants as UTC ISO strings. */

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

export function buyerView(buyer: Buyer) {
  return {
    userId: buyer.userId,
    openId: buyer.openId,
    nickname: buyer.nickname,
    logonId: buyer.logonId,
    balanceFen: buyer.balanceFen,
    createdAt: iso(buyer.createdAt),
  };
}

export function refundView(refund: Refund) {
  return {
    outRequestNo: refund.outRequestNo,
    amountFen: refund.amountFen,
    reason: refund.reason,
    source: refund.source,
    createdAt: iso(refund.createdAt),
  };
}

export function tradeView(trade: Trade) {
  return {
    tradeNo: trade.tradeNo,
    appId: trade.appId,
    outTradeNo: trade.outTradeNo,
    status: trade.status,
    subject: trade.subject,
    body: trade.body,
    totalFen: trade.totalFen,
    refundedFen: trade.refundedFen,
    buyerUserId: trade.buyerUserId,
    buyerByOpenId: trade.buyerByOpenId,
    method: trade.method,
    productCode: trade.productCode,
    notifyUrl: trade.notifyUrl,
    charset: trade.charset,
    timeExpire: trade.timeExpire,
    timeoutExpress: trade.timeoutExpress,
    createdAt: iso(trade.createdAt),
    expiresAt: iso(trade.expiresAt),
    paidAt: iso(trade.paidAt),
    closedAt: iso(trade.closedAt),
    closeReason: trade.closeReason,
  };
}

export function tradeDetailView(trade: Trade, refunds: readonly Refund[], events: readonly TradeEvent[]) {
  return {
    ...tradeView(trade),
    refunds: refunds.map(refundView),
    events: events.map((event) => ({
      kind: event.kind,
      detail: event.detail,
      createdAt: iso(event.createdAt),
    })),
  };
}

export function attemptView(attempt: NotifyAttempt) {
  return {
    attemptNo: attempt.attemptNo,
    copyNo: attempt.copyNo,
    startedAt: iso(attempt.startedAt),
    durationMs: attempt.durationMs,
    httpStatus: attempt.httpStatus,
    responseBody: attempt.responseBody,
    error: attempt.error,
    outcome: attempt.outcome,
    faults: attempt.faults,
    sentBody: attempt.sentBody,
  };
}

export function notifyView(notify: NotifyRecord, attempts: readonly NotifyAttempt[]) {
  return {
    notifyId: notify.notifyId,
    kind: notify.kind,
    tradeNo: notify.tradeNo,
    outTradeNo: notify.outTradeNo,
    notifyUrl: notify.notifyUrl,
    status: notify.status,
    attemptCount: notify.attempts,
    nextAttemptAt: notify.status === 'pending' ? iso(notify.nextAttemptAt) : null,
    createdAt: iso(notify.createdAt),
    finishedAt: iso(notify.finishedAt),
    fields: notify.fields,
    attempts: attempts.map(attemptView),
  };
}

export function ledgerView(entry: LedgerEntry) {
  return {
    id: entry.id,
    kind: entry.kind,
    appId: entry.appId,
    tradeNo: entry.tradeNo,
    outTradeNo: entry.outTradeNo,
    outRequestNo: entry.outRequestNo,
    buyerUserId: entry.buyerUserId,
    amountFen: entry.amountFen,
    buyerBalanceAfterFen: entry.buyerBalanceAfterFen,
    createdAt: iso(entry.createdAt),
  };
}

export function adjustmentView(adjustment: BillAdjustment) {
  return {
    id: adjustment.id,
    tradeNo: adjustment.tradeNo,
    outRequestNo: adjustment.outRequestNo,
    field: adjustment.field,
    amountFen: adjustment.amountFen,
    omit: adjustment.omit,
    createdAt: iso(adjustment.createdAt),
  };
}

export function pendingOrderView(order: PendingOrder) {
  return {
    id: order.id,
    kind: order.kind,
    appId: order.appId,
    outTradeNo: order.outTradeNo,
    subject: order.subject,
    totalFen: order.totalFen,
    productCode: order.productCode,
    status: order.status,
    tradeNo: order.tradeNo,
    qrCode: order.qrCode,
    returnUrl: order.returnUrl,
    quitUrl: order.quitUrl,
    notifyUrl: order.notifyUrl,
    createdAt: iso(order.createdAt),
    expiresAt: iso(order.expiresAt),
    closedAt: iso(order.closedAt),
  };
}

export function subscriptionsView(appId: string, buyerId: string, remaining: readonly RemainingAgreements[]) {
  return {
    appId,
    buyerId,
    subscriptions: remaining.map(({ template, remaining: count }) => ({
      templateId: template.templateId,
      kind: template.kind,
      title: template.title,
      remaining: count,
    })),
  };
}

export function messageView({ message, template }: ReceivedMessage) {
  return {
    id: message.id,
    appId: message.appId,
    templateId: message.templateId,
    kind: template.kind,
    title: template.title,
    page: message.page,
    data: message.data,
    receivedAt: iso(message.createdAt),
  };
}
