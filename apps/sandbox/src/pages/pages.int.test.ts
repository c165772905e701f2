import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_BUYERS } from '@shop/dev-identity';
import { BUYER, createTrade, POOR_BUYER, startTestSandbox, type TestSandbox } from '../test-support';

/** The H5 authorize and cashier pages, driven with plain HTTP as a browser would (forms, cookies, redirects). */

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.dispose();
});

const RETURN = 'https://shop.example.test/pay/result?order=42';

async function get(path: string, cookie?: string) {
  return fetch(`${t.sandbox.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

async function post(path: string, form: Record<string, string>, cookie?: string) {
  return fetch(`${t.sandbox.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(form).toString(),
  });
}

const cookieFor = (userId: string) => `sandbox_buyer=${userId}`;

describe('GET/POST /oauth/authorize', () => {
  it('lets the shopper pick a buyer and redirects back with a working auth_code and the state', async () => {
    const appId = t.sandbox.config.appId;
    const query = new URLSearchParams({
      app_id: appId,
      scope: 'auth_user',
      redirect_uri: 'https://shop.example.test/login/callback?from=h5',
      state: '<script>alert(1)</script>',
    });
    const page = await get(`/oauth/authorize?${query.toString()}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const text = await page.text();
    expect(text).toContain('lang="zh-CN"');
    for (const buyer of DEV_BUYERS) expect(text).toContain(buyer.nickname);
    expect(text).not.toContain('<script>alert(1)</script>');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');

    const agreed = await post('/oauth/authorize', {
      app_id: appId,
      scope: 'auth_user',
      redirect_uri: 'https://shop.example.test/login/callback?from=h5',
      state: 'xyz',
      buyer_id: DEV_BUYERS[1]?.userId as string,
    });
    expect(agreed.status).toBe(302);
    const location = new URL(agreed.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('https://shop.example.test/login/callback');
    expect(location.searchParams.get('from')).toBe('h5');
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('app_id')).toBe(appId);
    expect(agreed.headers.get('set-cookie')).toContain(`sandbox_buyer=${DEV_BUYERS[1]?.userId}`);
    const token = await t.sdk.exec(
      'alipay.system.oauth.token',
      { grantType: 'authorization_code', code: location.searchParams.get('auth_code') },
      { validateSign: true },
    );
    expect(token.userId).toBe(DEV_BUYERS[1]?.userId);
  });

  it('answers bad parameters with a 400 page, not a redirect', async () => {
    const bad = await get(
      '/oauth/authorize?app_id=9021000000000001&scope=auth_base&redirect_uri=javascript:alert(1)',
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('redirect_uri');
    const unknownApp = await get('/oauth/authorize?app_id=1&scope=auth_base&redirect_uri=https://a.test/');
    expect(unknownApp.status).toBe(400);
    const badForm = await post('/oauth/authorize', { app_id: '9021000000000001' });
    expect(badForm.status).toBe(400);
  });
});

describe('the cashier', () => {
  it('shows the trade and pays it, returning 9000 and the trade_no', async () => {
    const trade = await createTrade(t, { total_amount: '66.60', subject: '<b>保温杯<b>' });
    const page = await get(
      `/cashier?trade_no=${trade.tradeNo}&return_url=${encodeURIComponent(RETURN)}`,
      cookieFor(BUYER.userId),
    );
    const text = await page.text();
    expect(text).toContain('¥66.60');
    expect(text).toContain('&lt;b&gt;保温杯&lt;b&gt;');
    expect(text).not.toContain('<b>保温杯');
    expect(text).toContain(BUYER.nickname);
    expect(text).toContain('确认付款');

    const paid = await post(
      '/cashier/pay',
      { trade_no: trade.tradeNo, return_url: RETURN },
      cookieFor(BUYER.userId),
    );
    expect(paid.status).toBe(302);
    const location = new URL(paid.headers.get('location') as string);
    expect(location.searchParams.get('resultCode')).toBe('9000');
    expect(location.searchParams.get('trade_no')).toBe(trade.tradeNo);
    expect(location.searchParams.get('order')).toBe('42');
    const query = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { trade_no: trade.tradeNo } },
      { validateSign: true },
    );
    expect(query.tradeStatus).toBe('TRADE_SUCCESS');

    const again = await post(
      '/cashier/pay',
      { trade_no: trade.tradeNo, return_url: RETURN },
      cookieFor(BUYER.userId),
    );
    expect(new URL(again.headers.get('location') as string).searchParams.get('resultCode')).toBe('4000');
  });

  it('returns 6001 when the shopper cancels, leaving the trade payable', async () => {
    const trade = await createTrade(t);
    const cancelled = await post('/cashier/cancel', { trade_no: trade.tradeNo, return_url: RETURN });
    expect(new URL(cancelled.headers.get('location') as string).searchParams.get('resultCode')).toBe('6001');
    const query = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { trade_no: trade.tradeNo } },
      { validateSign: true },
    );
    expect(query.tradeStatus).toBe('WAIT_BUYER_PAY');
  });

  it('refuses a buyer who is not the trade’s buyer', async () => {
    const trade = await createTrade(t);
    const other = DEV_BUYERS[2]?.userId as string;
    const page = await get(`/cashier?trade_no=${trade.tradeNo}`, cookieFor(other));
    const text = await page.text();
    expect(text).toContain('不是这笔交易的付款人');
    expect(text).not.toContain('确认付款');
    const attempt = await post(
      '/cashier/pay',
      { trade_no: trade.tradeNo, return_url: RETURN },
      cookieFor(other),
    );
    const location = new URL(attempt.headers.get('location') as string);
    expect(location.searchParams.get('resultCode')).toBe('4000');
    expect(location.searchParams.get('memo')).toContain('付款人');
    const query = await t.sdk.exec(
      'alipay.trade.query',
      { bizContent: { trade_no: trade.tradeNo } },
      { validateSign: true },
    );
    expect(query.tradeStatus).toBe('WAIT_BUYER_PAY');
  });

  it('fails with 4000 when the balance is too low or the trade is closed', async () => {
    const poor = await createTrade(t, { buyer_id: POOR_BUYER.userId, total_amount: '5.01' });
    const declined = await post(
      '/cashier/pay',
      { trade_no: poor.tradeNo, return_url: RETURN },
      cookieFor(POOR_BUYER.userId),
    );
    const location = new URL(declined.headers.get('location') as string);
    expect(location.searchParams.get('resultCode')).toBe('4000');
    expect(location.searchParams.get('memo')).toContain('余额不足');

    const closed = await createTrade(t);
    await t.sdk.exec('alipay.trade.close', { bizContent: { trade_no: closed.tradeNo } });
    const page = await get(`/cashier?trade_no=${closed.tradeNo}`);
    expect(await page.text()).toContain('交易已关闭');
    const refused = await post('/cashier/pay', { trade_no: closed.tradeNo, return_url: RETURN });
    expect(new URL(refused.headers.get('location') as string).searchParams.get('resultCode')).toBe('4000');
  });

  it('answers an unknown trade with a 404 page', async () => {
    const page = await get('/cashier?trade_no=123');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
  });
});
