import type { TradeStatus } from '@shop/alipay';

/**
 * Trade states as data (https://opendocs.alipay.com/open/194/103296, 交易状态). TRADE_CLOSED -> TRADE_SUCCESS exists
 * only for the forced "paid after close" race the control API simulates: Alipay has delivered payments for trades
 * the merchant had just closed, and a shop must refund those.
 */
const TRANSITIONS: Readonly<Record<TradeStatus, readonly TradeStatus[]>> = {
  WAIT_BUYER_PAY: ['TRADE_SUCCESS', 'TRADE_CLOSED'],
  TRADE_SUCCESS: ['TRADE_CLOSED'],
  TRADE_CLOSED: ['TRADE_SUCCESS'],
  TRADE_FINISHED: [],
};

export function canTransition(from: TradeStatus, to: TradeStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: TradeStatus, to: TradeStatus): void {
  if (!canTransition(from, to)) throw new Error(`illegal trade transition ${from} -> ${to}`);
}

export function isPaid(status: TradeStatus): boolean {
  return status === 'TRADE_SUCCESS' || status === 'TRADE_FINISHED';
}
