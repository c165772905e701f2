import { fenToYuan, formatChinaTime } from '@shop/alipay';
import type { Buyer, NotifyKind, Refund, Trade } from '../store/types';

/**
 * The fields of an async notify (异步通知参数, https://opendocs.alipay.com/open/203/105286), without `notify_time`,
 * `sign_type` and `sign`, which the sender adds to each attempt. Empty values are left out, as Alipay does.
 */

/** The merchant account every sandbox trade is paid to (a real seller id is the merchant's 2088 partner id). */
export const SANDBOX_SELLER_ID = '2088000000009999';

/** Masks an account name the way Alipay shows it to merchants: `13800000001` -> `138****0001`. */
export function maskLogonId(logonId: string): string {
  if (logonId.length >= 7) return `${logonId.slice(0, 3)}****${logonId.slice(-4)}`;
  return `${logonId.slice(0, 1)}***`;
}

export function tradeNotifyFields(
  notifyId: string,
  kind: NotifyKind,
  trade: Trade,
  buyer: Buyer,
  refund?: Refund,
): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    notify_type: 'trade_status_sync',
    notify_id: notifyId,
    app_id: trade.appId,
    auth_app_id: trade.appId,
    charset: trade.charset,
    version: '1.0',
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    out_biz_no: refund?.outRequestNo,
    ...(trade.buyerByOpenId ? { buyer_open_id: buyer.openId } : { buyer_id: buyer.userId }),
    buyer_logon_id: maskLogonId(buyer.logonId),
    seller_id: SANDBOX_SELLER_ID,
    trade_status: trade.status,
    total_amount: fenToYuan(trade.totalFen),
    subject: trade.subject,
    body: trade.body ?? undefined,
    gmt_create: formatChinaTime(trade.createdAt),
    passback_params: trade.passbackParams ?? undefined,
  };
  if (trade.paidAt) {
    const paid = fenToYuan(trade.totalFen);
    fields.receipt_amount = paid;
    fields.invoice_amount = paid;
    fields.buyer_pay_amount = paid;
    fields.point_amount = '0.00';
    fields.gmt_payment = formatChinaTime(trade.paidAt);
    fields.fund_bill_list = JSON.stringify([{ amount: paid, fundChannel: 'ALIPAYACCOUNT' }]);
  }
  if (kind === 'refund' && refund) {
    fields.refund_fee = fenToYuan(trade.refundedFen);
    fields.gmt_refund = formatChinaTime(refund.createdAt);
  }
  if (trade.status === 'TRADE_CLOSED' && trade.closedAt) {
    fields.gmt_close = formatChinaTime(trade.closedAt);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
