import { AlipayClient, generateRsaKeyPair } from '@shop/alipay';
import { DEV_APP_ID, DEV_BUYERS, DEV_MESSAGE_TEMPLATES, type DevMessageTemplate } from '@shop/dev-identity';
import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUYER, startTestSandbox, type TestSandbox } from '../test-support';

/**
 * alipay.open.app.mini.templatemessage.send against the running sandbox over HTTP, through the official alipay-sdk
 * (exec with validateSign) and our AlipayClient, in public-key and certificate mode. Agreements are given through
 * the control API here; the subscribe page, the messages page and the control routes' own checks are in
 * subscriptions.int.test.ts.
 */

const METHOD = 'alipay.open.app.mini.templatemessage.send';
const [PAYMENT, SHIPPING, REFUND] = DEV_MESSAGE_TEMPLATES as readonly [
  DevMessageTemplate,
  DevMessageTemplate,
  DevMessageTemplate,
];
const SECOND = DEV_BUYERS[1] as (typeof DEV_BUYERS)[number];
const THIRD = DEV_BUYERS[2] as (typeof DEV_BUYERS)[number];
const FOURTH = DEV_BUYERS[3] as (typeof DEV_BUYERS)[number];

const PAYMENT_VALUES = {
  keyword1: 'SO20261206000001',
  keyword2: '88.88元',
  keyword3: '2026-12-06 12:30:00',
  keyword4: '纯棉T恤',
};
const SHIPPING_VALUES = {
  keyword1: 'SO20261206000002',
  keyword2: '顺丰速运',
  keyword3: 'SF1234567890',
  keyword4: '2026-12-06 15:00:00',
};

/** `data` as Alipay takes it: a JSON string of `{ "<keyword>": { "value": "..." } }`. */
const dataOf = (values: Record<string, string>) =>
  JSON.stringify(Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }])));

interface Subscriptions {
  appId: string;
  buyerId: string;
  subscriptions: Array<{ templateId: string; kind: string; title: string; remaining: number }>;
}

interface Messages {
  messages: Array<{
    id: string;
    appId: string;
    templateId: string;
    kind: string;
    title: string;
    page: string;
    data: Record<string, string>;
    receivedAt: string;
  }>;
}

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.dispose();
});

async function subscribe(buyerId: string, templateIds: string[], sandbox: TestSandbox = t) {
  const granted = await sandbox.control<Subscriptions>('POST', `/sandbox/buyers/${buyerId}/subscriptions`, {
    templateIds,
  });
  expect(granted.status).toBe(201);
  return granted.body;
}

async function remaining(buyerId: string, templateId: string, sandbox: TestSandbox = t): Promise<number> {
  const found = await sandbox.control<Subscriptions>('GET', `/sandbox/buyers/${buyerId}/subscriptions`);
  expect(found.status).toBe(200);
  return found.body.subscriptions.find((s) => s.templateId === templateId)?.remaining ?? -1;
}

async function messagesOf(buyerId: string, sandbox: TestSandbox = t) {
  const found = await sandbox.control<Messages>('GET', `/sandbox/buyers/${buyerId}/messages`);
  expect(found.status).toBe(200);
  return found.body.messages;
}

function send(biz: Record<string, unknown>, sdk: AlipaySdk = t.sdk) {
  return sdk.exec(METHOD, { bizContent: biz }, { validateSign: true });
}

const paymentBiz = (overrides: Record<string, unknown> = {}) => ({
  to_user_id: BUYER.userId,
  user_template_id: PAYMENT.id,
  page: 'pages/order/detail?id=1',
  data: dataOf(PAYMENT_VALUES),
  ...overrides,
});

function client(): AlipayClient {
  return new AlipayClient({
    appId: DEV_APP_ID,
    privateKey: t.keys.appPrivatePem,
    alipayPublicKey: t.keys.alipayPublicPem,
    gateway: t.sandbox.gatewayUrl,
  });
}

describe('through alipay-sdk (exec with validateSign)', () => {
  it('delivers a message for an agreement and spends it: a second send is USER_NOT_SUBSCRIBED', async () => {
    await subscribe(BUYER.userId, [PAYMENT.id]);
    expect(await remaining(BUYER.userId, PAYMENT.id)).toBe(1);
    const before = Date.now();

    const sent = await send(paymentBiz());
    expect(sent).toMatchObject({ code: '10000', msg: 'Success' });
    expect(await remaining(BUYER.userId, PAYMENT.id)).toBe(0);
    const [message, ...older] = await messagesOf(BUYER.userId);
    expect(older).toEqual([]);
    expect(message).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
      appId: DEV_APP_ID,
      templateId: PAYMENT.id,
      kind: 'payment',
      title: '支付成功通知',
      page: 'pages/order/detail?id=1',
      data: PAYMENT_VALUES,
      receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) as string,
    });
    expect(Date.parse(message?.receivedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);

    const again = await send(paymentBiz());
    expect(again).toMatchObject({ code: '40004', msg: 'Business Failed', subCode: 'USER_NOT_SUBSCRIBED' });
    expect(await messagesOf(BUYER.userId)).toHaveLength(1);
    expect(await remaining(BUYER.userId, PAYMENT.id)).toBe(0);
  });

  it('each agreement allows one message, by to_user_id or to_open_id; messages are listed newest first', async () => {
    await subscribe(SECOND.userId, [SHIPPING.id, SHIPPING.id]);
    expect(await remaining(SECOND.userId, SHIPPING.id)).toBe(2);
    const byOpenId = await send({
      to_open_id: SECOND.openId,
      user_template_id: SHIPPING.id,
      page: 'pages/order/detail?id=2',
      data: dataOf(SHIPPING_VALUES),
    });
    expect(byOpenId.code).toBe('10000');
    const byUserId = await send({
      to_user_id: SECOND.userId,
      user_template_id: SHIPPING.id,
      page: 'pages/order/detail?id=3',
      data: dataOf({ ...SHIPPING_VALUES, keyword1: 'SO20261206000003' }),
    });
    expect(byUserId.code).toBe('10000');
    const third = await send({
      to_user_id: SECOND.userId,
      user_template_id: SHIPPING.id,
      page: 'pages/order/detail?id=4',
      data: dataOf(SHIPPING_VALUES),
    });
    expect(third.subCode).toBe('USER_NOT_SUBSCRIBED');
    const received = await messagesOf(SECOND.userId);
    expect(received.map((m) => m.page)).toEqual(['pages/order/detail?id=3', 'pages/order/detail?id=2']);
    expect(received.map((m) => m.kind)).toEqual(['shipping', 'shipping']);
  });

  it('an agreement is for one template and one buyer', async () => {
    await subscribe(FOURTH.userId, [SHIPPING.id]);
    const otherTemplate = await send({
      to_user_id: FOURTH.userId,
      user_template_id: REFUND.id,
      page: 'pages/refund/detail?id=1',
      data: dataOf({
        keyword1: 'SO1',
        keyword2: '10.00元',
        keyword3: '2026-12-06 16:00:00',
        keyword4: '不想要了',
      }),
    });
    expect(otherTemplate.subCode).toBe('USER_NOT_SUBSCRIBED');
    const otherBuyer = await send({
      to_user_id: THIRD.userId,
      user_template_id: SHIPPING.id,
      page: 'p',
      data: dataOf(SHIPPING_VALUES),
    });
    expect(otherBuyer.subCode).toBe('USER_NOT_SUBSCRIBED');
    expect(await remaining(FOURTH.userId, SHIPPING.id)).toBe(1);
    const right = await send({
      to_user_id: FOURTH.userId,
      user_template_id: SHIPPING.id,
      page: 'p',
      data: dataOf(SHIPPING_VALUES),
    });
    expect(right.code).toBe('10000');
  });

  describe('refusals spend no agreement and record no message', () => {
    beforeAll(async () => {
      await subscribe(THIRD.userId, [PAYMENT.id]);
    });

    const third = (overrides: Record<string, unknown>) =>
      paymentBiz({ to_user_id: THIRD.userId, ...overrides });
    const withoutKey = (key: string) => {
      const biz: Record<string, unknown> = third({});
      delete biz[key];
      return biz;
    };
    const longValue = '长'.repeat(101);

    it.each([
      [
        'no to_user_id nor to_open_id',
        withoutKey('to_user_id'),
        '40001',
        'isv.missing-parameter',
        'to_open_id',
      ],
      ['an empty to_user_id', third({ to_user_id: '' }), '40001', 'isv.missing-parameter', 'to_user_id'],
      [
        'no user_template_id',
        withoutKey('user_template_id'),
        '40001',
        'isv.missing-parameter',
        'user_template_id',
      ],
      ['no page', withoutKey('page'), '40001', 'isv.missing-parameter', 'page'],
      ['no data', withoutKey('data'), '40001', 'isv.missing-parameter', 'data'],
      [
        'a malformed to_user_id',
        third({ to_user_id: '12345' }),
        '40002',
        'isv.invalid-parameter',
        'to_user_id',
      ],
      [
        'a page over 256 characters',
        third({ page: `p?${'x'.repeat(255)}` }),
        '40002',
        'isv.invalid-parameter',
        'page',
      ],
      [
        'a user_template_id over 64 characters',
        third({ user_template_id: 'x'.repeat(65) }),
        '40002',
        'isv.invalid-parameter',
        'user_template_id',
      ],
      [
        'data as an object',
        third({ data: { keyword1: { value: 'x' } } }),
        '40002',
        'isv.invalid-parameter',
        'data',
      ],
      [
        'an unknown to_user_id',
        third({ to_user_id: '2088999999999999' }),
        '40004',
        'USER_NOT_EXIST',
        '2088999999999999',
      ],
      [
        'an unknown to_open_id',
        { ...withoutKey('to_user_id'), to_open_id: 'nobody-open-id' },
        '40004',
        'USER_NOT_EXIST',
        'nobody-open-id',
      ],
      [
        'a template the app did not register',
        third({ user_template_id: 'MDI4YzIxMDE2M2I5YTQzYjUxNWE4MjA4NmU1MTIyYmM=' }),
        '40004',
        'USER_TEMPLATE_ID_NOT_EXIST',
        'MDI4YzIxMDE2M2I5YTQzYjUxNWE4MjA4NmU1MTIyYmM=',
      ],
      ['data that is not JSON', third({ data: '{keyword1' }), '40004', 'INVALID_DATA', '不是合法的 JSON'],
      ['data that is a JSON array', third({ data: '[]' }), '40004', 'INVALID_DATA', '必须是 JSON 对象'],
      [
        'a keyword the template lacks',
        third({ data: dataOf({ ...PAYMENT_VALUES, keyword5: '多余' }) }),
        '40004',
        'INVALID_DATA',
        'keyword5',
      ],
      [
        'a template keyword missing',
        third({ data: dataOf({ keyword1: 'a', keyword2: 'b', keyword3: 'c' }) }),
        '40004',
        'INVALID_DATA',
        '缺少关键词 keyword4',
      ],
      [
        'a template keyword empty',
        third({ data: dataOf({ ...PAYMENT_VALUES, keyword2: '' }) }),
        '40004',
        'INVALID_DATA',
        'keyword2（支付金额）的值为空',
      ],
      [
        'a value over 100 characters',
        third({ data: dataOf({ ...PAYMENT_VALUES, keyword4: longValue }) }),
        '40004',
        'INVALID_DATA',
        '超过 100 个字符',
      ],
    ])('%s: %s %s', async (_what, biz, code, subCode, named) => {
      const result = await send(biz);
      expect(result).toMatchObject({ code, subCode });
      expect(result.subMsg).toContain(named);
      expect(await remaining(THIRD.userId, PAYMENT.id)).toBe(1);
      expect(await messagesOf(THIRD.userId)).toEqual([]);
    });

    it('a page of exactly 256 characters is kept as given, and form_id is ignored', async () => {
      const page = `pages/order/detail?id=5&q=${'字'.repeat(230)}`;
      expect(page).toHaveLength(256);
      const result = await send(third({ page, form_id: '2017010100000000580012345678' }));
      expect(result.code).toBe('10000');
      expect((await messagesOf(THIRD.userId))[0]?.page).toBe(page);
    });
  });

  it('refuses a template registered for another app with USER_TEMPLATE_ID_NOT_EXIST', async () => {
    const keys = generateRsaKeyPair();
    const appId = '9021000000000888';
    const registered = await t.control('POST', '/sandbox/apps', { appId, publicKey: keys.publicKeyPem });
    expect(registered.status).toBe(200);
    const other = new AlipaySdk({
      appId,
      privateKey: keys.privateKeyPem,
      keyType: 'PKCS8',
      alipayPublicKey: t.keys.alipayPublicPem,
      gateway: t.sandbox.gatewayUrl,
    });
    await subscribe(FOURTH.userId, [PAYMENT.id]);
    const result = await send(paymentBiz({ to_user_id: FOURTH.userId }), other);
    expect(result).toMatchObject({ code: '40004', subCode: 'USER_TEMPLATE_ID_NOT_EXIST' });
    expect(await remaining(FOURTH.userId, PAYMENT.id)).toBe(1);
  });

  it('answers isv.invalid-signature to a request signed with another key, and delivers nothing', async () => {
    const stranger = generateRsaKeyPair();
    const forged = new AlipaySdk({
      appId: DEV_APP_ID,
      privateKey: stranger.privateKeyPem,
      keyType: 'PKCS8',
      alipayPublicKey: t.keys.alipayPublicPem,
      gateway: t.sandbox.gatewayUrl,
    });
    const before = await remaining(FOURTH.userId, PAYMENT.id);
    const result = await send(paymentBiz({ to_user_id: FOURTH.userId }), forged);
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-signature' });
    expect(result.subMsg).toContain(`method=${METHOD}`);
    expect(await remaining(FOURTH.userId, PAYMENT.id)).toBe(before);
  });

  it('a gateway-error fault for the method answers 20000 and applies nothing', async () => {
    const fault = await t.control('POST', '/sandbox/faults', {
      kind: 'gateway-error',
      count: 1,
      methods: [METHOD],
    });
    expect(fault.status).toBe(201);
    const before = await remaining(FOURTH.userId, PAYMENT.id);
    expect(before).toBeGreaterThan(0);
    const failed = await send(paymentBiz({ to_user_id: FOURTH.userId }));
    expect(failed).toMatchObject({ code: '20000', subCode: 'isp.unknow-error' });
    expect(await remaining(FOURTH.userId, PAYMENT.id)).toBe(before);
    const retried = await send(paymentBiz({ to_user_id: FOURTH.userId }));
    expect(retried.code).toBe('10000');
    expect(await remaining(FOURTH.userId, PAYMENT.id)).toBe(before - 1);
  });
});

describe('through AlipayClient.templateMessageSend', () => {
  it('sends the keyword values as data; without a new agreement the next send throws USER_NOT_SUBSCRIBED', async () => {
    await subscribe(BUYER.userId, [SHIPPING.id]);
    const result = await client().templateMessageSend({
      toUserId: BUYER.userId,
      userTemplateId: SHIPPING.id,
      page: 'pages/order/detail?id=9',
      data: SHIPPING_VALUES,
    });
    expect(result.traceId).toMatch(/^[0-9a-f]{30}$/);
    const [latest] = await messagesOf(BUYER.userId);
    expect(latest).toMatchObject({ kind: 'shipping', title: '订单发货通知', data: SHIPPING_VALUES });

    await expect(
      client().templateMessageSend({
        toUserId: BUYER.userId,
        userTemplateId: SHIPPING.id,
        page: 'pages/order/detail?id=9',
        data: SHIPPING_VALUES,
      }),
    ).rejects.toMatchObject({
      name: 'AlipayApiError',
      code: '40004',
      subCode: 'USER_NOT_SUBSCRIBED',
      outcome: 'failed',
    });
  });

  it('by open id; refusals surface their sub codes', async () => {
    await subscribe(SECOND.userId, [REFUND.id]);
    const refund = {
      keyword1: 'SO9',
      keyword2: '5.00元',
      keyword3: '2026-12-06 18:00:00',
      keyword4: '尺码不合适',
    };
    await expect(
      client().templateMessageSend({
        toOpenId: SECOND.openId,
        userTemplateId: REFUND.id,
        page: 'p',
        data: { ...refund, keyword9: 'x' },
      }),
    ).rejects.toMatchObject({ code: '40004', subCode: 'INVALID_DATA' });
    await expect(
      client().templateMessageSend({
        toOpenId: SECOND.openId,
        userTemplateId: 'unknown',
        page: 'p',
        data: refund,
      }),
    ).rejects.toMatchObject({ code: '40004', subCode: 'USER_TEMPLATE_ID_NOT_EXIST' });
    await expect(
      client().templateMessageSend({
        toOpenId: SECOND.openId,
        userTemplateId: REFUND.id,
        page: 'p',
        data: refund,
      }),
    ).resolves.toMatchObject({});
    expect((await messagesOf(SECOND.userId))[0]).toMatchObject({ kind: 'refund', data: refund });
  });
});

describe('certificate mode', () => {
  interface Bundle {
    appCertificate: string;
    alipayCertSn: string;
    alipayCertificate: string;
    alipayRootCertificate: string;
  }
  let cert: TestSandbox;
  let bundle: Bundle;
  beforeAll(async () => {
    cert = await startTestSandbox();
    const issued = await cert.control<Bundle>('POST', `/sandbox/apps/${DEV_APP_ID}/certificate`, {
      publicKey: cert.keys.appPublicPem,
    });
    expect(issued.status).toBe(201);
    bundle = issued.body;
  });
  afterAll(async () => {
    await cert.dispose();
  });

  it('alipay-sdk with the issued certificates sends a message (validateSign), and is refused after it', async () => {
    const sdk = new AlipaySdk({
      appId: DEV_APP_ID,
      privateKey: cert.keys.appPrivatePem,
      keyType: 'PKCS8',
      appCertContent: bundle.appCertificate,
      alipayPublicCertContent: bundle.alipayCertificate,
      alipayRootCertContent: bundle.alipayRootCertificate,
      gateway: cert.sandbox.gatewayUrl,
    });
    await subscribe(BUYER.userId, [PAYMENT.id], cert);
    expect(await send(paymentBiz(), sdk)).toMatchObject({ code: '10000' });
    expect(await send(paymentBiz(), sdk)).toMatchObject({ code: '40004', subCode: 'USER_NOT_SUBSCRIBED' });
    expect(await messagesOf(BUYER.userId, cert)).toHaveLength(1);
  });

  it('our client in certificate mode sends and reads refusals', async () => {
    const certClient = new AlipayClient({
      appId: DEV_APP_ID,
      privateKey: cert.keys.appPrivatePem,
      certificates: {
        appCert: bundle.appCertificate,
        alipayCert: bundle.alipayCertificate,
        alipayRootCert: bundle.alipayRootCertificate,
      },
      gateway: cert.sandbox.gatewayUrl,
    });
    await subscribe(SECOND.userId, [SHIPPING.id], cert);
    const input = { toUserId: SECOND.userId, userTemplateId: SHIPPING.id, page: 'p', data: SHIPPING_VALUES };
    await expect(certClient.templateMessageSend(input)).resolves.toMatchObject({});
    await expect(certClient.templateMessageSend(input)).rejects.toMatchObject({
      name: 'AlipayApiError',
      subCode: 'USER_NOT_SUBSCRIBED',
    });
    expect(await remaining(SECOND.userId, SHIPPING.id, cert)).toBe(0);
  });
});
