/**
 * Certificate mode (公钥证书模式) against alipay-sdk 4.14.0 configured with the same certificates, both directions:
 * byte-identical request signatures carrying app_cert_sn and alipay_root_cert_sn, responses our gateway side signs
 * (with alipay_cert_sn) accepted by `exec(..., { validateSign: true })` and by our client, responses and notifies
 * signed under another certificate refused by both, a rotated Alipay certificate fetched and trusted through the root
 * only, and the page request of alipay.trade.wap.pay and its signed return.
 */
import { AlipaySdk } from 'alipay-sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateSn, rootCertificateSn } from './cert';
import { AlipayClient, AlipayReturnError } from './client';
import { AlipayOutcomeUnknownError, AlipayUnknownCertificateError } from './errors';
import { parseForm } from './form';
import { mergeGatewayParams, signGatewayResponse, signNotify, verifyGatewayRequest } from './gateway';
import { generateRsaKeyPair, loadPrivateKey, loadPublicKey } from './keys';
import { requestSignContent, signRsa2 } from './sign';
import { certifiedKeyPair, createTestCa, type CertIdentity, type TestCa } from './test-certs';
import { startLocalServer, type LocalServer } from './test-support';

const APP_ID = '9021000000000001';
let ca: TestCa;
let app: CertIdentity;
let alipay: CertIdentity;
/** Alipay's next certificate (after a rotation), from the same CA. */
let rotated: CertIdentity;
/** A certificate of another CA, with a key Alipay never had. */
let foreign: CertIdentity;
let server: LocalServer;
let answer: (params: Record<string, string>) => string;

beforeAll(async () => {
  ca = await createTestCa('Test');
  const otherCa = await createTestCa('Other');
  [app, alipay, rotated, foreign] = await Promise.all([
    certifiedKeyPair(ca),
    certifiedKeyPair(ca),
    certifiedKeyPair(ca),
    certifiedKeyPair(otherCa),
  ]);
  server = await startLocalServer((request, res) => {
    res.setHeader('content-type', 'application/json;charset=utf-8');
    res.end(answer(mergeGatewayParams(request.query, request.body)));
  });
}, 60_000);
afterAll(() => server?.close());

function sdk(gateway = server.url, alipayCert = alipay.certPem): AlipaySdk {
  return new AlipaySdk({
    appId: APP_ID,
    privateKey: app.pair.privateKeyPem,
    keyType: 'PKCS8',
    appCertContent: app.certPem,
    alipayPublicCertContent: alipayCert,
    alipayRootCertContent: ca.rootBundlePem,
    gateway,
  });
}

function client(gateway = server.url, alipayCert = alipay.certPem): AlipayClient {
  return new AlipayClient({
    appId: APP_ID,
    privateKey: app.pair.privateKeyPem,
    certificates: { appCert: app.certPem, alipayCert, alipayRootCert: ca.rootBundlePem },
    gateway,
    notifyUrl: 'https://shop.example.com/api/alipay/notify',
  });
}

/** A gateway answer signed with `signer`'s key and naming `signer`'s certificate. */
function signedBy(signer: CertIdentity, node: Record<string, unknown>, snOf: CertIdentity = signer) {
  return (params: Record<string, string>) =>
    signGatewayResponse(params.method ?? '', node, loadPrivateKey(signer.pair.privateKeyPem), {
      alipayCertSn: certificateSn(snOf.certPem),
    });
}

function queryParams(text: string): Record<string, string> {
  return parseForm(text.includes('?') ? text.slice(text.indexOf('?') + 1) : text);
}

const bizKey = fc.stringMatching(/^[a-z][a-z_]{0,11}$/);
const tricky = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('%', '&', '=', '+', ' ', '中', '😀', '/', '"'), maxLength: 20 }),
);

describe('requests in certificate mode', () => {
  it('carry the SNs alipay-sdk sends, and the signatures match byte for byte (property)', () => {
    const theirs = sdk('http://127.0.0.1:9/gateway.do');
    const ours = client('http://127.0.0.1:9/gateway.do');
    expect(ours.mode).toBe('certificate');
    expect(ours.certificateSns).toEqual({
      appCertSn: theirs.config.appCertSn,
      alipayRootCertSn: theirs.config.alipayRootCertSn,
      alipayCertSns: [theirs.config.alipayCertSn],
    });
    fc.assert(
      fc.property(fc.dictionary(bizKey, tricky, { maxKeys: 6 }), (bizContent) => {
        const params = queryParams(
          theirs.sdkExecute('alipay.trade.create', { bizContent }, { bizContentAutoSnakeCase: false }),
        );
        const { sign, ...unsigned } = params;
        expect(unsigned.app_cert_sn).toBe(certificateSn(app.certPem));
        expect(unsigned.alipay_root_cert_sn).toBe(rootCertificateSn(ca.rootBundlePem));
        expect(signRsa2(requestSignContent(unsigned), loadPrivateKey(app.pair.privateKeyPem))).toBe(sign);
        expect(verifyGatewayRequest(params, loadPublicKey(app.pair.publicKeyPem))).toBe(true);

        const built = ours.buildRequest('alipay.trade.create', { bizContent });
        expect(built.params.app_cert_sn).toBe(unsigned.app_cert_sn);
        expect(built.params.alipay_root_cert_sn).toBe(unsigned.alipay_root_cert_sn);
        expect(verifyGatewayRequest(built.params, loadPublicKey(app.pair.publicKeyPem))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('put the SNs in the URL query, as alipay-sdk does', async () => {
    answer = signedBy(alipay, { code: '10000', msg: 'Success', out_trade_no: 'T1', trade_no: '2026' });
    await sdk().exec('alipay.trade.query', { bizContent: { out_trade_no: 'T1' } });
    await client().tradeClose({ outTradeNo: 'T1' });
    for (const request of server.requests.slice(-2)) {
      expect(request.query.app_cert_sn).toBe(certificateSn(app.certPem));
      expect(request.query.alipay_root_cert_sn).toBe(rootCertificateSn(ca.rootBundlePem));
    }
  });

  it('refuse an app certificate that certifies another key than the private key', () => {
    expect(
      () =>
        new AlipayClient({
          appId: APP_ID,
          privateKey: generateRsaKeyPair().privateKeyPem,
          certificates: {
            appCert: app.certPem,
            alipayCert: alipay.certPem,
            alipayRootCert: ca.rootBundlePem,
          },
        }),
    ).toThrow(/certifies another key/);
  });
});

describe('responses in certificate mode', () => {
  const node = {
    code: '10000',
    msg: 'Success',
    trade_no: '2026112122001400000000000001',
    out_trade_no: 'ORDER_1',
    trade_status: 'TRADE_SUCCESS',
    total_amount: '12.30',
    subject: '测试 / "quoted" & more }',
  };

  it('signed under Alipay’s certificate, with alipay_cert_sn: accepted by alipay-sdk and by our client', async () => {
    answer = signedBy(alipay, node);
    const theirs = await sdk().exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: 'ORDER_1' } },
      { validateSign: true },
    );
    expect(theirs).toMatchObject({ code: '10000', totalAmount: '12.30', subject: node.subject });
    await expect(client().tradeQuery({ outTradeNo: 'ORDER_1' })).resolves.toMatchObject({ totalFen: 1230 });
  });

  it('signed with another key under the same SN: refused by both', async () => {
    answer = signedBy(foreign, node, alipay);
    await expect(
      sdk().exec('alipay.trade.query', { bizContent: { out_trade_no: 'ORDER_1' } }, { validateSign: true }),
    ).rejects.toThrow(/验签失败/);
    const error = await client()
      .tradeQuery({ outTradeNo: 'ORDER_1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlipayOutcomeUnknownError);
    expect((error as AlipayOutcomeUnknownError).reason).toBe('bad-signature');
  });

  it('a successful response without alipay_cert_sn is refused by our client, as by the Java SDK', async () => {
    answer = (params) =>
      signGatewayResponse(params.method ?? '', node, loadPrivateKey(alipay.pair.privateKeyPem));
    await expect(client().tradeQuery({ outTradeNo: 'ORDER_1' })).rejects.toThrow(/carries no alipay_cert_sn/);
  });

  it('under a rotated certificate: our client downloads it, checks it against the root, keeps both', async () => {
    const rotatedSn = certificateSn(rotated.certPem);
    const downloads: string[] = [];
    answer = (params) => {
      if (params.method === 'alipay.open.app.alipaycert.download') {
        const sn = (JSON.parse(params.biz_content ?? '{}') as { alipay_cert_sn: string }).alipay_cert_sn;
        downloads.push(sn);
        return signedBy(rotated, {
          code: '10000',
          msg: 'Success',
          alipay_cert_content: Buffer.from(rotated.certPem).toString('base64'),
        })(params);
      }
      // Alternate between the old and the new certificate, as Alipay does while a rotation propagates.
      return (server.requests.length % 2 === 0 ? signedBy(rotated, node) : signedBy(alipay, node))(params);
    };
    const ours = client();
    for (let i = 0; i < 4; i++) {
      await expect(ours.tradeQuery({ outTradeNo: 'ORDER_1' })).resolves.toMatchObject({ totalFen: 1230 });
    }
    expect(downloads).toEqual([rotatedSn]);
    expect(ours.certificateSns?.alipayCertSns).toEqual([certificateSn(alipay.certPem), rotatedSn]);
    // alipay-sdk 4 (v2 API) has no rotation: configured with the old certificate it refuses the new signature.
    answer = signedBy(rotated, node);
    await expect(
      sdk().exec('alipay.trade.query', { bizContent: { out_trade_no: 'ORDER_1' } }, { validateSign: true }),
    ).rejects.toThrow(/验签失败/);
  });

  it('under an unknown certificate that the root did not issue: a typed error naming the SN', async () => {
    const foreignSn = certificateSn(foreign.certPem);
    answer = (params) =>
      params.method === 'alipay.open.app.alipaycert.download'
        ? signedBy(foreign, {
            code: '10000',
            msg: 'Success',
            alipay_cert_content: Buffer.from(foreign.certPem).toString('base64'),
          })(params)
        : signedBy(foreign, node)(params);
    const error = await client()
      .tradeQuery({ outTradeNo: 'ORDER_1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlipayUnknownCertificateError);
    expect(error).toMatchObject({ certSn: foreignSn, outcome: 'unknown', reason: 'unknown-certificate' });
    expect((error as Error).message).toMatch(/not trusted: no trusted root issued/);
  });

  it('a download that returns another certificate than the one asked for is refused', async () => {
    answer = (params) =>
      params.method === 'alipay.open.app.alipaycert.download'
        ? signedBy(alipay, {
            code: '10000',
            msg: 'Success',
            alipay_cert_content: Buffer.from(alipay.certPem).toString('base64'),
          })(params)
        : signedBy(rotated, node)(params);
    await expect(client().tradeQuery({ outTradeNo: 'ORDER_1' })).rejects.toThrow(/has SN .*, expected/);
  });
});

describe('notifies in certificate mode', () => {
  const fields = {
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
    subject: '100% 纯棉 & 袜子',
  };

  it('signed with the key of Alipay’s certificate: accepted by checkNotifySignV2 and by our client', () => {
    const signed = signNotify(fields, loadPrivateKey(alipay.pair.privateKeyPem));
    expect(sdk().checkNotifySignV2(signed)).toBe(true);
    expect(client().verifyNotify(signed)).toBe(true);
  });

  it('signed under another certificate: refused by both', () => {
    const signed = signNotify(fields, loadPrivateKey(foreign.pair.privateKeyPem));
    expect(sdk().checkNotifySignV2(signed)).toBe(false);
    expect(client().verifyNotify(signed)).toBe(false);
  });

  it('naming an unknown alipay_cert_sn: a typed error to fetch the certificate first', () => {
    const signed = signNotify(
      { ...fields, alipay_cert_sn: certificateSn(rotated.certPem) },
      loadPrivateKey(rotated.pair.privateKeyPem),
    );
    expect(() => client().verifyNotify(signed)).toThrow(AlipayUnknownCertificateError);
  });
});

describe('alipay.trade.wap.pay', () => {
  const input = {
    outTradeNo: 'WAP_1',
    totalFen: 1230,
    subject: 'T恤/短袖',
    returnUrl: 'https://shop.example.com/pay/return?order=1',
    quitUrl: 'https://shop.example.com/orders/1',
    timeExpire: new Date('2026-11-21T10:15:00Z'),
  };

  it('our page request matches alipay-sdk’s pageExec: same parameters, signature verifies (GET and form)', () => {
    const theirs = queryParams(
      sdk().pageExec('alipay.trade.wap.pay', 'GET', {
        bizContent: {
          out_trade_no: 'WAP_1',
          total_amount: '12.30',
          subject: 'T恤 短袖',
          product_code: 'QUICK_WAP_WAY',
          quit_url: input.quitUrl,
          time_expire: '2026-11-21 18:15:00',
        },
        returnUrl: input.returnUrl,
        notifyUrl: 'https://shop.example.com/api/alipay/notify',
      }),
    );
    const { sign, ...unsigned } = theirs;
    expect(signRsa2(requestSignContent(unsigned), loadPrivateKey(app.pair.privateKeyPem))).toBe(sign);

    const page = client().wapPay(input);
    const ours = queryParams(page.url);
    expect(verifyGatewayRequest(ours, loadPublicKey(app.pair.publicKeyPem))).toBe(true);
    // alipay-sdk adds its own `alipay_sdk` version; we send the optional `format=json`.
    expect(Object.keys(ours).sort()).toEqual(
      [...Object.keys(theirs).filter((key) => key !== 'alipay_sdk'), 'format'].sort(),
    );
    for (const key of ['app_cert_sn', 'alipay_root_cert_sn', 'return_url', 'notify_url', 'method']) {
      expect(ours[key]).toBe(theirs[key]);
    }
    expect(JSON.parse(ours.biz_content!)).toEqual(JSON.parse(theirs.biz_content!));
    // The form: protocol parameters in the action, biz_content as a field; merged they verify the same.
    const merged = mergeGatewayParams(queryParams(page.formAction), page.formFields);
    expect(merged).toEqual(ours);
    expect(page.formHtml).toContain('name="biz_content"');
    expect(page.formHtml).not.toContain(`"${input.subject}"`);
  });

  it('refuses bad input before signing', () => {
    expect(() => client().wapPay({ ...input, totalFen: 0 })).toThrow(/totalFen/);
    expect(() => client().wapPay({ ...input, returnUrl: 'javascript:alert(1)' })).toThrow(/returnUrl/);
    expect(() => client().wapPay({ ...input, outTradeNo: 'a-b' })).toThrow(/outTradeNo/);
  });

  const returned = {
    charset: 'utf-8',
    out_trade_no: 'WAP_1',
    method: 'alipay.trade.wap.pay.return',
    total_amount: '12.30',
    trade_no: '2026112122001400000000000001',
    auth_app_id: APP_ID,
    version: '1.0',
    app_id: APP_ID,
    seller_id: '2088000000009999',
    timestamp: '2026-11-21 18:16:02',
  };

  it('the signed return_url query verifies with our client and with alipay-sdk, and reads as fen', () => {
    const signed = signNotify(returned, loadPrivateKey(alipay.pair.privateKeyPem));
    expect(sdk().checkNotifySignV2(signed)).toBe(true);
    expect(client().verifyWapReturn(signed)).toEqual({
      outTradeNo: 'WAP_1',
      tradeNo: returned.trade_no,
      totalFen: 1230,
      appId: APP_ID,
      sellerId: '2088000000009999',
      timestamp: new Date('2026-11-21T10:16:02Z'),
    });
  });

  it('a tampered, foreign or other-method return is refused', () => {
    const key = loadPrivateKey(alipay.pair.privateKeyPem);
    const tampered = { ...signNotify(returned, key), total_amount: '0.01' };
    expect(() => client().verifyWapReturn(tampered)).toThrow(AlipayReturnError);
    expect(sdk().checkNotifySignV2(tampered)).toBe(false);
    const foreignSigned = signNotify(returned, loadPrivateKey(foreign.pair.privateKeyPem));
    expect(() => client().verifyWapReturn(foreignSigned)).toThrow(/not signed by Alipay/);
    const otherApp = signNotify({ ...returned, app_id: '9021000000000002' }, key);
    expect(() => client().verifyWapReturn(otherApp)).toThrow(/for app 9021000000000002/);
    const notify = signNotify({ ...returned, method: 'alipay.trade.page.pay.return' }, key);
    expect(() => client().verifyWapReturn(notify)).toThrow(/not alipay.trade.wap.pay.return/);
  });
});

describe('alipay.trade.precreate', () => {
  it('sends FACE_TO_FACE_PAYMENT with the amount as yuan and returns the qr_code', async () => {
    answer = signedBy(alipay, {
      code: '10000',
      msg: 'Success',
      out_trade_no: 'QR_1',
      qr_code: 'https://qr.alipay.com/bax08431',
    });
    const result = await client().tradePrecreate({
      outTradeNo: 'QR_1',
      totalFen: 990,
      subject: '咖啡',
      timeExpire: new Date('2026-11-21T10:15:00Z'),
    });
    expect(result).toEqual({ outTradeNo: 'QR_1', qrCode: 'https://qr.alipay.com/bax08431' });
    const request = server.requests.at(-1)!;
    expect(request.query.notify_url).toBe('https://shop.example.com/api/alipay/notify');
    expect(JSON.parse(request.body.biz_content!)).toEqual({
      out_trade_no: 'QR_1',
      total_amount: '9.90',
      subject: '咖啡',
      product_code: 'FACE_TO_FACE_PAYMENT',
      time_expire: '2026-11-21 18:15:00',
    });
  });
});
