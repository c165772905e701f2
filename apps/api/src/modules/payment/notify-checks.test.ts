import type { AlipayNotify } from '@shop/alipay';
import { describe, expect, it } from 'vitest';
import { checkNotify, isRefundNotify } from './notify.service';
import { tradeBuyer } from './payment.service';

const APP_ID = '9021000000000001';

function notify(overrides: Partial<AlipayNotify> = {}): AlipayNotify {
  return {
    notifyId: 'n1',
    notifyType: 'trade_status_sync',
    notifyTime: null,
    appId: APP_ID,
    tradeNo: '2026112122001',
    outTradeNo: '20261121223700123456',
    outBizNo: undefined,
    buyerId: '2088000000000001',
    buyerOpenId: undefined,
    sellerId: '2088000000009999',
    tradeStatus: 'TRADE_SUCCESS',
    totalFen: 1230,
    receiptFen: 1230,
    buyerPayFen: 1230,
    refundFeeFen: undefined,
    subject: 'T恤',
    gmtCreate: null,
    gmtPayment: null,
    gmtRefund: null,
    gmtClose: null,
    passbackParams: undefined,
    ...overrides,
  };
}

const payment = { amountFen: 1230, tradeNo: '2026112122001' };
const checks = { appId: APP_ID, sellerId: undefined };

describe('notify checks after the signature', () => {
  it('accepts our app, our order, its trade and its amount', () => {
    expect(checkNotify(notify(), payment, checks)).toBeNull();
  });

  it('accepts a notify for an order whose trade number we never learned (create outcome unknown)', () => {
    expect(checkNotify(notify(), { amountFen: 1230, tradeNo: null }, checks)).toBeNull();
  });

  it.each([
    ['app-id', notify({ appId: '9021000000000002' }), payment],
    ['unknown-order', notify(), null],
    ['trade-no', notify({ tradeNo: '2026112122999' }), payment],
    ['amount', notify({ totalFen: 1 }), payment],
    ['amount', notify({ totalFen: 1231 }), payment],
    ['amount', notify({ totalFen: undefined }), payment],
  ] as const)('refuses with %s', (reason, received, known) => {
    expect(checkNotify(received, known, checks)).toBe(reason);
  });

  it('checks seller_id only when one is configured', () => {
    const seller = { appId: APP_ID, sellerId: '2088000000009999' };
    expect(checkNotify(notify(), payment, seller)).toBeNull();
    expect(checkNotify(notify({ sellerId: '2088000000000777' }), payment, seller)).toBe('seller-id');
    expect(checkNotify(notify({ sellerId: undefined }), payment, seller)).toBe('seller-id');
    expect(checkNotify(notify({ sellerId: '2088000000000777' }), payment, checks)).toBeNull();
  });

  it('tells refund notifies from payment notifies', () => {
    expect(isRefundNotify(notify())).toBe(false);
    expect(isRefundNotify(notify({ outBizNo: '20261121223700123456_R1' }))).toBe(true);
    expect(isRefundNotify(notify({ refundFeeFen: 500 }))).toBe(true);
  });
});

describe('the paying buyer', () => {
  const both = { alipayUserId: '2088000000000001', alipayOpenId: 'open-id-0001' };

  it('pays with buyer_id in user-id mode and buyer_open_id in open-id mode', () => {
    expect(tradeBuyer(both, 'user_id')).toEqual({ buyerId: '2088000000000001' });
    expect(tradeBuyer(both, 'open_id')).toEqual({ buyerOpenId: 'open-id-0001' });
  });

  it('falls back to the identity the user has', () => {
    expect(tradeBuyer({ alipayUserId: null, alipayOpenId: 'open-id-0001' }, 'user_id')).toEqual({
      buyerOpenId: 'open-id-0001',
    });
    expect(tradeBuyer({ alipayUserId: '2088000000000001', alipayOpenId: null }, 'open_id')).toEqual({
      buyerId: '2088000000000001',
    });
    expect(() => tradeBuyer({ alipayUserId: null, alipayOpenId: null }, 'user_id')).toThrow();
  });
});
