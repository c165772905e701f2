import { AlipayClient, AlipayUnknownCertificateError, generateRsaKeyPair, parseForm } from '@shop/alipay';
import { DEV_APP_ID } from '@shop/dev-identity';
import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUYER,
  notifyReaches,
  outTradeNo,
  payTrade,
  startReceiver,
  startTestSandbox,
  type NotifyReceiver,
  type TestSandbox,
} from '../test-support';

/**
 * Certificate mode against the running sandbox over HTTP, with the official alipay-sdk 4.14.0 configured with the
 * certificates the sandbox issued (unmodified: appCertContent, alipayPublicCertContent, alipayRootCertContent) and
 * with our client in certificate mode.
 */

interface Bundle {
  appId: string;
  appCertSn: string;
  appCertificate: string;
  alipayCertSn: string;
  alipayCertificate: string;
  alipayRootCertSn: string;
  alipayRootCertificate: string;
}

let t: TestSandbox;
let other: TestSandbox;
let bundle: Bundle;
let receiver: NotifyReceiver;

function certSdk(b: Bundle = bundle, gateway = t.sandbox.gatewayUrl): AlipaySdk {
  return new AlipaySdk({
    appId: DEV_APP_ID,
    privateKey: t.keys.appPrivatePem,
    keyType: 'PKCS8',
    appCertContent: b.appCertificate,
    alipayPublicCertContent: b.alipayCertificate,
    alipayRootCertContent: b.alipayRootCertificate,
    gateway,
    timeout: 10_000,
  });
}

function certClient(b: Bundle = bundle): AlipayClient {
  return new AlipayClient({
    appId: DEV_APP_ID,
    privateKey: t.keys.appPrivatePem,
    certificates: {
      appCert: b.appCertificate,
      alipayCert: b.alipayCertificate,
      alipayRootCert: b.alipayRootCertificate,
    },
    gateway: t.sandbox.gatewayUrl,
    notifyUrl: receiver.url,
  });
}

beforeAll(async () => {
  [t, other] = await Promise.all([startTestSandbox({ timeScale: 0.001 }), startTestSandbox()]);
  receiver = await startReceiver();
  const issued = await t.control<Bundle>('POST', `/sandbox/apps/${DEV_APP_ID}/certificate`, {
    publicKey: t.keys.appPublicPem,
  });
  expect(issued.status).toBe(201);
  bundle = issued.body;
});
afterAll(async () => {
  await receiver.close();
  await Promise.all([t.dispose(), other.dispose()]);
});

describe('the sandbox issues certificates like Alipay’s console', () => {
  it('the SNs it reports are the ones alipay-sdk computes from the files', () => {
    const sdk = certSdk();
    expect(sdk.config.appCertSn).toBe(bundle.appCertSn);
    expect(sdk.config.alipayCertSn).toBe(bundle.alipayCertSn);
    expect(sdk.config.alipayRootCertSn).toBe(bundle.alipayRootCertSn);
    // Two RSA roots joined by "_"; the ECDSA root of the bundle is skipped.
    expect(bundle.alipayRootCertSn).toMatch(/^[0-9a-f]{32}_[0-9a-f]{32}$/);
    expect(bundle.alipayRootCertificate.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    expect(bundle.appCertificate.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it('the app is listed in certificate mode', async () => {
    const apps = await t.control<{ items: Array<{ appId: string; mode: string; appCertSn: string }> }>(
      'GET',
      '/sandbox/apps',
    );
    expect(apps.body.items.find((app) => app.appId === DEV_APP_ID)).toMatchObject({
      mode: 'certificate',
      appCertSn: bundle.appCertSn,
    });
  });

  it('refuses a body with neither or both of publicKey and csr, or a bad key', async () => {
    for (const body of [
      {},
      { publicKey: t.keys.appPublicPem, csr: '-----BEGIN CERTIFICATE REQUEST-----' },
      { publicKey: 'x' },
    ]) {
      const response = await t.control<{ error: { code: string } }>(
        'POST',
        '/sandbox/apps/9021000000000077/certificate',
        body,
      );
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
    }
  });
});

describe('alipay-sdk in certificate mode, unmodified, against the sandbox', () => {
  it('alipay.system.oauth.token', async () => {
    const code = await t.control<{ authCode: string }>('POST', '/sandbox/auth-codes', {
      buyerId: BUYER.userId,
    });
    const result = await certSdk().exec(
      'alipay.system.oauth.token',
      { grantType: 'authorization_code', code: code.body.authCode },
      { validateSign: true },
    );
    expect(result.userId).toBe(BUYER.userId);
    expect(result.accessToken).toMatch(/^authusrB/);
  });

  it('alipay.trade.create, alipay.trade.query, alipay.trade.refund, and the notify verified by checkNotifySignV2', async () => {
    const sdk = certSdk();
    const out = outTradeNo('CERT');
    const created = await sdk.exec(
      'alipay.trade.create',
      {
        notifyUrl: receiver.url,
        bizContent: { out_trade_no: out, total_amount: '20.00', subject: '证书模式', buyer_id: BUYER.userId },
      },
      { validateSign: true },
    );
    expect(created).toMatchObject({ code: '10000', outTradeNo: out });
    await payTrade(t, created.tradeNo as string);
    const queried = await sdk.exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: out } },
      { validateSign: true },
    );
    expect(queried).toMatchObject({ code: '10000', tradeStatus: 'TRADE_SUCCESS', totalAmount: '20.00' });
    const refunded = await sdk.exec(
      'alipay.trade.refund',
      { bizContent: { out_trade_no: out, refund_amount: '5.00', out_request_no: 'R1' } },
      { validateSign: true },
    );
    expect(refunded).toMatchObject({ code: '10000', fundChange: 'Y', refundFee: '5.00' });

    const delivered = await notifyReaches(t, out, 'payment', 'delivered');
    const received = receiver.received.find((n) => n.fields.notify_id === delivered.notifyId);
    expect(received).toBeDefined();
    expect(sdk.checkNotifySignV2(received!.fields)).toBe(true);
    expect(certClient().verifyNotify(received!.fields)).toBe(true);
  });

  it('pageExec for alipay.trade.wap.pay: the sandbox accepts the signed page and opens its mobile cashier', async () => {
    const out = outTradeNo('CWAP');
    const url = certSdk().pageExec('alipay.trade.wap.pay', 'GET', {
      bizContent: {
        out_trade_no: out,
        total_amount: '9.90',
        subject: '证书模式手机支付',
        product_code: 'QUICK_WAP_WAY',
        quit_url: 'https://shop.example.com/orders/1',
      },
      returnUrl: 'https://shop.example.com/pay/return',
      notifyUrl: receiver.url,
    });
    expect(new URL(url).searchParams.get('app_cert_sn')).toBe(bundle.appCertSn);
    expect(new URL(url).searchParams.get('alipay_root_cert_sn')).toBe(bundle.alipayRootCertSn);
    const accepted = await fetch(url, { redirect: 'manual' });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get('location')).toMatch(/\/wap\/cashier\?order=/);
  });

  it('the raw response carries alipay_cert_sn beside the response node', async () => {
    const client = certClient();
    const request = client.buildRequest('alipay.trade.query', { bizContent: { out_trade_no: 'NOPE_1' } });
    const text = await (
      await fetch(request.url, {
        method: 'POST',
        body: request.body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    ).text();
    expect(text).toMatch(
      /^\{"alipay_trade_query_response":\{.*\},"alipay_cert_sn":"[0-9a-f]{32}","sign":"[^"]+"\}$/,
    );
    expect(JSON.parse(text)).toMatchObject({ alipay_cert_sn: bundle.alipayCertSn });
  });
});

describe('our client in certificate mode against the sandbox', () => {
  it('creates, queries and refunds, and verifies the notify', async () => {
    const client = certClient();
    const out = outTradeNo('OURS');
    const { tradeNo } = await client.tradeCreate({
      outTradeNo: out,
      totalFen: 1234,
      subject: '证书',
      buyerId: BUYER.userId,
    });
    await payTrade(t, tradeNo);
    await expect(client.tradeQuery({ outTradeNo: out })).resolves.toMatchObject({
      tradeStatus: 'TRADE_SUCCESS',
      totalFen: 1234,
    });
    await expect(
      client.tradeRefund({ outTradeNo: out, refundFen: 234, outRequestNo: 'R1' }),
    ).resolves.toMatchObject({ refundFeeFen: 234 });
    const delivered = await notifyReaches(t, out, 'payment', 'delivered');
    const received = receiver.received.find((n) => n.fields.notify_id === delivered.notifyId);
    expect(client.verifyNotify(received!.fields)).toBe(true);
  });
});

describe('the sandbox refuses requests that name the wrong certificates', () => {
  it('another app certificate SN: isv.app-cert-not-exist; another root: isv.invalid-alipay-root-cert-sn', async () => {
    const otherBundle = (
      await other.control<Bundle>('POST', `/sandbox/apps/${DEV_APP_ID}/certificate`, {
        publicKey: t.keys.appPublicPem,
      })
    ).body;
    // alipay-sdk with the other sandbox's app certificate (same key) but this gateway.
    const wrongApp = await certSdk({ ...bundle, appCertificate: otherBundle.appCertificate }).exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: 'X1' } },
    );
    expect(wrongApp).toMatchObject({ code: '40002', subCode: 'isv.app-cert-not-exist' });
    const wrongRoot = await certSdk({
      ...bundle,
      alipayRootCertificate: otherBundle.alipayRootCertificate,
    }).exec('alipay.trade.query', { bizContent: { out_trade_no: 'X1' } });
    expect(wrongRoot).toMatchObject({ code: '40002', subCode: 'isv.invalid-alipay-root-cert-sn' });
  });

  it('a request without the SNs is refused when strict, accepted when lenient', async () => {
    const plain = t.sdk; // public-key mode SDK: sends no SNs
    await expect(
      plain.exec('alipay.trade.query', { bizContent: { out_trade_no: 'X2' } }),
    ).resolves.toMatchObject({
      subCode: 'isv.app-cert-not-exist',
    });
    await t.control('PUT', '/sandbox/settings', { certChecks: 'lenient' });
    try {
      await expect(
        plain.exec('alipay.trade.query', { bizContent: { out_trade_no: 'X2' } }),
      ).resolves.toMatchObject({
        subCode: 'ACQ.TRADE_NOT_EXIST',
      });
    } finally {
      await t.control('PUT', '/sandbox/settings', { certChecks: 'strict' });
    }
  });
});

describe('responses and notifies under another certificate are refused by both alipay-sdk and our client', () => {
  it('a client holding the other sandbox’s certificates refuses this sandbox’s responses', async () => {
    const otherBundle = (await other.control<Bundle>('GET', `/sandbox/apps/${DEV_APP_ID}/certificate`)).body;
    // Our requests are accepted (same app key, and the SNs are this sandbox's), but the answers are signed under a
    // certificate the client does not hold and that its root did not issue.
    const foreignView = {
      ...bundle,
      alipayCertificate: otherBundle.alipayCertificate,
      alipayRootCertificate: otherBundle.alipayRootCertificate,
    };
    const sdkGot = await certSdk(foreignView)
      .exec('alipay.trade.query', { bizContent: { out_trade_no: 'X3' } }, { validateSign: true })
      .catch((e: unknown) => e);
    expect(String(sdkGot)).toMatch(/验签失败|isv.invalid-alipay-root-cert-sn/);
    const ours = certClient(foreignView);
    await expect(ours.tradeQuery({ outTradeNo: 'X3' })).rejects.toBeInstanceOf(AlipayUnknownCertificateError);
  });

  it('a notify this sandbox sent is refused by the SDK and our client holding the other sandbox’s certificates', async () => {
    const sdk = certSdk();
    const out = outTradeNo('CFOR');
    const created = await sdk.exec(
      'alipay.trade.create',
      {
        notifyUrl: receiver.url,
        bizContent: { out_trade_no: out, total_amount: '3.00', subject: '别家证书', buyer_id: BUYER.userId },
      },
      { validateSign: true },
    );
    await payTrade(t, created.tradeNo as string);
    const delivered = await notifyReaches(t, out, 'payment', 'delivered');
    const received = receiver.received.find((n) => n.fields.notify_id === delivered.notifyId)!;
    const otherBundle = (await other.control<Bundle>('GET', `/sandbox/apps/${DEV_APP_ID}/certificate`)).body;
    const foreignView = {
      ...bundle,
      alipayCertificate: otherBundle.alipayCertificate,
      alipayRootCertificate: otherBundle.alipayRootCertificate,
    };
    expect(certSdk(foreignView).checkNotifySignV2(received.fields)).toBe(false);
    expect(certClient(foreignView).verifyNotify(received.fields)).toBe(false);
    // The same notify passes with this sandbox's certificates.
    expect(sdk.checkNotifySignV2(received.fields)).toBe(true);
  });

  it('after the sandbox rotates its certificate: our client fetches and trusts the new one; the SDK refuses', async () => {
    const out = outTradeNo('ROT');
    const client = certClient();
    const { tradeNo } = await client.tradeCreate({
      outTradeNo: out,
      totalFen: 500,
      subject: '轮换',
      buyerId: BUYER.userId,
    });
    const rotated = await t.control<{ alipayCertSn: string }>(
      'POST',
      '/sandbox/certificates/alipay/rotate',
      {},
    );
    expect(rotated.status).toBe(201);
    expect(rotated.body.alipayCertSn).not.toBe(bundle.alipayCertSn);
    await expect(client.tradeQuery({ tradeNo })).resolves.toMatchObject({ tradeStatus: 'WAIT_BUYER_PAY' });
    expect(client.certificateSns?.alipayCertSns).toEqual([bundle.alipayCertSn, rotated.body.alipayCertSn]);
    await expect(
      certSdk().exec('alipay.trade.query', { bizContent: { trade_no: tradeNo } }, { validateSign: true }),
    ).rejects.toThrow(/验签失败/);
    // A notify signed under the new certificate: refused by the SDK holding the old one, accepted by our client now.
    await payTrade(t, tradeNo);
    const delivered = await notifyReaches(t, out, 'payment', 'delivered');
    const received = receiver.received.find((n) => n.fields.notify_id === delivered.notifyId)!;
    expect(certSdk().checkNotifySignV2(received.fields)).toBe(false);
    expect(certClient().verifyNotify(received.fields)).toBe(false);
    expect(client.verifyNotify(received.fields)).toBe(true);
    expect(parseForm(received.rawBody).out_trade_no).toBe(out);
  });
});

describe('certificates for a CSR', () => {
  it('issues the app certificate for the key inside a CSR', async () => {
    // A CSR made with @peculiar/x509, as Alipay's key tool makes one for the app key.
    const { Pkcs10CertificateRequestGenerator, cryptoProvider } = await import('@peculiar/x509');
    const { webcrypto } = await import('node:crypto');
    cryptoProvider.set(webcrypto);
    const pair = generateRsaKeyPair();
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const body = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s+/g, ''), 'base64');
    const keys = {
      privateKey: await webcrypto.subtle.importKey('pkcs8', body(pair.privateKeyPem), alg, true, ['sign']),
      publicKey: await webcrypto.subtle.importKey('spki', body(pair.publicKeyPem), alg, true, ['verify']),
    };
    const csr = await Pkcs10CertificateRequestGenerator.create({
      name: 'CN=9021000000000042',
      keys,
      signingAlgorithm: alg,
    });
    const issued = await t.control<Bundle>('POST', '/sandbox/apps/9021000000000042/certificate', {
      csr: csr.toString('pem'),
    });
    expect(issued.status).toBe(201);
    const client = new AlipayClient({
      appId: '9021000000000042',
      privateKey: pair.privateKeyPem,
      certificates: {
        appCert: issued.body.appCertificate,
        alipayCert: issued.body.alipayCertificate,
        alipayRootCert: issued.body.alipayRootCertificate,
      },
      gateway: t.sandbox.gatewayUrl,
    });
    await expect(client.tradeQuery({ outTradeNo: 'NONE_1' })).rejects.toMatchObject({
      subCode: 'ACQ.TRADE_NOT_EXIST',
    });
  });
});

describe('the console page does the same for a person', () => {
  it('issues from a pasted public key and serves the three .crt files', async () => {
    const form = await fetch(`${t.sandbox.url}/console/certificate`);
    expect(await form.text()).toContain('name="public_key"');
    const issued = await fetch(`${t.sandbox.url}/console/certificate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        app_id: '9021000000000055',
        public_key: t.keys.appPublicPem,
        csr: '',
      }).toString(),
    });
    expect(issued.status).toBe(201);
    const bundle55 = (await t.control<Bundle>('GET', '/sandbox/apps/9021000000000055/certificate')).body;
    expect(await issued.text()).toContain(bundle55.appCertSn);
    const file = await fetch(
      `${t.sandbox.url}/console/apps/9021000000000055/appCertPublicKey_9021000000000055.crt`,
    );
    expect(file.headers.get('content-disposition')).toContain('appCertPublicKey_9021000000000055.crt');
    expect(await file.text()).toBe(bundle55.appCertificate);
    const bad = await fetch(`${t.sandbox.url}/console/certificate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ app_id: '123', public_key: 'x' }).toString(),
    });
    expect(bad.status).toBe(400);
  });
});
