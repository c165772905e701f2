import { AlipayClient, AlipayOutcomeUnknownError, loadPublicKey, verifyNotify } from '@shop/alipay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTrade,
  eventually,
  notifications,
  notifyReaches,
  outTradeNo,
  BUYER,
  payTrade,
  sleep,
  startReceiver,
  startTestSandbox,
  type NotifyReceiver,
  type TestSandbox,
} from '../test-support';

/** Every fault mode, exercised over HTTP the way the shop will meet it. */

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

async function inject(spec: Record<string, unknown>): Promise<{ id: number; remaining: number | null }> {
  const response = await t.control<{ id: number; remaining: number | null }>('POST', '/sandbox/faults', spec);
  expect(response.status).toBe(201);
  return response.body;
}

/** Waits until the reorder fault holds `count` notifies (the sender holds each when it comes due). */
async function heldNotifies(count: number): Promise<void> {
  await eventually(async () => {
    const faults = await t.control<{ heldNotifies: number }>('GET', '/sandbox/faults');
    return faults.body.heldNotifies === count ? true : undefined;
  });
}

function client(timeoutMs = 5_000): AlipayClient {
  return new AlipayClient({
    appId: t.sandbox.config.appId,
    privateKey: t.keys.appPrivatePem,
    alipayPublicKey: t.keys.alipayPublicPem,
    gateway: t.sandbox.gatewayUrl,
    timeoutMs,
  });
}

describe('notify faults', () => {
  it('notify-drop with a count: the first attempts never arrive, a later retry does', async () => {
    receiver = await startReceiver();
    await inject({ kind: 'notify-drop', count: 2 });
    const trade = await createTrade(t, {}, receiver.url);
    await payTrade(t, trade.tradeNo);
    const view = await notifyReaches(t, trade.outTradeNo, 'payment', 'delivered');
    expect(view.attempts.map((a) => a.outcome)).toEqual(['dropped', 'dropped', 'success']);
    expect(view.attempts[0]?.faults[0]).toMatch(/^notify-drop#\d+$/);
    expect(receiver.received).toHaveLength(1);
    const faults = await t.control<{ items: unknown[] }>('GET', '/sandbox/faults');
    expect(faults.body.items).toHaveLength(0);
  });

  it('notify-drop until cleared: every attempt is lost until DELETE /sandbox/faults', async () => {
    const fast = await startTestSandbox({ timeScale: 0.0001 }); // attempts at 0, 24, 84, 144, 504 ms ...
    const local = await startReceiver();
    try {
      await fast.control('POST', '/sandbox/faults', { kind: 'notify-drop' });
      const trade = await createTrade(fast, {}, local.url);
      await payTrade(fast, trade.tradeNo);
      const dropped = await eventually(async () => {
        const [payment] = await notifications(fast, trade.outTradeNo);
        return payment && payment.attempts.length >= 3 ? payment : undefined;
      });
      expect(local.received).toHaveLength(0);
      expect(dropped.attempts.every((a) => a.outcome === 'dropped')).toBe(true);
      const cleared = await fast.control<{ cleared: number }>('DELETE', '/sandbox/faults');
      expect(cleared.body.cleared).toBe(1);
      await local.waitFor(1, 10_000);
      const view = await notifyReaches(fast, trade.outTradeNo, 'payment', 'delivered');
      expect(view.attempts.at(-1)?.outcome).toBe('success');
    } finally {
      await local.close();
      await fast.dispose();
    }
  });

  it('notify-duplicate: each attempt arrives K times at once, with the same notify_id', async () => {
    receiver = await startReceiver();
    await inject({ kind: 'notify-duplicate', copies: 3, count: 1 });
    const trade = await createTrade(t, {}, receiver.url);
    await payTrade(t, trade.tradeNo);
    const copies = await receiver.waitFor(3);
    expect(new Set(copies.map((n) => n.fields.notify_id)).size).toBe(1);
    for (const copy of copies) expect(t.sdk.checkNotifySignV2(copy.fields)).toBe(true);
    const view = await notifyReaches(t, trade.outTradeNo, 'payment', 'delivered');
    expect(view.attempts.map((a) => a.copyNo).sort()).toEqual([1, 2, 3]);
    expect(view.attemptCount).toBe(1);
  });

  it('notify-delay: the notify arrives late', async () => {
    receiver = await startReceiver();
    await inject({ kind: 'notify-delay', delayMs: 700, count: 1 });
    const trade = await createTrade(t, {}, receiver.url);
    const paidAt = Date.now();
    await payTrade(t, trade.tradeNo);
    const [late] = await receiver.waitFor(1);
    expect((late?.at ?? 0) - paidAt).toBeGreaterThanOrEqual(650);
  });

  it('notify-reorder: holds the next N notifies and releases them newest first', async () => {
    receiver = await startReceiver();
    await inject({ kind: 'notify-reorder', count: 3 });
    const trades = [];
    for (const name of ['A', 'B', 'C']) {
      const trade = await createTrade(t, { out_trade_no: outTradeNo(name) }, receiver.url);
      await payTrade(t, trade.tradeNo);
      trades.push(trade);
      // Each notify is held before the next payment; the third fills the fault, which releases all three.
      if (trades.length < 3) await heldNotifies(trades.length);
    }
    const arrived = await receiver.waitFor(3);
    expect(arrived.map((n) => n.fields.out_trade_no)).toEqual(trades.map((tr) => tr.outTradeNo).reverse());
    await sleep(300);
    expect(receiver.received).toHaveLength(3);
  });

  it('notify-reorder: clearing the fault releases what it holds', async () => {
    receiver = await startReceiver();
    await inject({ kind: 'notify-reorder', count: 5 });
    const trade = await createTrade(t, {}, receiver.url);
    await payTrade(t, trade.tradeNo);
    await heldNotifies(1);
    expect(receiver.received).toHaveLength(0);
    await t.control('DELETE', '/sandbox/faults');
    await receiver.waitFor(1);
  });

  it('notify-tamper signature: a corrupted sign arrives first, the genuine notify on retry', async () => {
    const alipayPublic = loadPublicKey(t.keys.alipayPublicPem);
    receiver = await startReceiver((notify, _i, res) =>
      res.end(verifyNotify(notify.fields, alipayPublic) ? 'success' : 'fail'),
    );
    await inject({ kind: 'notify-tamper', mode: 'signature', count: 1 });
    const trade = await createTrade(t, {}, receiver.url);
    await payTrade(t, trade.tradeNo);
    const [forged, genuine] = await receiver.waitFor(2);
    expect(t.sdk.checkNotifySignV2(forged?.fields ?? {})).toBe(false);
    expect(forged?.fields.sign).toMatch(/^[A-Za-z0-9+/]{342}==$|^[A-Za-z0-9+/]{343}=$|^[A-Za-z0-9+/]{344}$/);
    expect(forged?.fields.total_amount).toBe('88.88');
    expect(t.sdk.checkNotifySignV2(genuine?.fields ?? {})).toBe(true);
    const view = await notifyReaches(t, trade.outTradeNo, 'payment', 'delivered');
    expect(view.attempts.map((a) => a.outcome)).toEqual(['failure', 'success']);
  });

  it('notify-tamper amount: total_amount changed and signed with a key that is not Alipay’s', async () => {
    const alipayPublic = loadPublicKey(t.keys.alipayPublicPem);
    receiver = await startReceiver((notify, _i, res) =>
      res.end(verifyNotify(notify.fields, alipayPublic) ? 'success' : 'fail'),
    );
    await inject({ kind: 'notify-tamper', mode: 'amount', count: 1 });
    const trade = await createTrade(t, { total_amount: '500.00' }, receiver.url);
    await payTrade(t, trade.tradeNo);
    const [forged, genuine] = await receiver.waitFor(2);
    expect(forged?.fields).toMatchObject({
      total_amount: '0.01',
      trade_status: 'TRADE_SUCCESS',
      sign_type: 'RSA2',
    });
    expect(t.sdk.checkNotifySignV2(forged?.fields ?? {})).toBe(false);
    expect(genuine?.fields.total_amount).toBe('500.00');
    expect(t.sdk.checkNotifySignV2(genuine?.fields ?? {})).toBe(true);
  });
});

describe('gateway faults', () => {
  it('gateway-error: answers 20000 isp.unknow-error without applying, for the named methods only', async () => {
    await inject({ kind: 'gateway-error', count: 1, methods: ['alipay.trade.create'] });
    const out = outTradeNo();
    const query = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: out } },
      { validateSign: true },
    );
    expect(query.subCode).toBe('ACQ.TRADE_NOT_EXIST'); // not a named method: the fault is untouched
    const failed = await t.sdk.exec(
      'alipay.trade.create',
      { bizContent: { out_trade_no: out, total_amount: '1.00', subject: 'x', buyer_id: BUYER.userId } },
      { validateSign: true },
    );
    expect(failed).toMatchObject({
      code: '20000',
      msg: 'Service Currently Unavailable',
      subCode: 'isp.unknow-error',
    });
    const after = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: out } },
      { validateSign: true },
    );
    expect(after.subCode).toBe('ACQ.TRADE_NOT_EXIST');
    const retried = await createTrade(t, { out_trade_no: out, total_amount: '1.00', subject: 'x' });
    expect(retried.tradeNo).toMatch(/^\d{28}$/);
  });

  it('gateway-hang with holdMs: holds the call, applies nothing, then answers 20000', async () => {
    await inject({ kind: 'gateway-hang', holdMs: 400, count: 1 });
    const started = Date.now();
    const out = outTradeNo();
    const error = await client()
      .tradeCreate({ outTradeNo: out, totalFen: 100, subject: 'x', buyerId: BUYER.userId })
      .catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(error).toMatchObject({ outcome: 'unknown', code: '20000' });
    const query = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: out } },
      { validateSign: true },
    );
    expect(query.subCode).toBe('ACQ.TRADE_NOT_EXIST');
  });

  it('gateway-hang without holdMs: holds until the client gives up; nothing is applied', async () => {
    await inject({ kind: 'gateway-hang', count: 1, methods: ['alipay.trade.create'] });
    const out = outTradeNo();
    const error = await client(300)
      .tradeCreate({ outTradeNo: out, totalFen: 100, subject: 'x', buyerId: BUYER.userId })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AlipayOutcomeUnknownError);
    expect((error as AlipayOutcomeUnknownError).reason).toBe('timeout');
    const query = await client()
      .tradeQuery({ outTradeNo: out })
      .catch((caught: unknown) => caught);
    expect(query).toMatchObject({ outcome: 'failed', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });

  it('gateway-drop-after-apply: the call takes effect but the connection dies unanswered', async () => {
    await inject({ kind: 'gateway-drop-after-apply', count: 1, methods: ['alipay.trade.create'] });
    const out = outTradeNo();
    const error = await client()
      .tradeCreate({ outTradeNo: out, totalFen: 4200, subject: 'x', buyerId: BUYER.userId })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AlipayOutcomeUnknownError);
    expect((error as AlipayOutcomeUnknownError).reason).toBe('connection-lost');
    const query = await client().tradeQuery({ outTradeNo: out });
    expect(query).toMatchObject({ tradeStatus: 'WAIT_BUYER_PAY', totalFen: 4200 });
  });

  it('counts uses down and lists active faults', async () => {
    const fault = await inject({ kind: 'gateway-error', count: 2 });
    expect(fault.remaining).toBe(2);
    await t.sdk.exec('alipay.trade.query', { bizContent: { out_trade_no: 'X1' } });
    const listed = await t.control<{ items: Array<{ id: number; remaining: number; used: number }> }>(
      'GET',
      '/sandbox/faults',
    );
    expect(listed.body.items).toEqual([expect.objectContaining({ id: fault.id, remaining: 1, used: 1 })]);
    const removed = await t.control('DELETE', `/sandbox/faults/${fault.id}`);
    expect(removed.status).toBe(200);
    const query = await t.sdk.exec('alipay.trade.query', { bizContent: { out_trade_no: 'X1' } });
    expect(query.subCode).toBe('ACQ.TRADE_NOT_EXIST');
  });
});
