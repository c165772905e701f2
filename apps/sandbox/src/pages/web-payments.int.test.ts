import { AlipayClient, parseForm } from '@shop/alipay';
import { DEV_APP_ID } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUYER,
  eventually,
  notifyReaches,
  outTradeNo,
  sleep,
  startReceiver,
  startTestSandbox,
  type NotifyReceiver,
  type TestSandbox,
} from '../test-support';

/**
 * Paying outside the mini-program, over HTTP against the running sandbox: alipay.trade.wap.pay made by alipay-sdk's
 * pageExec (form and GET) and by our client, through the mobile cashier to a paid trade, a notify and a signed
 * return_url redirect; quitting to quit_url; alipay.trade.precreate, its scan page, expiry and close.
 */

let t: TestSandbox;
let receiver: NotifyReceiver;
let client: AlipayClient;
const RETURN_URL = 'https://shop.example.com/pay/return?order=7';
const QUIT_URL = 'https://shop.example.com/orders/7';

beforeAll(async () => {
  t = await startTestSandbox({ timeScale: 0.001 });
  receiver = await startReceiver();
  client = new AlipayClient({
    appId: DEV_APP_ID,
    privateKey: t.keys.appPrivatePem,
    alipayPublicKey: t.keys.alipayPublicPem,
    gateway: t.sandbox.gatewayUrl,
    notifyUrl: receiver.url,
  });
});
afterAll(async () => {
  await receiver.close();
  await t.dispose();
});

/** Submits a form as a browser does (urlencoded, no redirects followed); returns the response. */
function post(url: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The action and hidden fields of the first form in an HTML page (attribute values unescaped). */
function readForm(html: string): { action: string; fields: Record<string, string> } {
  const unescape = (text: string) =>
    text
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
  const action = unescape(/<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)) {
    fields[unescape(match[1] ?? '')] = unescape(match[2] ?? '');
  }
  return { action, fields };
}

function wapBiz(out: string) {
  return {
    bizContent: {
      out_trade_no: out,
      total_amount: '66.60',
      subject: '手机网站 "支付" <测试>',
      product_code: 'QUICK_WAP_WAY',
      quit_url: QUIT_URL,
    },
    returnUrl: RETURN_URL,
    notifyUrl: receiver.url,
  };
}

/** Follows the gateway's redirect to the mobile cashier and pays as `buyerId`; returns the cashier's answer. */
async function payOnCashier(gatewayResponse: Response, buyerId = BUYER.userId): Promise<Response> {
  expect(gatewayResponse.status).toBe(302);
  const cashier = new URL(gatewayResponse.headers.get('location') ?? '', t.sandbox.url);
  expect(cashier.pathname).toBe('/wap/cashier');
  const page = await fetch(cashier);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('¥66.60');
  return post(`${t.sandbox.url}/wap/cashier/pay`, {
    order: cashier.searchParams.get('order') ?? '',
    buyer_id: buyerId,
  });
}

describe('alipay.trade.wap.pay', () => {
  it('alipay-sdk pageExec (form): accepted, paid on the cashier, notified, back to return_url with a signed query', async () => {
    const out = outTradeNo('WAP');
    // Before the shopper pays, Alipay has no trade.
    const form = readForm(t.sdk.pageExec('alipay.trade.wap.pay', 'POST', wapBiz(out)));
    expect(form.fields.biz_content).toContain(out);
    const accepted = await post(form.action, form.fields);
    await expect(client.tradeQuery({ outTradeNo: out })).rejects.toMatchObject({
      subCode: 'ACQ.TRADE_NOT_EXIST',
    });

    const paid = await payOnCashier(accepted);
    expect(paid.status).toBe(302);
    const back = new URL(paid.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe('https://shop.example.com/pay/return');
    const query = parseForm(back.search.slice(1));
    expect(query.order).toBe('7');
    expect(query).toMatchObject({
      method: 'alipay.trade.wap.pay.return',
      out_trade_no: out,
      total_amount: '66.60',
      app_id: DEV_APP_ID,
    });
    // Verified like a notify: by our client and by alipay-sdk; a changed amount is refused.
    expect(client.verifyWapReturn(query)).toMatchObject({ outTradeNo: out, totalFen: 6660 });
    expect(t.sdk.checkNotifySignV2(query)).toBe(true);
    expect(() => client.verifyWapReturn({ ...query, total_amount: '0.01' })).toThrow(/not signed by Alipay/);

    await expect(client.tradeQuery({ outTradeNo: out })).resolves.toMatchObject({
      tradeStatus: 'TRADE_SUCCESS',
      totalFen: 6660,
    });
    const notify = await notifyReaches(t, out, 'payment', 'delivered');
    expect(notify.fields).toMatchObject({
      trade_status: 'TRADE_SUCCESS',
      total_amount: '66.60',
      buyer_id: BUYER.userId,
    });
    const trades = await t.control<{ items: Array<{ method: string; productCode: string }> }>(
      'GET',
      `/sandbox/trades?outTradeNo=${out}`,
    );
    expect(trades.body.items[0]).toMatchObject({
      method: 'alipay.trade.wap.pay',
      productCode: 'QUICK_WAP_WAY',
    });
  });

  it('alipay-sdk pageExec (GET URL) and our client’s wapPay URL are both accepted', async () => {
    const viaSdk = await fetch(t.sdk.pageExec('alipay.trade.wap.pay', 'GET', wapBiz(outTradeNo('WAPG'))), {
      redirect: 'manual',
    });
    expect((await payOnCashier(viaSdk)).status).toBe(302);
    const out = outTradeNo('WAPO');
    const page = client.wapPay({
      outTradeNo: out,
      totalFen: 6660,
      subject: '我们的',
      returnUrl: RETURN_URL,
      quitUrl: QUIT_URL,
    });
    const viaUs = await fetch(page.url, { redirect: 'manual' });
    const paid = await payOnCashier(viaUs);
    expect(
      client.verifyWapReturn(parseForm(new URL(paid.headers.get('location') ?? '').search.slice(1))),
    ).toMatchObject({ outTradeNo: out });
    // Our auto-submitting form posts to the same effect.
    const formPage = client.wapPay({
      outTradeNo: outTradeNo('WAPF'),
      totalFen: 6660,
      subject: '表单',
      returnUrl: RETURN_URL,
      quitUrl: QUIT_URL,
    });
    expect((await post(formPage.formAction, formPage.formFields)).status).toBe(302);
  });

  it('quitting the cashier goes to quit_url and leaves no trade', async () => {
    const out = outTradeNo('QUIT');
    const accepted = await fetch(t.sdk.pageExec('alipay.trade.wap.pay', 'GET', wapBiz(out)), {
      redirect: 'manual',
    });
    const order =
      new URL(accepted.headers.get('location') ?? '', t.sandbox.url).searchParams.get('order') ?? '';
    const quit = await post(`${t.sandbox.url}/wap/cashier/quit`, { order });
    expect(quit.status).toBe(302);
    expect(quit.headers.get('location')).toBe(QUIT_URL);
    await expect(client.tradeQuery({ outTradeNo: out })).rejects.toMatchObject({
      subCode: 'ACQ.TRADE_NOT_EXIST',
    });
  });

  it('a tampered request shows Alipay’s error page, and a poor buyer is declined on the cashier', async () => {
    const url = new URL(t.sdk.pageExec('alipay.trade.wap.pay', 'GET', wapBiz(outTradeNo('BAD'))));
    url.searchParams.set('biz_content', url.searchParams.get('biz_content')!.replace('66.60', '0.01'));
    const refused = await fetch(url, { redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('错误代码 isv.invalid-signature');

    const accepted = await fetch(t.sdk.pageExec('alipay.trade.wap.pay', 'GET', wapBiz(outTradeNo('POOR'))), {
      redirect: 'manual',
    });
    const declined = await payOnCashier(accepted, '2088000000000005');
    expect(declined.status).toBe(409);
    expect(await declined.text()).toContain('余额不足');
  });
});

describe('alipay.trade.precreate', () => {
  it('no trade before the scan; the scan page makes it WAIT_BUYER_PAY; the cashier pays it; notify sent', async () => {
    const out = outTradeNo('QR');
    const { qrCode } = await client.tradePrecreate({ outTradeNo: out, totalFen: 1288, subject: '扫码' });
    expect(qrCode).toMatch(new RegExp(`^${t.sandbox.url}/qr/bax0[0-9a-f]{20}$`));
    // Asking again for the same order returns the same code.
    await expect(
      client.tradePrecreate({ outTradeNo: out, totalFen: 1288, subject: '扫码' }),
    ).resolves.toEqual({ outTradeNo: out, qrCode });
    await expect(
      client.tradePrecreate({ outTradeNo: out, totalFen: 1289, subject: '扫码' }),
    ).rejects.toMatchObject({ subCode: 'ACQ.CONTEXT_INCONSISTENT' });
    await expect(client.tradeQuery({ outTradeNo: out })).rejects.toMatchObject({
      subCode: 'ACQ.TRADE_NOT_EXIST',
    });

    // The buyer pastes the code on /scan, lands on the code's page, and scans it.
    const pasted = await post(`${t.sandbox.url}/scan`, { qr_code: qrCode });
    expect(pasted.status).toBe(302);
    const codePage = new URL(pasted.headers.get('location') ?? '', t.sandbox.url);
    expect(codePage.toString()).toBe(qrCode);
    expect(await (await fetch(codePage)).text()).toContain('¥12.88');
    const scanned = await post(`${qrCode}/scan`, { buyer_id: BUYER.userId });
    expect(scanned.status).toBe(302);
    await expect(client.tradeQuery({ outTradeNo: out })).resolves.toMatchObject({
      tradeStatus: 'WAIT_BUYER_PAY',
      buyerUserId: BUYER.userId,
    });

    const cashier = new URL(scanned.headers.get('location') ?? '', t.sandbox.url);
    const cookie = scanned.headers.get('set-cookie')?.split(';')[0];
    const paid = await post(
      `${t.sandbox.url}/cashier/pay`,
      { trade_no: cashier.searchParams.get('trade_no') ?? '' },
      cookie,
    );
    expect(paid.status).toBe(200);
    await expect(client.tradeQuery({ outTradeNo: out })).resolves.toMatchObject({
      tradeStatus: 'TRADE_SUCCESS',
      totalFen: 1288,
    });
    const notify = await notifyReaches(t, out, 'payment', 'delivered');
    expect(
      client.verifyNotify(receiver.received.find((n) => n.fields.notify_id === notify.notifyId)!.fields),
    ).toBe(true);
    const trades = await t.control<{ items: Array<{ method: string; productCode: string }> }>(
      'GET',
      `/sandbox/trades?outTradeNo=${out}`,
    );
    expect(trades.body.items[0]).toMatchObject({
      method: 'alipay.trade.precreate',
      productCode: 'FACE_TO_FACE_PAYMENT',
    });
  });

  it('closed by out_trade_no before any scan: the code stops working and cannot be created again', async () => {
    const out = outTradeNo('QRC');
    const { qrCode } = await client.tradePrecreate({ outTradeNo: out, totalFen: 100, subject: '关闭' });
    await expect(client.tradeClose({ outTradeNo: out })).resolves.toEqual({
      outTradeNo: out,
      tradeNo: undefined,
    });
    expect((await fetch(qrCode)).status).toBe(410);
    const scanned = await post(`${qrCode}/scan`, { buyer_id: BUYER.userId });
    expect(scanned.status).toBe(409);
    await expect(
      client.tradePrecreate({ outTradeNo: out, totalFen: 100, subject: '关闭' }),
    ).rejects.toMatchObject({ subCode: 'ACQ.TRADE_HAS_CLOSE' });
    await expect(client.tradeQuery({ outTradeNo: out })).rejects.toMatchObject({
      subCode: 'ACQ.TRADE_NOT_EXIST',
    });
  });

  it('time_expire bounds the code, and a scanned trade closes with it (close notify)', async () => {
    // Time scale 0.001: 20 minutes of Alipay time pass in 1.2 s.
    const unscanned = outTradeNo('QRE');
    const { qrCode } = await client.tradePrecreate({
      outTradeNo: unscanned,
      totalFen: 100,
      subject: '过期',
      timeExpire: new Date(Date.now() + 20 * 60_000),
    });
    const scannedOut = outTradeNo('QRS');
    const second = await client.tradePrecreate({
      outTradeNo: scannedOut,
      totalFen: 100,
      subject: '过期',
      timeExpire: new Date(Date.now() + 20 * 60_000),
    });
    const token = second.qrCode.split('/qr/')[1];
    const scan = await t.control<{ tradeNo: string; status: string }>('POST', `/sandbox/qr/${token}/scan`, {
      buyerId: BUYER.userId,
    });
    expect(scan.body.status).toBe('WAIT_BUYER_PAY');
    await sleep(1500);
    expect((await fetch(qrCode)).status).toBe(410);
    await expect(client.tradeQuery({ outTradeNo: unscanned })).rejects.toMatchObject({
      subCode: 'ACQ.TRADE_NOT_EXIST',
    });
    await eventually(async () =>
      (await client.tradeQuery({ outTradeNo: scannedOut })).tradeStatus === 'TRADE_CLOSED' ? true : undefined,
    );
    const pending = await t.control<{ items: Array<{ status: string }> }>(
      'GET',
      `/sandbox/pending-orders?outTradeNo=${unscanned}`,
    );
    expect(pending.body.items[0]?.status).toBe('closed');
  });
});
