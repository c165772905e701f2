import { type AdminOrderEvent, type NotifyView } from '@shop/contract';
import { describe, expect, it } from 'vitest';

import {
  alipayCodeText,
  closeReasonText,
  eventDetail,
  gatewayErrorText,
  notifyDescription,
  reconFailureText,
  reconLineText,
  refundFailureText,
} from './describe';

const event = (type: string, overrides: Partial<AdminOrderEvent> = {}) => ({
  type,
  actorType: 'system',
  reason: '',
  data: {},
  ...overrides,
});

describe("the admin's words for what the API records", () => {
  it("describes order events from their data, never from the API's English reason", () => {
    expect(
      eventDetail(event('PAID', { reason: 'payment proven by notify', data: { source: 'notify' } })),
    ).toBe('由异步通知确认');
    expect(eventDetail(event('PAID', { reason: 'payment proven by query', data: { source: 'query' } }))).toBe(
      '由主动查询确认',
    );
    expect(
      eventDetail(
        event('REFUND_SUCCEEDED', {
          reason: 'refund confirmed by notify',
          data: { amountFen: 500, source: 'notify' },
        }),
      ),
    ).toBe('退款 ¥5.00 已到账，由异步通知确认');
    expect(eventDetail(event('REFUNDED', { reason: 'the whole amount has been refunded' }))).toBe(
      '订单金额已全部退回',
    );
    expect(
      eventDetail(
        event('REFUND_FAILED', { reason: 'Refund amount exceeds', data: { code: 'ACQ.TRADE_HAS_CLOSE' } }),
      ),
    ).toBe('支付宝拒绝了退款：交易已关闭（ACQ.TRADE_HAS_CLOSE）');
    expect(eventDetail(event('CLOSED', { reason: 'expired' }))).toBe('超时未支付，自动关闭');
    expect(eventDetail(event('SOMETHING_NEW', { reason: 'an English sentence' }))).toBeNull();
  });

  it("shows what a merchant typed as the refund reason, and the system's automatic refund in its own words", () => {
    expect(
      eventDetail(
        event('REFUND_REQUESTED', { actorType: 'admin', reason: '尺码不合适', data: { amountFen: 1000 } }),
      ),
    ).toBe('退款 ¥10.00，原因：尺码不合适');
    expect(
      eventDetail(
        event('REFUND_REQUESTED', {
          actorType: 'system',
          reason: 'a payment arrived for a closed order; it is refunded automatically',
          data: { amountFen: 1000 },
        }),
      ),
    ).toBe('退款 ¥10.00');
  });

  it('words closing reasons, never showing one it does not know', () => {
    expect(closeReasonText('expired')).toBe('超时未支付');
    expect(closeReasonText('买家取消订单')).toBe('买家取消');
    expect(closeReasonText('closed by a script')).toBe('已关闭');
  });

  it('says what a notify did by its outcome', () => {
    const base: Pick<NotifyView, 'outcome' | 'tradeStatus' | 'outBizNo' | 'verified'> = {
      outcome: 'APPLIED',
      tradeStatus: 'TRADE_SUCCESS',
      outBizNo: null,
      verified: true,
    };
    expect(notifyDescription(base)).toBe('订单已确认支付');
    expect(notifyDescription({ ...base, outBizNo: 'R1' })).toBe('退款 R1 已确认成功');
    expect(notifyDescription({ ...base, outcome: 'REJECTED', verified: false })).toBe(
      '签名校验未通过，已拒绝',
    );
    expect(notifyDescription({ ...base, outcome: 'DUPLICATE' })).toContain('已处理过');
  });

  it("names Alipay's codes, and shows an unknown one as the code alone", () => {
    expect(gatewayErrorText({ errorCode: '40004', errorSubCode: 'ACQ.TRADE_NOT_EXIST' })).toBe(
      '交易不存在（ACQ.TRADE_NOT_EXIST）',
    );
    expect(gatewayErrorText({ errorCode: 'timeout', errorSubCode: null })).toBe('请求超时（timeout）');
    expect(gatewayErrorText({ errorCode: null, errorSubCode: null })).toBeNull();
    expect(alipayCodeText('ACQ.SOMETHING_NEW')).toBe('ACQ.SOMETHING_NEW');
    expect(refundFailureText({ failureCode: 'ACQ.SELLER_BALANCE_NOT_ENOUGH', status: 'FAILED' })).toBe(
      '支付宝拒绝了退款：商户余额不足（ACQ.SELLER_BALANCE_NOT_ENOUGH）',
    );
    expect(refundFailureText({ failureCode: null, status: 'SUCCEEDED' })).toBeNull();
  });

  it('words reconciliation findings and failures', () => {
    expect(
      reconLineText({
        kind: 'AMOUNT_MISMATCH',
        lineType: 'trade',
        billAmountFen: 1000,
        ledgerAmountFen: 900,
      }),
    ).toBe('金额不一致：账单 ¥10.00，本店 ¥9.00');
    expect(
      reconLineText({
        kind: 'MISSING_IN_LEDGER',
        lineType: 'refund',
        billAmountFen: 100,
        ledgerAmountFen: null,
      }),
    ).toBe('支付宝账单有这笔退款，本店没有对应记录');
    expect(
      reconFailureText(
        "Alipay has no bill for 2026-11-21 yet (isp.bill_not_exist); a day's bill is ready the next day",
      ),
    ).toBe('支付宝尚未生成该日账单（次日可下载），请稍后再对账');
    expect(reconFailureText('Alipay could not give the bill: 40004 ACQ.SYSTEM_ERROR busy')).toBe(
      '支付宝未能提供账单：支付宝系统繁忙（ACQ.SYSTEM_ERROR）',
    );
    expect(reconFailureText('the zip holds no detail file')).toBe('账单下载或核对失败，请稍后重新对账');
  });
});
