import type { OrderStatus } from '@shop/contract';

/**
 * The payment result page's rules. The sheet's resultCode (my.tradePay, or the H5 cashier's redirect) is a hint:
 * only the order's status from the server says paid. The hint decides how long to keep asking and what to say
 * while the server has not confirmed.
 */

/** Codes after which the money may well have moved: keep polling a while (9000 processed, 8000 processing, 6004 unknown). */
const MAYBE_PAID = new Set(['9000', '8000', '6004']);

export function shouldPoll(resultCode: string | undefined): boolean {
  return resultCode === undefined || resultCode === '' || MAYBE_PAID.has(resultCode);
}

/** How many times to ask, one second apart, before showing "pending" with a "check again" button. */
export function pollBudget(resultCode: string | undefined): number {
  return shouldPoll(resultCode) ? 15 : 1;
}

export type PayOutcome = 'paid' | 'closed' | 'pending';

export function outcomeOf(status: OrderStatus): PayOutcome {
  if (status === 'PENDING_PAYMENT') return 'pending';
  if (status === 'CLOSED') return 'closed';
  return 'paid';
}

/** What to say while the server still says PENDING_PAYMENT, from the sheet's hint. */
export function pendingMessage(resultCode: string | undefined): { title: string; hint: string } {
  switch (resultCode) {
    case '6001':
      return { title: '支付未完成', hint: '你取消了支付，订单会保留到超时关闭，可以随时继续支付' };
    case '6002':
      return { title: '支付未完成', hint: '网络异常，支付没有完成，请检查网络后重新支付' };
    case '4000':
      return { title: '支付失败', hint: '支付宝没有完成这笔支付（如余额不足），请重新支付或更换付款方式' };
    default:
      return {
        title: '支付结果确认中',
        hint: '支付宝还没有通知我们结果，请稍后再查；如已扣款，订单会自动更新',
      };
  }
}
