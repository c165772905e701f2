import { AlipayClient, generateRsaKeyPair, isAlipayError } from '@shop/alipay';
import { DEV_APP_ID } from '@shop/dev-identity';
import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUYER, outTradeNo, startTestSandbox, type TestSandbox } from '../test-support';

/**
 * alipay.system.oauth.token and the gateway's own checks, through the official alipay-sdk (exec with validateSign)
 * against the running sandbox over HTTP (the trade methods are in trade-methods.int.test.ts).
 * Note: alipay-sdk's validateSign looks for the `<method>_response` key, so it cannot verify `error_response` bodies
 * (oauth.token's isv.code-invalid, unknown methods): for those the test calls exec without validateSign, or reads
 * the thrown error's responseDataRaw.
 */

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.dispose();
});

async function authCode(buyerId: string = BUYER.userId): Promise<string> {
  const issued = await t.control<{ authCode: string }>('POST', '/sandbox/auth-codes', { buyerId });
  expect(issued.status).toBe(201);
  return issued.body.authCode;
}

describe('alipay.system.oauth.token', () => {
  it('exchanges an auth code for the buyer ids and tokens', async () => {
    const code = await authCode();
    const result = await t.sdk.exec(
      'alipay.system.oauth.token',
      { grantType: 'authorization_code', code },
      { validateSign: true },
    );
    expect(result.userId).toBe(BUYER.userId);
    expect(result.openId).toBe(BUYER.openId);
    expect(result.accessToken).toMatch(/^authusrB/);
    expect(Number(result.expiresIn)).toBe(1_296_000);
    expect(Number(result.reExpiresIn)).toBe(2_592_000);
    expect(result.authStart).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('refuses a reused code with isv.code-invalid in an error_response', async () => {
    const code = await authCode();
    await t.sdk.exec(
      'alipay.system.oauth.token',
      { grantType: 'authorization_code', code },
      { validateSign: true },
    );
    // validateSign cannot verify error_response (see the file comment): the SDK throws with the raw body.
    const error = await t.sdk
      .exec('alipay.system.oauth.token', { grantType: 'authorization_code', code }, { validateSign: true })
      .then(
        () => null,
        (caught: { responseDataRaw?: string }) => caught,
      );
    expect(error?.responseDataRaw).toBeDefined();
    const body = JSON.parse(error?.responseDataRaw as string) as Record<string, Record<string, string>>;
    expect(body.error_response).toMatchObject({ code: '40002', sub_code: 'isv.code-invalid' });
    // Without validateSign the SDK returns the node itself.
    const again = await t.sdk.exec('alipay.system.oauth.token', { grantType: 'authorization_code', code });
    expect(again).toMatchObject({ code: '40002', subCode: 'isv.code-invalid' });
  });

  it('refuses an expired code', async () => {
    const fast = await startTestSandbox({ timeScale: 0.0001 }); // 5 minutes -> 30 ms
    try {
      const issued = await fast.control<{ authCode: string }>('POST', '/sandbox/auth-codes', {
        buyerId: BUYER.userId,
      });
      await new Promise((resolve) => setTimeout(resolve, 80));
      const result = await fast.sdk.exec('alipay.system.oauth.token', {
        grantType: 'authorization_code',
        code: issued.body.authCode,
      });
      expect(result).toMatchObject({ code: '40002', subCode: 'isv.code-invalid' });
    } finally {
      await fast.dispose();
    }
  });

  it('refreshes tokens once with grant_type=refresh_token', async () => {
    const first = await t.sdk.exec(
      'alipay.system.oauth.token',
      { grantType: 'authorization_code', code: await authCode() },
      { validateSign: true },
    );
    const refreshed = await t.sdk.exec(
      'alipay.system.oauth.token',
      { grantType: 'refresh_token', refreshToken: first.refreshToken as string },
      { validateSign: true },
    );
    expect(refreshed.userId).toBe(BUYER.userId);
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    const reused = await t.sdk.exec('alipay.system.oauth.token', {
      grantType: 'refresh_token',
      refreshToken: first.refreshToken as string,
    });
    expect(reused).toMatchObject({ code: '40002', subCode: 'isv.refresh-token-invalid' });
  });

  it('gives open-id mode apps the open_id only', async () => {
    const keys = generateRsaKeyPair();
    const appId = '9021000000000777';
    const registered = await t.control('POST', '/sandbox/apps', {
      appId,
      publicKey: keys.publicKeyPem,
      openIdMode: true,
    });
    expect(registered.status).toBe(200);
    const issued = await t.control<{ authCode: string }>('POST', '/sandbox/auth-codes', {
      buyerId: BUYER.userId,
      appId,
    });
    const sdk = new AlipaySdk({
      appId,
      privateKey: keys.privateKeyPem,
      keyType: 'PKCS8',
      alipayPublicKey: t.keys.alipayPublicPem,
      gateway: t.sandbox.gatewayUrl,
    });
    const result = await sdk.exec(
      'alipay.system.oauth.token',
      { grantType: 'authorization_code', code: issued.body.authCode },
      { validateSign: true },
    );
    expect(result.openId).toBe(BUYER.openId);
    expect(result.userId).toBeUndefined();
  });
});

describe('gateway checks', () => {
  it('answers isv.invalid-signature to a request signed with the wrong key', async () => {
    const stranger = generateRsaKeyPair();
    const sdk = new AlipaySdk({
      appId: DEV_APP_ID,
      privateKey: stranger.privateKeyPem,
      keyType: 'PKCS8',
      alipayPublicKey: t.keys.alipayPublicPem,
      gateway: t.sandbox.gatewayUrl,
    });
    const result = await sdk.exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: 'nope' } },
      { validateSign: true },
    );
    expect(result).toMatchObject({
      code: '40002',
      msg: 'Invalid Arguments',
      subCode: 'isv.invalid-signature',
    });
    expect(result.subMsg).toContain('method=alipay.trade.query');
    expect(result.traceId).toMatch(/^[0-9a-f]{30}$/);
  });

  it('answers isv.invalid-app-id for an unregistered app', async () => {
    const sdk = new AlipaySdk({
      appId: '2021000000000000',
      privateKey: t.keys.appPrivatePem,
      keyType: 'PKCS8',
      alipayPublicKey: t.keys.alipayPublicPem,
      gateway: t.sandbox.gatewayUrl,
    });
    const result = await sdk.exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: 'x' } },
      { validateSign: true },
    );
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-app-id' });
  });

  it('answers isv.invalid-method in an error_response for an unknown method', async () => {
    const result = await t.sdk.exec('alipay.trade.pay.nonexistent', { bizContent: {} });
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-method' });
  });

  it('answers 40001 for missing common parameters', async () => {
    const post = async (query: string) => {
      const response = await fetch(`${t.sandbox.gatewayUrl}?${query}`, { method: 'POST' });
      expect(response.status).toBe(200);
      expect(response.headers.get('trace_id')).toMatch(/^[0-9a-f]{30}$/);
      return (await response.json()) as Record<string, Record<string, string>>;
    };
    expect((await post('method=alipay.trade.query')).error_response).toMatchObject({
      code: '40001',
      sub_code: 'isv.missing-app-id',
    });
    expect((await post(`app_id=${DEV_APP_ID}`)).error_response).toMatchObject({
      code: '40001',
      sub_code: 'isv.missing-method',
    });
    const noSign = await post(
      `app_id=${DEV_APP_ID}&method=alipay.trade.query&sign_type=RSA2&timestamp=2026-01-01+00:00:00&version=1.0`,
    );
    expect(noSign.alipay_trade_query_response).toMatchObject({
      code: '40001',
      sub_code: 'isv.missing-signature',
    });
  });

  it('works with our own AlipayClient too (the API uses it)', async () => {
    const client = new AlipayClient({
      appId: DEV_APP_ID,
      privateKey: t.keys.appPrivatePem,
      alipayPublicKey: t.keys.alipayPublicPem,
      gateway: t.sandbox.gatewayUrl,
    });
    const out = outTradeNo('CLIENT');
    const created = await client.tradeCreate({
      outTradeNo: out,
      totalFen: 1230,
      subject: '纯棉 T恤',
      buyerId: BUYER.userId,
    });
    const queried = await client.tradeQuery({ tradeNo: created.tradeNo });
    expect(queried).toMatchObject({ outTradeNo: out, tradeStatus: 'WAIT_BUYER_PAY', totalFen: 1230 });
    const failure = await client.tradeQuery({ outTradeNo: 'MISSING_ONE' }).catch((error: unknown) => error);
    expect(isAlipayError(failure) && failure.outcome).toBe('failed');
  });
});
