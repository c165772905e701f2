import { fenToYuan } from '@shop/alipay';
import type { Deps } from '../../deps';
import { maskLogonId } from '../../notify/notify-fields';
import type { Trade } from '../../store/types';

/** The buyer as a response names them: by open id when the trade was created with buyer_open_id. */
export function buyerFields(
  deps: Deps,
  trade: Trade,
  userIdKey: 'buyer_user_id' | 'buyer_id' = 'buyer_user_id',
) {
  const buyer = deps.store.accounts.findBuyer(trade.buyerUserId);
  return {
    buyer_logon_id: buyer ? maskLogonId(buyer.logonId) : undefined,
    ...(trade.buyerByOpenId ? { buyer_open_id: buyer?.openId } : { [userIdKey]: trade.buyerUserId }),
  };
}

/** Amount fields of a trade: what the buyer paid and the merchant received ("0.00" while unpaid). */
export function amountFields(trade: Trade) {
  const paid = trade.paidAt ? fenToYuan(trade.totalFen) : '0.00';
  return {
    total_amount: fenToYuan(trade.totalFen),
    receipt_amount: paid,
    buyer_pay_amount: paid,
    invoice_amount: paid,
    point_amount: '0.00',
  };
}
