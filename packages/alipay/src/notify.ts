import type { KeyObject } from 'node:crypto';
import { charsetFromContentType, charsetFromFormBody, parseForm } from './form';
import { yuanToFen } from './money';
import { notifySignContent, verifyRsa2 } from './sign';
import { parseChinaTime } from './time';
import { TRADE_STATUSES, type TradeStatus } from './types';

/**
 * Async notifies (异步通知): https://opendocs.alipay.com/open/203/105286 and https://opendocs.alipay.com/mini/080p65.
 * Alipay POSTs a urlencoded form to notify_url and retries (4m, 10m, 10m, 1h, 2h, 6h, 15h) until the body is
 * exactly `success`. Only TRADE_SUCCESS and TRADE_FINISHED mean paid; duplicates are normal (same notify_id).
 */

/** The acknowledgement body Alipay requires: these seven bytes, nothing else. */
export const NOTIFY_ACK = 'success';

export interface AlipayNotify {
  notifyId: string;
  notifyType: string;
  notifyTime: Date | null;
  appId: string;
  tradeNo: string;
  outTradeNo: string;
  /** The refund request number, on refund notifies. */
  outBizNo: string | undefined;
  buyerId: string | undefined;
  buyerOpenId: string | undefined;
  sellerId: string | undefined;
  tradeStatus: TradeStatus | undefined;
  totalFen: number | undefined;
  receiptFen: number | undefined;
  buyerPayFen: number | undefined;
  /** Cumulative refunded total, on refund notifies. */
  refundFeeFen: number | undefined;
  subject: string | undefined;
  gmtCreate: Date | null;
  gmtPayment: Date | null;
  gmtRefund: Date | null;
  gmtClose: Date | null;
  passbackParams: string | undefined;
}

export class AlipayNotifyFormatError extends Error {
  override readonly name = 'AlipayNotifyFormatError';
  constructor(readonly fields: Record<string, string>) {
    super(
      `malformed notify: ${Object.entries(fields)
        .map(([k, v]) => `${k} ${v}`)
        .join('; ')}`,
    );
  }
}

/** Parses a notify's raw body, in the charset the body or its Content-Type names (UTF-8 when neither does). */
export function parseNotifyBody(raw: Buffer | string, contentType?: string | null): Record<string, string> {
  const charset = charsetFromFormBody(raw) ?? charsetFromContentType(contentType) ?? 'utf-8';
  return parseForm(raw, charset);
}

/** Verifies a notify's signature over its decoded fields with Alipay's public key. */
export function verifyNotify(params: Readonly<Record<string, string>>, alipayPublicKey: KeyObject): boolean {
  const sign = params.sign;
  if (!sign) return false;
  if (params.sign_type !== undefined && params.sign_type !== 'RSA2') return false;
  return verifyRsa2(notifySignContent(params), sign, alipayPublicKey);
}

/** Reads the typed fields of a notify; throws AlipayNotifyFormatError naming every malformed field. */
export function readNotify(params: Readonly<Record<string, string>>): AlipayNotify {
  const problems: Record<string, string> = {};
  const text = (field: string): string | undefined => {
    const value = params[field];
    return value === undefined || value === '' ? undefined : value;
  };
  const required = (field: string): string => {
    const value = text(field);
    if (value === undefined) problems[field] = 'is missing';
    return value ?? '';
  };
  const amount = (field: string, minFen: number): number | undefined => {
    const value = text(field);
    if (value === undefined) return undefined;
    try {
      return yuanToFen(value, { minFen });
    } catch {
      problems[field] = `is not a yuan amount (${JSON.stringify(value)})`;
      return undefined;
    }
  };
  const time = (field: string): Date | null => {
    const value = text(field);
    if (value === undefined) return null;
    const date = parseChinaTime(value);
    if (!date) problems[field] = `is not a time (${JSON.stringify(value)})`;
    return date;
  };
  const status = text('trade_status');
  if (status !== undefined && !(TRADE_STATUSES as readonly string[]).includes(status)) {
    problems.trade_status = `is unknown (${JSON.stringify(status)})`;
  }
  const notify: AlipayNotify = {
    notifyId: required('notify_id'),
    notifyType: required('notify_type'),
    notifyTime: time('notify_time'),
    appId: required('app_id'),
    tradeNo: required('trade_no'),
    outTradeNo: required('out_trade_no'),
    outBizNo: text('out_biz_no'),
    buyerId: text('buyer_id'),
    buyerOpenId: text('buyer_open_id'),
    sellerId: text('seller_id'),
    tradeStatus: status as TradeStatus | undefined,
    totalFen: amount('total_amount', 1),
    receiptFen: amount('receipt_amount', 0),
    buyerPayFen: amount('buyer_pay_amount', 0),
    refundFeeFen: amount('refund_fee', 0),
    subject: text('subject'),
    gmtCreate: time('gmt_create'),
    gmtPayment: time('gmt_payment'),
    gmtRefund: time('gmt_refund'),
    gmtClose: time('gmt_close'),
    passbackParams: text('passback_params'),
  };
  if (Object.keys(problems).length > 0) throw new AlipayNotifyFormatError(problems);
  return notify;
}

/** Whether a trade status means the buyer has paid. */
export function isPaidStatus(status: TradeStatus | undefined): boolean {
  return status === 'TRADE_SUCCESS' || status === 'TRADE_FINISHED';
}
