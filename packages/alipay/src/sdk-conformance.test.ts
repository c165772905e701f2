/**
 * Conformance with Alipay's official Node SDK (alipay-sdk 4.x), the oracle named in ALIPAY.md: byte-identical
 * request signatures, responses our gateway side signs accepted by `exec(..., { validateSign: true })`, and notifies
 * accepted by `checkNotifySignV2` in both directions.
 */
import { createSign } from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlipayClient } from './client';
import { encodeForm, parseForm } from './form';
import { mergeGatewayParams, signGatewayResponse, signNotify, verifyGatewayRequest } from './gateway';
import { generateRsaKeyPair, keyToBase64, loadPrivateKey, loadPublicKey } from './keys';
import { parseNotifyBody, verifyNotify } from './notify';
import { requestSignContent, signRsa2 } from './sign';
import { startLocalServer, type LocalServer } from './test-support';

const APP_ID = '9021000000000001';
const app = generateRsaKeyPair();
const alipay = generateRsaKeyPair();
const appPrivate = loadPrivateKey(app.privateKeyPem);
const appPublic = loadPublicKey(app.publicKeyPem);
const alipayPrivate = loadPrivateKey(alipay.privateKeyPem);
const alipayPublic = loadPublicKey(alipay.publicKeyPem);
const appPkcs1Pem = appPrivate.export({ format: 'pem', type: 'pkcs1' }) as string;

function sdkFor(gateway: string, keyType: 'PKCS1' | 'PKCS8' = 'PKCS8'): AlipaySdk {
  return new AlipaySdk({
    appId: APP_ID,
    privateKey: keyType === 'PKCS8' ? app.privateKeyPem : appPkcs1Pem,
    keyType,
    // The console's form of Alipay's key: bare base64 SPKI.
    alipayPublicKey: keyToBase64(alipayPublic),
    gateway,
  });
}

function parseQueryString(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1));
  }
  return out;
}

// Values that break naive implementations: separators, percent signs, plus signs, unicode, emoji, empty strings.
const trickyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({
    unit: fc.constantFrom('%', '&', '=', '+', ' ', '中', '文', '😀', 'a', '/', '"', '\\'),
    maxLength: 20,
  }),
  fc.constant(''),
);
const bizKey = fc.stringMatching(/^[a-z][a-z_]{0,11}$/);

describe('request signatures match alipay-sdk byte for byte', () => {
  it.each(['PKCS8', 'PKCS1'] as const)(
    'for random biz_content and top-level values, %s key (property)',
    (keyType) => {
      const sdk = sdkFor('http://127.0.0.1:9/gateway.do', keyType);
      fc.assert(
        fc.property(
          fc.dictionary(bizKey, trickyText, { maxKeys: 6 }),
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
          (bizContent, notifyUrl) => {
            const query = sdk.sdkExecute(
              'alipay.trade.create',
              { bizContent, notifyUrl },
              { bizContentAutoSnakeCase: false },
            );
            const params = parseQueryString(query);
            const { sign, ...unsigned } = params;
            expect(signRsa2(requestSignContent(unsigned), appPrivate)).toBe(sign);
            expect(verifyGatewayRequest(params, appPublic)).toBe(true);
          },
        ),
        { numRuns: 200 },
      );
    },
  );

  it('for top-level API parameters outside biz_content (oauth token)', () => {
    const sdk = sdkFor('http://127.0.0.1:9/gateway.do');
    const params = parseQueryString(
      sdk.sdkExecute('alipay.system.oauth.token', { grantType: 'authorization_code', code: 'a%b&c=d+e 中' }),
    );
    const { sign, ...unsigned } = params;
    expect(unsigned.grant_type).toBe('authorization_code');
    expect(signRsa2(requestSignContent(unsigned), appPrivate)).toBe(sign);
  });
});

describe('over HTTP against a local gateway', () => {
  let server: LocalServer;
  let nextResponse: (method: string) => string;

  beforeAll(async () => {
    server = await startLocalServer((request, res) => {
      const params = mergeGatewayParams(request.query, request.body);
      res.setHeader('content-type', 'application/json;charset=utf-8');
      res.setHeader('trace_id', 'trace-123');
      res.end(nextResponse(params.method ?? ''));
    });
  });
  afterAll(() => server.close());

  it('the SDK puts protocol parameters in the query and biz_content in the body; our client does the same', async () => {
    nextResponse = (method) =>
      signGatewayResponse(
        method,
        { code: '10000', msg: 'Success', out_trade_no: 'T1', trade_no: '2026' },
        alipayPrivate,
      );
    const sdk = sdkFor(server.url);
    await sdk.exec('alipay.trade.create', {
      bizContent: { out_trade_no: 'T1', total_amount: '1.00', subject: 'x' },
    });
    const client = new AlipayClient({
      appId: APP_ID,
      privateKey: app.privateKeyPem,
      alipayPublicKey: alipay.publicKeyPem,
      gateway: server.url,
    });
    await client.tradeCreate({ outTradeNo: 'T1', totalFen: 100, subject: 'x', buyerId: '2088000000000001' });
    const [fromSdk, fromUs] = server.requests.slice(-2);
    // alipay-sdk 4 omits the optional `format=json`; we send it, as the documented common parameters list it.
    expect(Object.keys(fromUs!.query).sort()).toEqual([...Object.keys(fromSdk!.query), 'format'].sort());
    expect(Object.keys(fromUs!.body).sort()).toEqual(Object.keys(fromSdk!.body).sort());
    expect(Object.keys(fromUs!.body)).toEqual(['biz_content']);
    for (const request of [fromSdk!, fromUs!]) {
      expect(verifyGatewayRequest(mergeGatewayParams(request.query, request.body), appPublic)).toBe(true);
    }
  });

  it('the SDK accepts a response our gateway side signs, with validateSign', async () => {
    nextResponse = (method) =>
      signGatewayResponse(
        method,
        {
          code: '10000',
          msg: 'Success',
          trade_no: '2026112122001400000000000001',
          out_trade_no: 'ORDER_1',
          trade_status: 'TRADE_SUCCESS',
          total_amount: '12.30',
          subject: '测试 / "quoted" & more',
        },
        alipayPrivate,
      );
    const result = await sdkFor(server.url).exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: 'ORDER_1' } },
      { validateSign: true },
    );
    expect(result).toMatchObject({
      code: '10000',
      tradeStatus: 'TRADE_SUCCESS',
      totalAmount: '12.30',
      traceId: 'trace-123',
    });
  });

  it('the SDK rejects a tampered response', async () => {
    nextResponse = (method) =>
      signGatewayResponse(
        method,
        { code: '10000', msg: 'Success', total_amount: '12.30' },
        alipayPrivate,
      ).replace('12.30', '99.30');
    await expect(
      sdkFor(server.url).exec(
        'alipay.trade.query',
        { bizContent: { out_trade_no: 'ORDER_1' } },
        { validateSign: true },
      ),
    ).rejects.toThrow(/验签失败/);
  });

  it('a response the SDK-style gateway signs with escaped slashes still verifies in our client (raw substring)', async () => {
    // Alipay escapes "/" as "\/"; re-serialising the parsed node would drop the backslashes and break the signature.
    nextResponse = (method) => {
      const nodeText =
        '{"code":"10000","msg":"Success","out_trade_no":"ORDER_1","trade_no":"2026","trade_status":"TRADE_SUCCESS","total_amount":"1.00","subject":"a\\/b"}';
      const sign = signRsa2(nodeText, alipayPrivate);
      return `{"${method.replaceAll('.', '_')}_response":${nodeText},"sign":"${sign}"}`;
    };
    const client = new AlipayClient({
      appId: APP_ID,
      privateKey: app.privateKeyPem,
      alipayPublicKey: keyToBase64(alipayPublic),
      gateway: server.url,
    });
    await expect(client.tradeQuery({ outTradeNo: 'ORDER_1' })).resolves.toMatchObject({ totalFen: 100 });
    const sdkResult = await sdkFor(server.url).exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: 'ORDER_1' } },
      { validateSign: true },
    );
    expect(sdkResult.subject).toBe('a/b');
  });
});

describe('notify signatures', () => {
  const sdk = sdkFor('http://127.0.0.1:9/gateway.do');
  const baseNotify = {
    notify_time: '2026-11-21 18:30:05',
    notify_type: 'trade_status_sync',
    notify_id: '2026112100222183005000000001',
    app_id: APP_ID,
    charset: 'utf-8',
    version: '1.0',
    trade_no: '2026112122001400000000000001',
    out_trade_no: 'ORDER_1',
    trade_status: 'TRADE_SUCCESS',
    total_amount: '12.30',
    subject: '100% 纯棉 T恤 & 袜子 = 套装 + 赠品',
    fund_bill_list: '[{"amount":"12.30","fundChannel":"ALIPAYACCOUNT"}]',
    passback_params: 'a%3Db%26c',
  };

  it('a notify our gateway side signs passes checkNotifySignV2 and our verifyNotify', () => {
    const signed = signNotify(baseNotify, alipayPrivate);
    expect(signed.sign_type).toBe('RSA2');
    expect(sdk.checkNotifySignV2(signed)).toBe(true);
    expect(verifyNotify(signed, alipayPublic)).toBe(true);
  });

  it('survives the wire: encoded, posted and parsed once, it still verifies with both', () => {
    const signed = signNotify(baseNotify, alipayPrivate);
    const parsed = parseNotifyBody(
      Buffer.from(encodeForm(signed)),
      'application/x-www-form-urlencoded; text/html; charset=utf-8',
    );
    expect(parsed).toEqual(signed);
    expect(verifyNotify(parsed, alipayPublic)).toBe(true);
    expect(sdk.checkNotifySignV2(parsed)).toBe(true);
  });

  it('a notify signed by the reference algorithm (node:crypto, as alipay-sdk tests do) passes both', () => {
    // alipay-sdk ships no notify signer, so the reference is the documented algorithm written out plainly:
    // drop sign and sign_type, drop empties, sort, join raw k=v with &, SHA256withRSA.
    const content = Object.keys(baseNotify)
      .sort()
      .map((key) => `${key}=${baseNotify[key as keyof typeof baseNotify]}`)
      .join('&');
    const sign = createSign('RSA-SHA256').update(content, 'utf8').sign(alipay.privateKeyPem, 'base64');
    const notify = { ...baseNotify, sign_type: 'RSA2', sign };
    expect(verifyNotify(notify, alipayPublic)).toBe(true);
    expect(sdk.checkNotifySignV2(notify)).toBe(true);
  });

  it('our verifier drops empty values from the sign string, as Alipay does', () => {
    const signed = signNotify(baseNotify, alipayPrivate);
    expect(verifyNotify({ ...signed, buyer_logon_id: '' }, alipayPublic)).toBe(true);
  });

  it('a changed amount fails both', () => {
    const signed = { ...signNotify(baseNotify, alipayPrivate), total_amount: '1230.00' };
    expect(verifyNotify(signed, alipayPublic)).toBe(false);
    expect(sdk.checkNotifySignV2(signed)).toBe(false);
  });

  it('random field values round-trip the wire and verify with both (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(bizKey, trickyText, { maxKeys: 5 }), (extra) => {
        const fields = { ...extra, ...baseNotify };
        const signed = signNotify(fields, alipayPrivate);
        // Empty fields are never sent (alipay-sdk's checker would sign them as `key=`, Alipay's Java side drops them).
        expect(Object.values(signed)).not.toContain('');
        const parsed = parseForm(encodeForm(signed));
        expect(verifyNotify(parsed, alipayPublic)).toBe(true);
        expect(sdk.checkNotifySignV2(parsed)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
