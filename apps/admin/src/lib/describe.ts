import {
  formatFen,
  type AdminOrderEvent,
  type GatewayCallView,
  type NotifyView,
  type ReconciliationLineView,
  type RefundView,
} from '@shop/contract';

import { paymentMethodText } from './labels';

/**
 * The admin's words for what the API records in its own terms: order events, notify outcomes, gateway errors,
 * refund failures and reconciliation findings. The API's free text (`reason`, `outcomeDetail`, `errorMessage`,
 * `failureMessage`, `detail`) is developer English for logs and is never shown; these read the codes and facts
 * beside it. What a person typed (a refund's reason, a resolution note) is shown as typed.
 */

/** How a payment or a refund was proven (`data.source`, `paidVia`). */
export const PROOF_LABELS: Record<string, string> = {
  notify: '异步通知',
  query: '主动查询',
  close: '关单时查询',
};

/** Alipay's business error codes the shop meets (https://opendocs.alipay.com/common/02km9f). */
export const ALIPAY_CODE_LABELS: Record<string, string> = {
  'ACQ.TRADE_NOT_EXIST': '交易不存在',
  'ACQ.TRADE_HAS_SUCCESS': '交易已支付',
  'ACQ.TRADE_HAS_CLOSE': '交易已关闭',
  'ACQ.TRADE_HAS_FINISHED': '交易已完结',
  'ACQ.TRADE_STATUS_ERROR': '交易状态不允许此操作',
  'ACQ.SYSTEM_ERROR': '支付宝系统繁忙',
  'ACQ.INVALID_PARAMETER': '参数无效',
  'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL': '退款金额超过可退金额',
  'ACQ.SELLER_BALANCE_NOT_ENOUGH': '商户余额不足',
  'ACQ.REASON_TRADE_BEEN_FREEZEN': '交易已冻结',
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': '买家余额不足',
  'ACQ.CONTEXT_INCONSISTENT': '交易信息与原请求不一致',
  'isp.unknow-error': '支付宝系统繁忙',
  'isp.bill_not_exist': '该日账单尚未生成',
  'isv.invalid-signature': '验签出错',
  'isv.invalid-app-id': 'app_id 无效',
  'isv.missing-signature': '缺少签名',
  timeout: '请求超时',
  connection: '连接失败',
  internal: '本店内部错误',
};

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function money(value: unknown): string | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? formatFen(value) : null;
}

/** "交易不存在（ACQ.TRADE_NOT_EXIST）", or the code alone when it has no name here. */
export function alipayCodeText(code: string | null): string | null {
  if (code === null || code === '') return null;
  const label = ALIPAY_CODE_LABELS[code];
  return label === undefined ? code : `${label}（${code}）`;
}

/** A gateway call's failure: the most specific code Alipay (or the shop) gave, named when we know it. */
export function gatewayErrorText(call: Pick<GatewayCallView, 'errorCode' | 'errorSubCode'>): string | null {
  return alipayCodeText(call.errorSubCode ?? call.errorCode);
}

/** A refund Alipay refused: its code, named. */
export function refundFailureText(refund: Pick<RefundView, 'failureCode' | 'status'>): string | null {
  if (refund.failureCode === null) return refund.status === 'FAILED' ? '支付宝拒绝了退款' : null;
  return `支付宝拒绝了退款：${alipayCodeText(refund.failureCode) ?? ''}`;
}

/** What an order event adds to its type's label and status change, from its data; null when nothing. */
export function eventDetail(
  event: Pick<AdminOrderEvent, 'type' | 'actorType' | 'reason' | 'data'>,
): string | null {
  const data = event.data;
  switch (event.type) {
    case 'PAID': {
      const via = text(data.source);
      return via === null ? null : `由${PROOF_LABELS[via] ?? '支付宝'}确认`;
    }
    case 'PAID_AFTER_CLOSE': {
      const amount = money(data.amountFen);
      return `订单关闭后收到付款${amount === null ? '' : ` ${amount}`}，已自动退回`;
    }
    case 'REFUND_REQUESTED': {
      const amount = money(data.amountFen);
      // A merchant's refund carries the reason they typed; the system's automatic refund carries its own words.
      const why = event.actorType === 'admin' && event.reason !== '' ? `，原因：${event.reason}` : '';
      return `${amount === null ? '退款' : `退款 ${amount}`}${why}`;
    }
    case 'REFUND_OUTCOME_UNKNOWN':
      return '支付宝未及时应答，系统会查询结果，必要时重新发起';
    case 'REFUND_SUCCEEDED': {
      const amount = money(data.amountFen);
      const via = text(data.source);
      return `${amount === null ? '退款' : `退款 ${amount} `}已到账${via === null ? '' : `，由${PROOF_LABELS[via] ?? '支付宝'}确认`}`;
    }
    case 'REFUND_FAILED': {
      const code = alipayCodeText(text(data.code));
      return code === null ? '支付宝拒绝了退款' : `支付宝拒绝了退款：${code}`;
    }
    case 'REFUNDED':
      return '订单金额已全部退回';
    case 'SHIPPED': {
      const carrier = text(data.carrier);
      const trackingNo = text(data.trackingNo);
      return carrier === null ? null : `${carrier}${trackingNo === null ? '' : ` ${trackingNo}`}`;
    }
    case 'CANCELLED':
      return '买家取消了订单';
    case 'CLOSED':
      return event.reason === 'expired'
        ? '超时未支付，自动关闭'
        : event.reason === 'trade-closed'
          ? '支付宝交易已关闭'
          : null;
    case 'PAYMENT_STARTED':
    case 'PAYMENT_OPENED': {
      const outTradeNo = text(data.outTradeNo);
      const method = text(data.method);
      const productCode = text(data.productCode);
      const parts = [
        outTradeNo === null ? null : `商户订单号 ${outTradeNo}`,
        method === null || productCode === null ? null : paymentMethodText(method, productCode),
        text(data.replaces) === null ? null : `（替换 ${text(data.replaces)}）`,
      ].filter((part): part is string => part !== null);
      return parts.length === 0 ? null : parts.join('，');
    }
    default:
      return null;
  }
}

/** Why an order closed (`closeReason`): the API's keys, and its words for a buyer's cancel. */
export function closeReasonText(reason: string): string {
  if (reason === 'expired') return '超时未支付';
  if (reason === 'trade-closed') return '支付宝交易已关闭';
  if (reason === '买家取消订单') return '买家取消';
  return '已关闭';
}

/** What a notify did, from its outcome and its kind (a refund notify names its request number). */
export function notifyDescription(
  notify: Pick<NotifyView, 'outcome' | 'tradeStatus' | 'outBizNo' | 'verified'>,
): string {
  const refund = notify.outBizNo !== null;
  switch (notify.outcome) {
    case 'APPLIED':
      if (refund) return `退款 ${notify.outBizNo} 已确认成功`;
      if (notify.tradeStatus === 'TRADE_CLOSED') return '支付宝交易已关闭，订单随之关闭';
      return '订单已确认支付';
    case 'DUPLICATE':
      return '同一 notify_id 的通知已处理过，本次不再处理';
    case 'NO_CHANGE':
      return refund ? '退款已是最终状态，无需变更' : '订单已是该状态，无需变更';
    case 'AUTO_REFUND':
      return '订单已关闭时收到付款，系统已自动发起退款';
    case 'REJECTED':
      return notify.verified ? '通知内容与本店记录不符，已拒绝' : '签名校验未通过，已拒绝';
    case 'ERROR':
      return '处理时出错，未回复 success，支付宝会重发';
  }
}

/** What a reconciliation line found, from its kind, type and amounts. */
export function reconLineText(
  line: Pick<ReconciliationLineView, 'kind' | 'lineType' | 'billAmountFen' | 'ledgerAmountFen'>,
): string {
  const what = line.lineType === 'refund' ? '退款' : '付款';
  const bill = line.billAmountFen === null ? null : formatFen(line.billAmountFen);
  const ledger = line.ledgerAmountFen === null ? null : formatFen(line.ledgerAmountFen);
  switch (line.kind) {
    case 'MATCHED':
      return '账单与本店记录一致';
    case 'MISSING_IN_LEDGER':
      return `支付宝账单有这笔${what}，本店没有对应记录`;
    case 'MISSING_IN_BILL':
      return `本店记为${line.lineType === 'refund' ? '退款成功' : '已支付'}，支付宝账单没有这笔${what}`;
    case 'AMOUNT_MISMATCH':
      return `金额不一致：账单 ${bill ?? '—'}，本店 ${ledger ?? '—'}`;
    case 'STATUS_MISMATCH':
      return `双方都有这笔${what}，但状态相互矛盾`;
    case 'PAID_AFTER_CLOSE':
      return '订单关闭后到账，已自动退款，无需处理';
    case 'REFUND_MISMATCH':
      return bill !== null && ledger !== null
        ? `退款不一致：账单 ${bill}，本店 ${ledger}`
        : '账单中的退款与本店记录不符';
  }
}

/** Alipay's codes inside a failure the API recorded as text (a run that could not fetch its bill). */
const ALIPAY_CODE_PATTERN = /\b(?:isp|isv|aop|ACQ)\.[A-Za-z_.-]+/;

/** Why a reconciliation run failed, in words: the Alipay code it names, if any, else a plain retry hint. */
export function reconFailureText(failure: string | null): string {
  const code = failure === null ? null : (ALIPAY_CODE_PATTERN.exec(failure)?.[0] ?? null);
  if (code === 'isp.bill_not_exist') return '支付宝尚未生成该日账单（次日可下载），请稍后再对账';
  if (code !== null) return `支付宝未能提供账单：${alipayCodeText(code) ?? code}`;
  return '账单下载或核对失败，请稍后重新对账';
}
