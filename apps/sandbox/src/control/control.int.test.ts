import { generateRsaKeyPair } from '@shop/alipay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUYER,
  createTrade,
  notifyReaches,
  payTrade,
  startReceiver,
  startTestSandbox,
  type NotifyReceiver,
  type TestSandbox,
} from '../test-support';

/** The JSON control API: what tests and tools drive, and its answers to bad input (400, never 500). */

let t: TestSandbox;
let receiver: NotifyReceiver;
beforeAll(async () => {
  t = await startTestSandbox({ timeScale: 0.001 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await t.dispose();
});

interface ErrorResponse {
  error: { code: string; message: string; details?: Array<{ path: string; message: string }> };
}

describe('bad input', () => {
  const raw = (method: string, path: string, body: string, contentType = 'application/json') =>
    fetch(`${t.sandbox.url}${path}`, { method, headers: { 'content-type': contentType }, body });

  it.each([
    ['POST', '/sandbox/apps', { appId: '123', publicKey: 'x' }, 'appId'],
    ['POST', '/sandbox/apps', { appId: '9021000000000002', publicKey: 'not a key' }, 'publicKey'],
    ['POST', '/sandbox/buyers', { nickname: '', balanceFen: 1 }, 'nickname'],
    ['POST', '/sandbox/buyers', { nickname: 'x', balanceFen: -1 }, 'balanceFen'],
    ['POST', '/sandbox/buyers', { nickname: 'x', balanceFen: 1.5 }, 'balanceFen'],
    ['POST', '/sandbox/buyers', { nickname: 'x', balanceFen: 1, extra: true }, 'extra'],
    ['PATCH', `/sandbox/buyers/${BUYER.userId}`, {}, 'nickname or balanceFen'],
    ['POST', '/sandbox/auth-codes', {}, 'buyerId'],
    ['POST', '/sandbox/auth-codes', { buyerId: 'abc' }, 'buyerId'],
    ['POST', '/sandbox/faults', { kind: 'notify-explode' }, 'kind'],
    ['POST', '/sandbox/faults', { kind: 'notify-duplicate', copies: 1 }, 'copies'],
    ['POST', '/sandbox/faults', { kind: 'notify-drop', count: 0 }, 'count'],
    ['POST', '/sandbox/faults', { kind: 'gateway-error', methods: ['DROP TABLE'] }, 'methods'],
    ['POST', '/sandbox/faults', { kind: 'notify-tamper', mode: 'everything' }, 'mode'],
    ['POST', '/sandbox/bills/adjustments', { tradeNo: '1', field: 'serviceFee' }, 'field and amountFen'],
    ['PUT', '/sandbox/settings', { billsSameDay: 'yes' }, 'billsSameDay'],
    ['POST', '/sandbox/trades/123/pay', { force: 'true' }, 'force'],
    ['POST', '/sandbox/trades/abc/pay', {}, 'tradeNo'],
  ])('%s %s %j is a 400 naming %s', async (method, path, body, field) => {
    const response = await t.control<ErrorResponse>(method, path, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.message).toContain(field);
  });

  it('rejects malformed JSON, wrong content types and bad queries', async () => {
    const malformed = await raw('POST', '/sandbox/buyers', '{"nickname":');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ErrorResponse).error.message).toContain('JSON');
    const form = await raw('POST', '/sandbox/buyers', 'nickname=x', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    const query = await t.control<ErrorResponse>('GET', '/sandbox/notifications');
    expect(query.status).toBe(400);
    expect(query.body.error.message).toContain('outTradeNo or tradeNo');
    const ledger = await t.control<ErrorResponse>('GET', '/sandbox/ledger?outTradeNo=a-b');
    expect(ledger.status).toBe(400);
  });

  it('answers unknown things with 404 and unknown routes with the same error shape', async () => {
    const trade = await t.control<ErrorResponse>('GET', '/sandbox/trades/123456');
    expect(trade.status).toBe(404);
    expect(trade.body.error.code).toBe('NOT_FOUND');
    const refund = await t.control<ErrorResponse>('POST', '/sandbox/trades/123456/refund', { amountFen: 1 });
    expect(refund.status).toBe(404);
    const route = await t.control<ErrorResponse>('GET', '/sandbox/nothing-here');
    expect(route.status).toBe(404);
    const fault = await t.control<ErrorResponse>('DELETE', '/sandbox/faults/99999');
    expect(fault.status).toBe(404);
  });
});

describe('apps and buyers', () => {
  it('registers or replaces an app key', async () => {
    const keys = generateRsaKeyPair();
    const response = await t.control('POST', '/sandbox/apps', {
      appId: '9021000000000042',
      publicKey: keys.publicKeyPem,
    });
    expect(response.status).toBe(200);
    const apps = await t.control<{ items: Array<{ appId: string }> }>('GET', '/sandbox/apps');
    expect(apps.body.items.map((app) => app.appId)).toContain('9021000000000042');
  });

  it('creates, lists and updates buyers; duplicates are a 409', async () => {
    const created = await t.control<{ userId: string; openId: string; balanceFen: number }>(
      'POST',
      '/sandbox/buyers',
      {
        nickname: '测试买家',
        balanceFen: 1234,
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.userId).toMatch(/^2088\d{12}$/);
    const duplicate = await t.control<ErrorResponse>('POST', '/sandbox/buyers', {
      userId: created.body.userId,
      nickname: 'again',
      balanceFen: 0,
    });
    expect(duplicate.status).toBe(409);
    const updated = await t.control<{ balanceFen: number }>(
      'PATCH',
      `/sandbox/buyers/${created.body.userId}`,
      {
        balanceFen: 99,
      },
    );
    expect(updated.body.balanceFen).toBe(99);
    const list = await t.control<{ items: Array<{ userId: string }> }>('GET', '/sandbox/buyers');
    expect(list.body.items.map((buyer) => buyer.userId)).toContain(created.body.userId);
  });
});

describe('trades', () => {
  it('looks trades up by outTradeNo and shows their events', async () => {
    const trade = await createTrade(t);
    const found = await t.control<{ items: Array<{ tradeNo: string; events: Array<{ kind: string }> }> }>(
      'GET',
      `/sandbox/trades?outTradeNo=${trade.outTradeNo}`,
    );
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]?.tradeNo).toBe(trade.tradeNo);
    expect(found.body.items[0]?.events.map((event) => event.kind)).toEqual(['created']);
  });

  it('cancel is the buyer leaving the cashier (6001): the trade stays payable', async () => {
    const trade = await createTrade(t);
    const cancelled = await t.control<{ resultCode: string; trade: { status: string } }>(
      'POST',
      `/sandbox/trades/${trade.tradeNo}/cancel`,
    );
    expect(cancelled.body).toMatchObject({ resultCode: '6001', trade: { status: 'WAIT_BUYER_PAY' } });
  });

  it('pays the only buyer; another buyer is refused', async () => {
    const trade = await createTrade(t);
    const wrong = await t.control<{ resultCode: string; reason: string }>(
      'POST',
      `/sandbox/trades/${trade.tradeNo}/pay`,
      {
        buyerId: '2088000000000002',
      },
    );
    expect(wrong.body).toMatchObject({ resultCode: '4000', reason: 'WRONG_BUYER' });
    await payTrade(t, trade.tradeNo, { buyerId: BUYER.userId });
  });

  it('force-pays a closed trade (paid after close) and notifies TRADE_SUCCESS', async () => {
    const trade = await createTrade(t, {}, receiver.url);
    await t.sdk.exec('alipay.trade.close', { bizContent: { trade_no: trade.tradeNo } });
    const refused = await t.control<{ resultCode: string; reason: string }>(
      'POST',
      `/sandbox/trades/${trade.tradeNo}/pay`,
    );
    expect(refused.body).toMatchObject({ resultCode: '4000', reason: 'TRADE_CLOSED' });
    const forced = await t.control<{ resultCode: string; trade: { status: string } }>(
      'POST',
      `/sandbox/trades/${trade.tradeNo}/pay`,
      { force: true },
    );
    expect(forced.body).toMatchObject({ resultCode: '9000', trade: { status: 'TRADE_SUCCESS' } });
    const notify = await notifyReaches(t, trade.outTradeNo, 'payment', 'delivered');
    expect(notify.fields.trade_status).toBe('TRADE_SUCCESS');
  });

  it('expires an unpaid trade now, with its close notify', async () => {
    const trade = await createTrade(t, {}, receiver.url);
    const expired = await t.control<{ status: string; closeReason: string }>(
      'POST',
      `/sandbox/trades/${trade.tradeNo}/expire`,
    );
    expect(expired.body).toMatchObject({ status: 'TRADE_CLOSED', closeReason: 'timeout' });
    const notify = await notifyReaches(t, trade.outTradeNo, 'close', 'delivered');
    expect(notify.fields.trade_status).toBe('TRADE_CLOSED');
    const again = await t.control<ErrorResponse>('POST', `/sandbox/trades/${trade.tradeNo}/expire`);
    expect(again.status).toBe(409);
  });

  it('refunds behind the shop’s back, once per request number, visible in the ledger', async () => {
    const trade = await createTrade(t, { total_amount: '20.00' }, receiver.url);
    await payTrade(t, trade.tradeNo);
    const first = await t.control<{ fundChange: boolean; refund: { outRequestNo: string } }>(
      'POST',
      `/sandbox/trades/${trade.tradeNo}/refund`,
      { amountFen: 500, outRequestNo: 'BACK1' },
    );
    expect(first.body).toMatchObject({ fundChange: true, refund: { outRequestNo: 'BACK1' } });
    const repeat = await t.control<{ fundChange: boolean }>(
      'POST',
      `/sandbox/trades/${trade.tradeNo}/refund`,
      {
        amountFen: 500,
        outRequestNo: 'BACK1',
      },
    );
    expect(repeat.body.fundChange).toBe(false);
    const generated = await t.control<{ refund: { outRequestNo: string } }>(
      'POST',
      `/sandbox/trades/${trade.tradeNo}/refund`,
      {
        amountFen: 100,
      },
    );
    expect(generated.body.refund.outRequestNo).toMatch(/^SBX\d{20}$/);
    const over = await t.control<ErrorResponse>('POST', `/sandbox/trades/${trade.tradeNo}/refund`, {
      amountFen: 1401,
    });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL');
    const ledger = await t.control<{ items: Array<{ kind: string; amountFen: number }>; totals: unknown }>(
      'GET',
      `/sandbox/ledger?tradeNo=${trade.tradeNo}`,
    );
    expect(ledger.body.items.map((entry) => [entry.kind, entry.amountFen])).toEqual([
      ['payment', 2000],
      ['refund', 500],
      ['refund', 100],
    ]);
    expect(ledger.body.totals).toEqual({ paidFen: 2000, refundedFen: 600 });
  });
});
