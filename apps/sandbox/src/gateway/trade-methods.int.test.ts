import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUYER,
  createTrade,
  outTradeNo,
  payTrade,
  POOR_BUYER,
  startTestSandbox,
  type TestSandbox,
} from '../test-support';

/**
 * The trade methods through the official alipay-sdk (exec with validateSign) against the running sandbox over HTTP:
 * create, query, close, refund and fastpay.refund.query. oauth.token and the gateway's own checks are in
 * oauth-and-checks.int.test.ts, bills in bills.int.test.ts.
 */

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.dispose();
});

describe('alipay.trade.create', () => {
  it('creates a trade and returns the same trade_no for the same content', async () => {
    const out = outTradeNo();
    const first = await createTrade(t, { out_trade_no: out });
    expect(first.tradeNo).toMatch(/^\d{28}$/);
    const again = await createTrade(t, { out_trade_no: out });
    expect(again.tradeNo).toBe(first.tradeNo);
  });

  it('refuses the same out_trade_no with another amount or subject: ACQ.CONTEXT_INCONSISTENT', async () => {
    const { outTradeNo: out } = await createTrade(t);
    for (const change of [
      { total_amount: '88.89' },
      { subject: '别的商品' },
      { buyer_id: DEV_BUYERS[1]?.userId },
    ]) {
      const result = await t.sdk.exec(
        'alipay.trade.create',
        {
          bizContent: {
            out_trade_no: out,
            total_amount: '88.88',
            subject: '测试商品',
            buyer_id: BUYER.userId,
            ...change,
          },
        },
        { validateSign: true },
      );
      expect(result).toMatchObject({
        code: '40004',
        msg: 'Business Failed',
        subCode: 'ACQ.CONTEXT_INCONSISTENT',
      });
    }
  });

  it('answers ACQ.TRADE_HAS_SUCCESS when a paid trade is created again', async () => {
    const trade = await createTrade(t);
    await payTrade(t, trade.tradeNo);
    const result = await t.sdk.exec(
      'alipay.trade.create',
      {
        bizContent: {
          out_trade_no: trade.outTradeNo,
          total_amount: '88.88',
          subject: '测试商品',
          buyer_id: BUYER.userId,
        },
      },
      { validateSign: true },
    );
    expect(result.subCode).toBe('ACQ.TRADE_HAS_SUCCESS');
  });

  it('requires an existing buyer', async () => {
    const result = await t.sdk.exec(
      'alipay.trade.create',
      {
        bizContent: {
          out_trade_no: outTradeNo(),
          total_amount: '1.00',
          subject: 'x',
          buyer_id: '2088999999999999',
        },
      },
      { validateSign: true },
    );
    expect(result).toMatchObject({ code: '40004', subCode: 'ACQ.BUYER_NOT_EXIST' });
    const byOpenId = await createTrade(t, { buyer_id: undefined, buyer_open_id: BUYER.openId });
    const queried = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { trade_no: byOpenId.tradeNo } },
      { validateSign: true },
    );
    expect(queried.buyerOpenId).toBe(BUYER.openId);
    expect(queried.buyerUserId).toBeUndefined();
  });

  it.each([
    ['total_amount', { total_amount: '9.800000000000001' }],
    ['total_amount', { total_amount: '0.00' }],
    ['total_amount', { total_amount: '100000000.01' }],
    ['out_trade_no', { out_trade_no: 'has-dash' }],
    ['out_trade_no', { out_trade_no: 'x'.repeat(65) }],
    ['subject', { subject: 'a/b' }],
    ['subject', { subject: 'a=b' }],
    ['time_expire', { time_expire: '2020-01-01 00:00:00' }],
    ['timeout_express', { timeout_express: '16d' }],
  ])('validates %s strictly (%j)', async (field, change) => {
    const result = await t.sdk.exec(
      'alipay.trade.create',
      {
        bizContent: {
          out_trade_no: outTradeNo(),
          total_amount: '1.00',
          subject: 'ok',
          buyer_id: BUYER.userId,
          ...change,
        },
      },
      { validateSign: true },
    );
    expect(result).toMatchObject({ code: '40004', subCode: 'ACQ.INVALID_PARAMETER' });
    expect(result.subMsg).toContain(field);
  });
});

describe('alipay.trade.query and alipay.trade.close', () => {
  it('reports status and amounts; unknown trades are ACQ.TRADE_NOT_EXIST', async () => {
    const trade = await createTrade(t, { total_amount: '12.30' });
    const unpaid = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: trade.outTradeNo } },
      { validateSign: true },
    );
    expect(unpaid).toMatchObject({
      code: '10000',
      tradeStatus: 'WAIT_BUYER_PAY',
      totalAmount: '12.30',
      receiptAmount: '0.00',
    });
    await payTrade(t, trade.tradeNo);
    const paid = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { trade_no: trade.tradeNo } },
      { validateSign: true },
    );
    expect(paid).toMatchObject({
      tradeStatus: 'TRADE_SUCCESS',
      totalAmount: '12.30',
      receiptAmount: '12.30',
      buyerPayAmount: '12.30',
      buyerUserId: BUYER.userId,
    });
    expect(paid.sendPayDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const missing = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: 'NEVER_CREATED' } },
      { validateSign: true },
    );
    expect(missing).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });

  it('closes an unpaid trade, and refuses to close a paid one', async () => {
    const unpaid = await createTrade(t);
    const closed = await t.sdk.exec(
      'alipay.trade.close',
      { bizContent: { trade_no: unpaid.tradeNo } },
      { validateSign: true },
    );
    expect(closed).toMatchObject({ code: '10000', tradeNo: unpaid.tradeNo, outTradeNo: unpaid.outTradeNo });
    const query = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { trade_no: unpaid.tradeNo } },
      { validateSign: true },
    );
    expect(query.tradeStatus).toBe('TRADE_CLOSED');
    const pay = await t.control<{ resultCode: string }>('POST', `/sandbox/trades/${unpaid.tradeNo}/pay`, {});
    expect(pay.body.resultCode).toBe('4000');

    const paid = await createTrade(t);
    await payTrade(t, paid.tradeNo);
    const refused = await t.sdk.exec(
      'alipay.trade.close',
      { bizContent: { out_trade_no: paid.outTradeNo } },
      { validateSign: true },
    );
    expect(refused).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_STATUS_ERROR' });
    const missing = await t.sdk.exec(
      'alipay.trade.close',
      { bizContent: { out_trade_no: 'NEVER_CREATED' } },
      { validateSign: true },
    );
    expect(missing.subCode).toBe('ACQ.TRADE_NOT_EXIST');
  });

  it('closes an unpaid trade once time_expire has passed', async () => {
    const fast = await startTestSandbox({ timeScale: 0.001 }); // a 20-minute expiry becomes 1.2 s
    try {
      const expire = new Date(Date.now() + 20 * 60_000 + 8 * 3600_000)
        .toISOString()
        .slice(0, 19)
        .replace('T', ' ');
      const trade = await createTrade(fast, { time_expire: expire });
      const open = await fast.sdk.exec(
        'alipay.trade.query',
        { bizContent: { trade_no: trade.tradeNo } },
        { validateSign: true },
      );
      expect(open.tradeStatus).toBe('WAIT_BUYER_PAY');
      await new Promise((resolve) => setTimeout(resolve, 1_800));
      const later = await fast.sdk.exec(
        'alipay.trade.query',
        { bizContent: { trade_no: trade.tradeNo } },
        { validateSign: true },
      );
      expect(later.tradeStatus).toBe('TRADE_CLOSED');
    } finally {
      await fast.dispose();
    }
  });
});

describe('alipay.trade.refund and alipay.trade.fastpay.refund.query', () => {
  it('refunds once per out_request_no, never above the paid amount, and closes on a full refund', async () => {
    const trade = await createTrade(t, { total_amount: '100.00' });
    await payTrade(t, trade.tradeNo);
    const refund = (amount: string, outRequestNo: string) =>
      t.sdk.exec(
        'alipay.trade.refund',
        {
          bizContent: { out_trade_no: trade.outTradeNo, refund_amount: amount, out_request_no: outRequestNo },
        },
        { validateSign: true },
      );
    const first = await refund('30.00', 'R1');
    expect(first).toMatchObject({
      code: '10000',
      fundChange: 'Y',
      refundFee: '30.00',
      tradeNo: trade.tradeNo,
    });
    const repeated = await refund('30.00', 'R1');
    expect(repeated).toMatchObject({ code: '10000', fundChange: 'N', refundFee: '30.00' });
    const over = await refund('70.01', 'R2');
    expect(over).toMatchObject({ code: '40004', subCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
    const mismatched = await refund('31.00', 'R1');
    expect(mismatched.subCode).toBe('ACQ.DISCORDANT_REPEAT_REQUEST');

    const partial = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { trade_no: trade.tradeNo } },
      { validateSign: true },
    );
    expect(partial.tradeStatus).toBe('TRADE_SUCCESS');
    const rest = await refund('70.00', 'R2');
    expect(rest).toMatchObject({ fundChange: 'Y', refundFee: '100.00' });
    const closed = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { trade_no: trade.tradeNo } },
      { validateSign: true },
    );
    expect(closed.tradeStatus).toBe('TRADE_CLOSED');
    const afterClose = await refund('0.01', 'R3');
    expect(afterClose.subCode).toBe('ACQ.TRADE_HAS_CLOSE');

    // The money moved exactly once per request number.
    const ledger = await t.control<{ totals: { paidFen: number; refundedFen: number }; items: unknown[] }>(
      'GET',
      `/sandbox/ledger?outTradeNo=${trade.outTradeNo}`,
    );
    expect(ledger.body.totals).toEqual({ paidFen: 10_000, refundedFen: 10_000 });
    expect(ledger.body.items).toHaveLength(3);

    const found = await t.sdk.exec(
      'alipay.trade.fastpay.refund.query',
      { bizContent: { out_trade_no: trade.outTradeNo, out_request_no: 'R1' } },
      { validateSign: true },
    );
    expect(found).toMatchObject({
      refundStatus: 'REFUND_SUCCESS',
      refundAmount: '30.00',
      totalAmount: '100.00',
      outRequestNo: 'R1',
    });
    const absent = await t.sdk.exec(
      'alipay.trade.fastpay.refund.query',
      { bizContent: { trade_no: trade.tradeNo, out_request_no: 'NEVER' } },
      { validateSign: true },
    );
    expect(absent.code).toBe('10000');
    expect(absent.refundStatus).toBeUndefined();
    expect(absent.refundAmount).toBeUndefined();
  });

  it('refuses to refund an unpaid trade, and treats a missing out_request_no as the out_trade_no', async () => {
    const unpaid = await createTrade(t);
    const refused = await t.sdk.exec(
      'alipay.trade.refund',
      { bizContent: { trade_no: unpaid.tradeNo, refund_amount: '1.00' } },
      { validateSign: true },
    );
    expect(refused.subCode).toBe('ACQ.TRADE_STATUS_ERROR');
    await payTrade(t, unpaid.tradeNo);
    const full = await t.sdk.exec(
      'alipay.trade.refund',
      { bizContent: { trade_no: unpaid.tradeNo, refund_amount: '88.88' } },
      { validateSign: true },
    );
    expect(full).toMatchObject({ fundChange: 'Y', refundFee: '88.88' });
    const query = await t.sdk.exec(
      'alipay.trade.fastpay.refund.query',
      { bizContent: { trade_no: unpaid.tradeNo, out_request_no: unpaid.outTradeNo } },
      { validateSign: true },
    );
    expect(query.refundStatus).toBe('REFUND_SUCCESS');
  });

  it('moves refunds back to the buyer balance', async () => {
    const before = await t.control<{ balanceFen: number }>('GET', `/sandbox/buyers/${BUYER.userId}`);
    const trade = await createTrade(t, { total_amount: '10.00' });
    await payTrade(t, trade.tradeNo);
    await t.sdk.exec('alipay.trade.refund', {
      bizContent: { trade_no: trade.tradeNo, refund_amount: '4.00', out_request_no: 'B1' },
    });
    const after = await t.control<{ balanceFen: number }>('GET', `/sandbox/buyers/${BUYER.userId}`);
    expect(after.body.balanceFen).toBe(before.body.balanceFen - 1000 + 400);
  });

  it('declines a payment above the balance like Alipay does (4000), leaving the trade open', async () => {
    const trade = await createTrade(t, { buyer_id: POOR_BUYER.userId, total_amount: '5.01' });
    const pay = await t.control<{ resultCode: string; reason: string }>(
      'POST',
      `/sandbox/trades/${trade.tradeNo}/pay`,
    );
    expect(pay.body).toMatchObject({ resultCode: '4000', reason: 'BALANCE_NOT_ENOUGH' });
    const query = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { trade_no: trade.tradeNo } },
      { validateSign: true },
    );
    expect(query.tradeStatus).toBe('WAIT_BUYER_PAY');
  });
});
