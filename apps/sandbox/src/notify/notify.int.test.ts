import { loadPublicKey, parseNotifyBody, readNotify, verifyNotify } from '@shop/alipay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUYER,
  createTrade,
  eventually,
  notifications,
  notifyReaches,
  payTrade,
  sleep,
  startReceiver,
  startTestSandbox,
  type NotifyReceiver,
  type TestSandbox,
} from '../test-support';
import { RETRY_DELAYS_MS } from './schedule';

/**
 * Notifies end to end: a local endpoint receives the sandbox's forms, verifies them with alipay-sdk's
 * checkNotifySignV2, and answers as a shop would. Time runs scaled, so the 25-hour schedule takes seconds; timing
 * assertions are lower bounds with generous upper slack, never tight.
 */

let t: TestSandbox;
let receiver: NotifyReceiver | undefined;

beforeEach(async () => {
  t = await startTestSandbox({ timeScale: 0.001 });
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await t.dispose();
});

const gaps = (times: number[]) => times.slice(1).map((time, i) => time - (times[i] as number));

describe('payment notify', () => {
  it('posts a signed form with the documented fields that checkNotifySignV2 accepts', async () => {
    receiver = await startReceiver();
    const trade = await createTrade(t, { total_amount: '12.30', body: '一件 T恤 & 袜子' }, receiver.url);
    await payTrade(t, trade.tradeNo);
    const [notify] = await receiver.waitFor(1);
    const fields = notify?.fields as Record<string, string>;

    expect(t.sdk.checkNotifySignV2(fields)).toBe(true);
    expect(verifyNotify(fields, loadPublicKey(t.keys.alipayPublicPem))).toBe(true);
    expect(notify?.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    expect(fields).toMatchObject({
      notify_type: 'trade_status_sync',
      app_id: t.sandbox.config.appId,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_id: BUYER.userId,
      seller_id: '2088000000009999',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '12.30',
      receipt_amount: '12.30',
      buyer_pay_amount: '12.30',
      subject: '测试商品',
      body: '一件 T恤 & 袜子',
    });
    expect(JSON.parse(fields.fund_bill_list as string)).toEqual([
      { amount: '12.30', fundChannel: 'ALIPAYACCOUNT' },
    ]);
    const typed = readNotify(parseNotifyBody(notify?.rawBody as string, notify?.headers['content-type']));
    expect(typed.gmtPayment).toBeInstanceOf(Date);
    expect(typed.notifyTime).toBeInstanceOf(Date);
    await notifyReaches(t, trade.outTradeNo, 'payment', 'delivered');
  });

  it('retries on the scaled schedule and stops at the first exact `success`', async () => {
    // Three kinds of failure first: a wrong body, `success` with a newline, and a 500 that says success.
    receiver = await startReceiver((_notify, index, res) => {
      if (index === 0) res.end('fail');
      else if (index === 1) res.end('success\n');
      else if (index === 2) {
        res.statusCode = 500;
        res.end('success');
      } else res.end('success');
    });
    const trade = await createTrade(t, {}, receiver.url);
    await payTrade(t, trade.tradeNo);
    const received = await receiver.waitFor(4);
    const view = await notifyReaches(t, trade.outTradeNo, 'payment', 'delivered');
    // Nothing more arrives after the success (the next retry would have been due 1 h x 0.001 = 3.6 s later).
    await sleep(600 * 2);
    expect(receiver.received).toHaveLength(4);

    expect(new Set(received.map((n) => n.fields.notify_id)).size).toBe(1);
    for (const notify of received) expect(t.sdk.checkNotifySignV2(notify.fields)).toBe(true);
    expect(view.attemptCount).toBe(4);
    expect(view.attempts.map((a) => a.outcome)).toEqual(['failure', 'failure', 'failure', 'success']);
    expect(view.attempts.map((a) => a.responseBody)).toEqual(['fail', 'success\n', 'success', 'success']);
    expect(view.attempts[2]?.httpStatus).toBe(500);

    const scaled = RETRY_DELAYS_MS.slice(0, 3).map((ms) => ms * 0.001); // 240, 600, 600 ms
    // The schedule runs from when each attempt started (the sandbox's record); arrivals at the receiver can be
    // closer together than that when one attempt's request was slow to arrive, so they bound only the upper side.
    gaps(view.attempts.map((a) => Date.parse(a.startedAt))).forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual((scaled[i] as number) - 1);
    });
    gaps(received.map((n) => n.at)).forEach((gap, i) => {
      expect(gap).toBeLessThan((scaled[i] as number) + 1500);
    });
  });

  it('gives up after 8 attempts spread over the whole (scaled) schedule', async () => {
    const fast = await startTestSandbox({ timeScale: 0.0001 }); // the 25 h schedule takes about 9 s
    const failing = await startReceiver((_n, _i, res) => res.end('<html>error</html>'));
    try {
      const trade = await createTrade(fast, {}, failing.url);
      await payTrade(fast, trade.tradeNo);
      const view = await notifyReaches(fast, trade.outTradeNo, 'payment', 'failed', 30_000);
      expect(view.attemptCount).toBe(8);
      expect(failing.received).toHaveLength(8);
      const scaled = RETRY_DELAYS_MS.map((ms) => ms * 0.0001);
      gaps(view.attempts.map((a) => Date.parse(a.startedAt))).forEach((gap, i) => {
        expect(gap).toBeGreaterThanOrEqual((scaled[i] as number) - 1);
      });
      gaps(failing.received.map((n) => n.at)).forEach((gap, i) => {
        expect(gap).toBeLessThan((scaled[i] as number) + 1500);
      });
      await sleep(300);
      expect(failing.received).toHaveLength(8);
    } finally {
      await failing.close();
      await fast.dispose();
    }
  }, 40_000);

  it('treats a refused connection as a failed attempt and retries', async () => {
    const trade = await createTrade(t, {}, 'http://127.0.0.1:9/alipay/notify');
    await payTrade(t, trade.tradeNo);
    const view = await eventually(async () => {
      const [payment] = await notifications(t, trade.outTradeNo);
      return payment && payment.attemptCount >= 2 ? payment : undefined;
    });
    expect(view.status).toBe('pending');
    expect(view.attempts.slice(0, 2)).toMatchObject([
      { outcome: 'failure', httpStatus: null, responseBody: null },
      { outcome: 'failure', httpStatus: null, responseBody: null },
    ]);
    expect(view.attempts[0]?.error).toBeTruthy();
  });
});

describe('refund and close notifies', () => {
  it('notifies partial refunds (still TRADE_SUCCESS) and the full refund (TRADE_CLOSED)', async () => {
    receiver = await startReceiver();
    const trade = await createTrade(t, { total_amount: '50.00' }, receiver.url);
    await payTrade(t, trade.tradeNo);
    await receiver.waitFor(1);
    await t.sdk.exec('alipay.trade.refund', {
      bizContent: { trade_no: trade.tradeNo, refund_amount: '20.00', out_request_no: 'P1' },
    });
    const [, partial] = await receiver.waitFor(2);
    expect(t.sdk.checkNotifySignV2(partial?.fields ?? {})).toBe(true);
    expect(partial?.fields).toMatchObject({
      trade_status: 'TRADE_SUCCESS',
      out_biz_no: 'P1',
      refund_fee: '20.00',
      total_amount: '50.00',
    });
    expect(partial?.fields.gmt_refund).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    await t.sdk.exec('alipay.trade.refund', {
      bizContent: { trade_no: trade.tradeNo, refund_amount: '30.00', out_request_no: 'P2' },
    });
    const [, , full] = await receiver.waitFor(3);
    expect(full?.fields).toMatchObject({
      trade_status: 'TRADE_CLOSED',
      out_biz_no: 'P2',
      refund_fee: '50.00',
    });
    expect(full?.fields.gmt_close).toBeDefined();
    expect(new Set(receiver.received.map((n) => n.fields.notify_id)).size).toBe(3);
  });

  it('closes an unpaid trade at its (scaled) expiry and notifies TRADE_CLOSED without anyone asking', async () => {
    receiver = await startReceiver();
    const trade = await createTrade(t, { timeout_express: '1m' }, receiver.url); // 60 ms at this scale
    const [closed] = await receiver.waitFor(1, 5_000);
    expect(t.sdk.checkNotifySignV2(closed?.fields ?? {})).toBe(true);
    expect(closed?.fields).toMatchObject({
      trade_no: trade.tradeNo,
      trade_status: 'TRADE_CLOSED',
      total_amount: '88.88',
    });
    expect(closed?.fields.gmt_close).toBeDefined();
    expect(closed?.fields.gmt_payment).toBeUndefined();
  });
});
