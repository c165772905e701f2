import { describe, expect, it } from 'vitest';

import { createH5Platform, SIGN_IN_STORAGE_KEY, SUBSCRIBE_STORAGE_KEY, type H5Window } from './h5';
import { PlatformError } from './types';

const SANDBOX = 'http://127.0.0.1:3100';
const APP_ID = '9021000000000001';

/** A browser stand-in: a location that records where the page was sent, history and sessionStorage. */
function fakeWindow(url: string, session: Record<string, string> = {}) {
  const parsed = new URL(url);
  const assigned: string[] = [];
  const replaced: string[] = [];
  const store = new Map(Object.entries(session));
  const pageshow: Array<(event: { persisted: boolean }) => void> = [];
  let reloads = 0;
  const win: H5Window = {
    location: {
      origin: parsed.origin,
      pathname: parsed.pathname,
      search: parsed.search,
      assign: (to: string) => void assigned.push(to),
      reload: () => void (reloads += 1),
    },
    history: { state: { key: 'k' }, replaceState: (_d, _u, to) => void replaced.push(String(to)) },
    sessionStorage: {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => void store.set(key, value),
      removeItem: (key: string) => void store.delete(key),
    },
    addEventListener: (_type, listener) => void pageshow.push(listener),
  };
  return { win, assigned, replaced, store, pageshow, reloads: () => reloads };
}

const platformFor = (win: H5Window) =>
  createH5Platform(win, { sandboxUrl: SANDBOX, appId: APP_ID, randomState: () => 'state-abc' });

/** Whether a promise is still pending after the microtask queue drains. */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const winner = await Promise.race([promise.catch(() => null), Promise.resolve().then(() => marker)]);
  return winner === marker;
}

describe('the H5 platform: sign-in through the authorize page', () => {
  it('sends the shopper to /oauth/authorize with a random state kept beside the page to resume', async () => {
    const { win, assigned, store } = fakeWindow('http://shop.test/pages/product/index?id=p1');
    const pending = platformFor(win).getAuthCode();
    expect(assigned).toHaveLength(1);
    const target = new URL(assigned[0] as string);
    expect(`${target.origin}${target.pathname}`).toBe(`${SANDBOX}/oauth/authorize`);
    expect(Object.fromEntries(target.searchParams)).toEqual({
      app_id: APP_ID,
      scope: 'auth_base',
      redirect_uri: 'http://shop.test/pages/product/index?id=p1',
      state: 'state-abc',
    });
    expect(JSON.parse(store.get(SIGN_IN_STORAGE_KEY) as string)).toEqual({
      state: 'state-abc',
      returnTo: '/pages/product/index?id=p1',
    });
    expect(await isPending(pending)).toBe(true); // the page is leaving; nothing may run after it
  });

  it('takes the returned code off the URL at start and hands it over once when the state matches', () => {
    const { win, replaced, store, assigned } = fakeWindow(
      'http://shop.test/pages/product/index?id=p1&app_id=9021000000000001&source=alipay_wallet&scope=auth_base&auth_code=ac-1&state=state-abc',
      {
        [SIGN_IN_STORAGE_KEY]: JSON.stringify({ state: 'state-abc', returnTo: '/pages/product/index?id=p1' }),
      },
    );
    const platform = platformFor(win);
    expect(replaced).toEqual(['/pages/product/index?id=p1']);
    expect(platform.resumeSignIn()).toBe('ac-1');
    expect(store.has(SIGN_IN_STORAGE_KEY)).toBe(false);
    expect(platform.resumeSignIn()).toBeNull(); // single use
    expect(assigned).toEqual([]);
  });

  it('lets getAuthCode use a returned code instead of redirecting again', async () => {
    const { win, assigned } = fakeWindow('http://shop.test/pages/cart/index?auth_code=ac-2&state=s1', {
      [SIGN_IN_STORAGE_KEY]: JSON.stringify({ state: 's1', returnTo: '/pages/cart/index' }),
    });
    await expect(platformFor(win).getAuthCode()).resolves.toBe('ac-2');
    expect(assigned).toEqual([]);
  });

  it.each([
    ['another state', { [SIGN_IN_STORAGE_KEY]: JSON.stringify({ state: 'mine', returnTo: '/' }) }],
    ['no sign-in in progress', {}],
    ['unreadable storage', { [SIGN_IN_STORAGE_KEY]: '{not json' }],
  ])('refuses a returned code with %s', (_label, session) => {
    const { win, store } = fakeWindow('http://shop.test/?auth_code=forged&state=theirs', session);
    const platform = platformFor(win);
    expect(() => platform.resumeSignIn()).toThrow(PlatformError);
    expect(store.has(SIGN_IN_STORAGE_KEY)).toBe(false);
    expect(platform.resumeSignIn()).toBeNull();
  });

  it('rejects getAuthCode with STATE_MISMATCH for a forged return', async () => {
    const { win } = fakeWindow('http://shop.test/?auth_code=forged');
    await expect(platformFor(win).getAuthCode()).rejects.toMatchObject({ code: 'STATE_MISMATCH' });
  });

  it('leaves a URL without an auth code alone', () => {
    const { win, replaced } = fakeWindow('http://shop.test/pages/index/index?resultCode=9000');
    expect(platformFor(win).resumeSignIn()).toBeNull();
    expect(replaced).toEqual([]);
  });
});

describe('the H5 platform: browsing first', () => {
  it('does not sign in by itself: signing in is a visit to the authorize page', () => {
    const { win, assigned } = fakeWindow('http://shop.test/pages/index/index');
    const platform = platformFor(win);
    expect(platform.silentSignIn).toBe(false);
    expect(platform.signInAbandoned()).toBe(false);
    expect(platform.resumeSignIn()).toBeNull();
    expect(assigned).toEqual([]);
  });

  it('knows when the shopper came back from the authorize page without signing in', () => {
    const pending = { [SIGN_IN_STORAGE_KEY]: JSON.stringify({ state: 's1', returnTo: '/pages/cart/index' }) };
    const { win, store } = fakeWindow('http://shop.test/pages/cart/index', pending);
    const platform = platformFor(win);
    expect(platform.signInAbandoned()).toBe(true);
    expect(store.has(SIGN_IN_STORAGE_KEY)).toBe(false);
    // A return with a code is a sign-in, not an abandoned one.
    const back = fakeWindow('http://shop.test/pages/cart/index?auth_code=ac&state=s1', pending);
    expect(platformFor(back.win).signInAbandoned()).toBe(false);
  });

  it('starts afresh when the browser restores the page from its back-forward cache', () => {
    const { win, pageshow, reloads } = fakeWindow('http://shop.test/pages/cart/index');
    platformFor(win);
    pageshow.forEach((listener) => listener({ persisted: false }));
    expect(reloads()).toBe(0);
    pageshow.forEach((listener) => listener({ persisted: true }));
    expect(reloads()).toBe(1);
  });
});

describe('the H5 platform: paying in the cashier', () => {
  it('sends the shopper to /cashier with the trade and an absolute return URL', async () => {
    const { win, assigned } = fakeWindow('http://shop.test/pages/checkout/index');
    const pending = platformFor(win).pay('2026112122001234', {
      returnTo: '/pages/pay-result/index?orderId=o1',
    });
    const target = new URL(assigned[0] as string);
    expect(`${target.origin}${target.pathname}`).toBe(`${SANDBOX}/cashier`);
    expect(Object.fromEntries(target.searchParams)).toEqual({
      trade_no: '2026112122001234',
      return_url: 'http://shop.test/pages/pay-result/index?orderId=o1',
    });
    expect(await isPending(pending)).toBe(true);
  });
});

describe('the H5 platform: paying outside Alipay', () => {
  it('picks the way to pay from the user agent, and sends the browser to the cashier URL', async () => {
    const { win, assigned } = fakeWindow('http://shop.test/pages/order/index?id=o1');
    const phone = createH5Platform(win, {
      sandboxUrl: SANDBOX,
      appId: APP_ID,
      randomState: () => 's',
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1',
    });
    expect(phone.payChannel).toBe('wap');
    expect(phone.appUrl('/pages/pay-result/index?orderId=o1')).toBe(
      'http://shop.test/pages/pay-result/index?orderId=o1',
    );
    expect(await isPending(phone.leaveTo(`${SANDBOX}/gateway.do?x=1`))).toBe(true);
    expect(assigned).toEqual([`${SANDBOX}/gateway.do?x=1`]);
    expect(platformFor(fakeWindow('http://shop.test/').win).payChannel).toBe('qr');
  });

  it('reads return_url’s signed parameters once at start, as they arrived, and takes them off the address', () => {
    const { win, replaced } = fakeWindow(
      'http://shop.test/pages/pay-result/index?orderId=o1&method=alipay.trade.wap.pay.return' +
        '&out_trade_no=N1&total_amount=12.30&timestamp=2026-12-05+13%3A05%3A57&sign=ab%2Bc%2F%3D&sign_type=RSA2',
    );
    const platform = platformFor(win);
    expect(replaced).toEqual(['/pages/pay-result/index?orderId=o1']);
    expect(platform.wapReturnParams(['orderId'])).toEqual({
      method: 'alipay.trade.wap.pay.return',
      out_trade_no: 'N1',
      total_amount: '12.30',
      timestamp: '2026-12-05 13:05:57',
      sign: 'ab+c/=',
      sign_type: 'RSA2',
    });
    expect(
      platformFor(fakeWindow('http://shop.test/pages/pay-result/index?orderId=o1').win).wapReturnParams([]),
    ).toBe(null);
  });
});

describe('the H5 platform: subscription messages through the subscribe page', () => {
  const ASKED = ['tpl-payment', 'tpl-shipping', 'tpl-refund'];

  it('sends the shopper to /sandbox/subscribe, named by their Alipay user id, and remembers what it asked', async () => {
    const { win, assigned, store } = fakeWindow('http://shop.test/pages/checkout/index?from=cart');
    const pending = platformFor(win).requestSubscribeMessage(ASKED, {
      returnTo: '/pages/order/index?id=o1&then=pay',
      alipayUserId: '2088000000000042',
    });
    expect(assigned).toHaveLength(1);
    const target = new URL(assigned[0] as string);
    expect(`${target.origin}${target.pathname}`).toBe(`${SANDBOX}/sandbox/subscribe`);
    expect(Object.fromEntries(target.searchParams)).toEqual({
      app_id: APP_ID,
      buyer_id: '2088000000000042',
      template_ids: 'tpl-payment,tpl-shipping,tpl-refund',
      return_url: 'http://shop.test/pages/order/index?id=o1&then=pay',
    });
    expect(JSON.parse(store.get(SUBSCRIBE_STORAGE_KEY) as string)).toEqual({ templateIds: ASKED });
    expect(await isPending(pending)).toBe(true);
  });

  it('asks nothing for no templates, and cannot ask without the shopper’s Alipay user id', async () => {
    const { win, assigned } = fakeWindow('http://shop.test/pages/checkout/index');
    const platform = platformFor(win);
    await expect(
      platform.requestSubscribeMessage([], { returnTo: '/', alipayUserId: '2088000000000042' }),
    ).resolves.toEqual([]);
    await expect(
      platform.requestSubscribeMessage(ASKED, { returnTo: '/', alipayUserId: null }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    expect(assigned).toEqual([]);
  });

  it('reads the accepted ids once at start, takes them off the address and keeps the page’s own query', () => {
    const { win, replaced, store } = fakeWindow(
      'http://shop.test/pages/order/index?id=o1&then=pay&subscribe_result=tpl-payment%2Ctpl-refund',
      { [SUBSCRIBE_STORAGE_KEY]: JSON.stringify({ templateIds: ASKED }) },
    );
    const platform = platformFor(win);
    expect(replaced).toEqual(['/pages/order/index?id=o1&then=pay']);
    expect(store.has(SUBSCRIBE_STORAGE_KEY)).toBe(false);
    expect(platform.subscribeResult()).toEqual(['tpl-payment', 'tpl-refund']);
    expect(platform.subscribeResult()).toBeNull(); // single use
    expect(platform.resumeSignIn()).toBeNull();
  });

  it('reads a refusal as no ids, and counts only ids it asked for', () => {
    const refused = fakeWindow('http://shop.test/pages/order/index?id=o1&then=pay&subscribe_result=', {
      [SUBSCRIBE_STORAGE_KEY]: JSON.stringify({ templateIds: ASKED }),
    });
    expect(platformFor(refused.win).subscribeResult()).toEqual([]);
    expect(refused.replaced).toEqual(['/pages/order/index?id=o1&then=pay']);
    const widened = fakeWindow(
      'http://shop.test/pages/order/index?id=o1&subscribe_result=tpl-payment,tpl-other',
      {
        [SUBSCRIBE_STORAGE_KEY]: JSON.stringify({ templateIds: ['tpl-payment'] }),
      },
    );
    expect(platformFor(widened.win).subscribeResult()).toEqual(['tpl-payment']);
  });

  it.each([
    ['no request in progress', {}],
    ['unreadable storage', { [SUBSCRIBE_STORAGE_KEY]: '{not json' }],
  ])('ignores a return with %s, still taking it off the address', (_label, session) => {
    const { win, replaced } = fakeWindow(
      'http://shop.test/pages/order/index?id=o1&subscribe_result=tpl-payment',
      session,
    );
    expect(platformFor(win).subscribeResult()).toBeNull();
    expect(replaced).toEqual(['/pages/order/index?id=o1']);
  });

  it('forgets a request the shopper came back from without answering', () => {
    const { win, store, replaced } = fakeWindow('http://shop.test/pages/checkout/index?from=cart', {
      [SUBSCRIBE_STORAGE_KEY]: JSON.stringify({ templateIds: ASKED }),
    });
    expect(platformFor(win).subscribeResult()).toBeNull();
    expect(store.has(SUBSCRIBE_STORAGE_KEY)).toBe(false);
    expect(replaced).toEqual([]);
  });
});
