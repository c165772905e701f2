import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTrade,
  notifications,
  notifyReaches,
  payTrade,
  sleep,
  startReceiver,
  startTestSandbox,
  type NotifyReceiver,
  type TestSandbox,
} from './test-support';

/** State lives in SQLite: a restart on the same data dir keeps trades, faults and the pending notify queue. */

let t: TestSandbox;
let receiver: NotifyReceiver;
beforeAll(async () => {
  t = await startTestSandbox({ timeScale: 0.001 });
  receiver = await startReceiver((_notify, index, res) => res.end(index === 0 ? 'fail' : 'success'));
});
afterAll(async () => {
  await receiver.close();
  await t.dispose();
});

describe('restart', () => {
  it('keeps trades and faults, and resumes a pending notify', async () => {
    const trade = await createTrade(t, { total_amount: '9.90' }, receiver.url);
    await payTrade(t, trade.tradeNo);
    await receiver.waitFor(1);
    await t.control('POST', '/sandbox/faults', {
      kind: 'gateway-error',
      count: 3,
      methods: ['alipay.trade.close'],
    });
    await t.stop(); // the retry (due 240 ms after the first attempt) has not been sent
    await sleep(600);
    expect(receiver.received).toHaveLength(1);

    await t.restart();
    const query = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { trade_no: trade.tradeNo } },
      { validateSign: true },
    );
    expect(query).toMatchObject({ tradeStatus: 'TRADE_SUCCESS', totalAmount: '9.90' });
    const faults = await t.control<{ items: Array<{ kind: string; remaining: number }> }>(
      'GET',
      '/sandbox/faults',
    );
    expect(faults.body.items).toEqual([expect.objectContaining({ kind: 'gateway-error', remaining: 3 })]);

    await receiver.waitFor(2);
    const view = await notifyReaches(t, trade.outTradeNo, 'payment', 'delivered');
    expect(view.attempts.map((a) => a.outcome)).toEqual(['failure', 'success']);
    expect(receiver.received[1]?.fields.notify_id).toBe(receiver.received[0]?.fields.notify_id);
    expect(t.sdk.checkNotifySignV2(receiver.received[1]?.fields ?? {})).toBe(true);
    expect(await notifications(t, trade.outTradeNo)).toHaveLength(1);
  });
});
