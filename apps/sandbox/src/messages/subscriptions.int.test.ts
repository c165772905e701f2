import { DEV_APP_ID, DEV_BUYERS, DEV_MESSAGE_TEMPLATES, type DevMessageTemplate } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUYER, POOR_BUYER, startTestSandbox, type TestSandbox } from '../test-support';

/**
 * Subscription agreements and received messages over HTTP: the control routes (and their 400s), the subscribe page
 * standing in for my.requestSubscribeMessage (driven as a browser drives it: GET, then the form's POST with the
 * button pressed), the messages page, and a restart. Sending itself is in template-message.int.test.ts.
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
const RETURN = 'https://shop.example.test/pages/pay/result?order=42';
const ALL_IDS = [PAYMENT.id, SHIPPING.id, REFUND.id];

interface Subscriptions {
  appId: string;
  buyerId: string;
  subscriptions: Array<{ templateId: string; kind: string; title: string; remaining: number }>;
}

interface ErrorBody {
  error: { code: string; message: string };
}

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t.dispose();
});

const get = (path: string) => fetch(`${t.sandbox.url}${path}`, { redirect: 'manual' });

const post = (path: string, form: Record<string, string>) =>
  fetch(`${t.sandbox.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

async function remainingOf(buyerId: string): Promise<Record<string, number>> {
  const found = await t.control<Subscriptions>('GET', `/sandbox/buyers/${buyerId}/subscriptions`);
  expect(found.status).toBe(200);
  return Object.fromEntries(found.body.subscriptions.map((s) => [s.kind, s.remaining]));
}

const subscribeQuery = (params: Record<string, string>) =>
  `/sandbox/subscribe?${new URLSearchParams({
    app_id: DEV_APP_ID,
    buyer_id: SECOND.userId,
    template_ids: ALL_IDS.join(','),
    return_url: RETURN,
    ...params,
  }).toString()}`;

const subscribeForm = (overrides: Record<string, string> = {}) => ({
  app_id: DEV_APP_ID,
  buyer_id: SECOND.userId,
  template_ids: ALL_IDS.join(','),
  return_url: RETURN,
  ...overrides,
});

function dataOf(values: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }])));
}

describe('control API: /sandbox/buyers/:userId/subscriptions and /messages', () => {
  it('POST records one agreement per id (an id twice is two) and answers 201 with every template’s remaining count', async () => {
    const granted = await t.control<Subscriptions>('POST', `/sandbox/buyers/${BUYER.userId}/subscriptions`, {
      templateIds: [PAYMENT.id, PAYMENT.id, REFUND.id],
    });
    expect(granted.status).toBe(201);
    expect(granted.body).toEqual({
      appId: DEV_APP_ID,
      buyerId: BUYER.userId,
      subscriptions: [
        { templateId: PAYMENT.id, kind: 'payment', title: '支付成功通知', remaining: 2 },
        { templateId: SHIPPING.id, kind: 'shipping', title: '订单发货通知', remaining: 0 },
        { templateId: REFUND.id, kind: 'refund', title: '退款成功通知', remaining: 1 },
      ],
    });
    const again = await t.control<Subscriptions>('POST', `/sandbox/buyers/${BUYER.userId}/subscriptions`, {
      appId: DEV_APP_ID,
      templateIds: [SHIPPING.id],
    });
    expect(again.status).toBe(201);
    expect(await remainingOf(BUYER.userId)).toEqual({ payment: 2, shipping: 1, refund: 1 });
    const messages = await t.control<{ messages: unknown[] }>(
      'GET',
      `/sandbox/buyers/${BUYER.userId}/messages`,
    );
    expect(messages).toEqual({ status: 200, body: { messages: [] } });
  });

  it.each([
    ['no templateIds', {}, 'templateIds'],
    ['an empty templateIds', { templateIds: [] }, 'give at least one template id'],
    ['a template id that is not a string', { templateIds: [42] }, 'templateIds.0'],
    ['an unknown key', { templateIds: [PAYMENT.id], buyerId: BUYER.userId }, 'buyerId'],
    ['a malformed appId', { appId: 'app', templateIds: [PAYMENT.id] }, 'appId'],
    ['an unregistered app', { appId: '9021000000000999', templateIds: [PAYMENT.id] }, 'not registered'],
    [
      'a template the app does not have',
      { templateIds: [PAYMENT.id, 'nope'] },
      'nope is not a message template',
    ],
  ])('POST refuses %s with 400 VALIDATION_ERROR', async (_what, body, named) => {
    const refused = await t.control<ErrorBody>(
      'POST',
      `/sandbox/buyers/${FOURTH.userId}/subscriptions`,
      body,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION_ERROR');
    expect(refused.body.error.message).toContain(named);
    expect(await remainingOf(FOURTH.userId)).toEqual({ payment: 0, shipping: 0, refund: 0 });
  });

  it('refuses a malformed buyer id (400), an unknown buyer (404), a non-JSON body (415) and unknown query keys (400)', async () => {
    const malformed = await t.control<ErrorBody>('POST', '/sandbox/buyers/12345/subscriptions', {
      templateIds: [PAYMENT.id],
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('userId');
    for (const [method, path] of [
      ['POST', '/sandbox/buyers/2088999999999999/subscriptions'],
      ['GET', '/sandbox/buyers/2088999999999999/subscriptions'],
      ['GET', '/sandbox/buyers/2088999999999999/messages'],
    ] as const) {
      const unknown = await t.control<ErrorBody>(
        method,
        path,
        method === 'POST' ? { templateIds: [PAYMENT.id] } : undefined,
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({
        code: 'NOT_FOUND',
        message: 'buyer 2088999999999999 does not exist',
      });
    }
    const text = await fetch(`${t.sandbox.url}/sandbox/buyers/${BUYER.userId}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'templateIds=x',
    });
    expect(text.status).toBe(415);
    const query = await t.control<ErrorBody>('GET', `/sandbox/buyers/${BUYER.userId}/messages?kind=payment`);
    expect(query.status).toBe(400);
    expect(query.body.error.message).toContain('kind');
    const otherApp = await t.control<ErrorBody>(
      'GET',
      `/sandbox/buyers/${BUYER.userId}/subscriptions?appId=9021000000000999`,
    );
    expect(otherApp.status).toBe(400);
    expect(otherApp.body.error.message).toContain('not registered');
  });
});

describe('the subscribe page (GET/POST /sandbox/subscribe)', () => {
  it('shows the app asking for each template, checked, with 允许 and 拒绝', async () => {
    const page = await get(subscribeQuery({}));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const text = await page.text();
    expect(text).toContain(DEV_APP_ID);
    expect(text).toContain(SECOND.nickname);
    for (const template of DEV_MESSAGE_TEMPLATES) {
      expect(text).toContain(template.title);
      expect(text).toMatch(
        new RegExp(
          `<input[^>]*value="${template.id}"[^>]*data-testid="subscribe-template-${template.kind}"[^>]*checked`,
        ),
      );
    }
    expect(text).toMatch(/data-testid="subscribe-accept"[^>]*>\s*允许\s*</);
    expect(text).toMatch(/data-testid="subscribe-reject"[^>]*>\s*拒绝\s*</);
  });

  it('允许 records one agreement per checked template and redirects with subscribe_result', async () => {
    const before = await remainingOf(SECOND.userId);
    const allowed = await post(
      '/sandbox/subscribe',
      subscribeForm({ decision: 'accept', accept_0: PAYMENT.id, accept_2: REFUND.id }),
    );
    expect(allowed.status).toBe(302);
    const location = new URL(allowed.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('https://shop.example.test/pages/pay/result');
    expect(location.searchParams.get('order')).toBe('42');
    expect(location.searchParams.get('subscribe_result')).toBe(`${PAYMENT.id},${REFUND.id}`);
    expect(await remainingOf(SECOND.userId)).toEqual({
      payment: (before.payment ?? 0) + 1,
      shipping: before.shipping,
      refund: (before.refund ?? 0) + 1,
    });

    // The agreement lets the app send that buyer one payment message.
    const sent = await t.sdk.exec(
      METHOD,
      {
        bizContent: {
          to_user_id: SECOND.userId,
          user_template_id: PAYMENT.id,
          page: 'pages/order/detail?id=42',
          data: dataOf({
            keyword1: 'SO42',
            keyword2: '66.60元',
            keyword3: '2026-12-06 12:00:00',
            keyword4: '保温杯',
          }),
        },
      },
      { validateSign: true },
    );
    expect(sent.code).toBe('10000');
  });

  it('允许 with every template checked accepts all; 拒绝 records none and redirects with an empty subscribe_result', async () => {
    const allowed = await post(
      '/sandbox/subscribe',
      subscribeForm({
        buyer_id: THIRD.userId,
        decision: 'accept',
        accept_0: PAYMENT.id,
        accept_1: SHIPPING.id,
        accept_2: REFUND.id,
      }),
    );
    expect(new URL(allowed.headers.get('location') as string).searchParams.get('subscribe_result')).toBe(
      ALL_IDS.join(','),
    );
    expect(await remainingOf(THIRD.userId)).toEqual({ payment: 1, shipping: 1, refund: 1 });

    const refused = await post(
      '/sandbox/subscribe',
      subscribeForm({
        buyer_id: THIRD.userId,
        decision: 'reject',
        accept_0: PAYMENT.id,
        accept_1: SHIPPING.id,
      }),
    );
    expect(refused.status).toBe(302);
    const location = new URL(refused.headers.get('location') as string);
    expect(location.searchParams.has('subscribe_result')).toBe(true);
    expect(location.searchParams.get('subscribe_result')).toBe('');
    expect(await remainingOf(THIRD.userId)).toEqual({ payment: 1, shipping: 1, refund: 1 });

    const noneChecked = await post(
      '/sandbox/subscribe',
      subscribeForm({ buyer_id: THIRD.userId, decision: 'accept' }),
    );
    expect(new URL(noneChecked.headers.get('location') as string).searchParams.get('subscribe_result')).toBe(
      '',
    );
    expect(await remainingOf(THIRD.userId)).toEqual({ payment: 1, shipping: 1, refund: 1 });
  });

  it.each([
    ['an unknown app', { app_id: '9021000000000999' }, '应用 9021000000000999 不存在'],
    ['a malformed app id', { app_id: 'x' }, 'app_id'],
    ['an unknown buyer', { buyer_id: '2088999999999999' }, '买家 2088999999999999 不存在'],
    ['a malformed buyer id', { buyer_id: '42' }, 'buyer_id'],
    [
      'an unknown template',
      { template_ids: `${PAYMENT.id},nope` },
      '消息模板 nope 不是应用 9021000000000001 的模板',
    ],
    ['more than three templates', { template_ids: [...ALL_IDS, PAYMENT.id].join(',') }, 'template_ids'],
    ['a repeated template', { template_ids: `${PAYMENT.id},${PAYMENT.id}` }, 'template_ids'],
    ['an empty template in the list', { template_ids: `${PAYMENT.id},` }, 'template_ids'],
    ['no templates', { template_ids: '' }, 'template_ids'],
    ['a return_url that is not http(s)', { return_url: 'javascript:alert(1)' }, 'return_url'],
  ])('GET answers %s with a 400 page', async (_what, params, named) => {
    const page = await get(subscribeQuery(params));
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain(named);
  });

  it('POST refuses a bad form with a 400 page and records nothing', async () => {
    for (const [form, named] of [
      [subscribeForm({ buyer_id: FOURTH.userId }), 'decision'],
      [subscribeForm({ buyer_id: FOURTH.userId, decision: 'maybe' }), 'decision'],
      [subscribeForm({ buyer_id: FOURTH.userId, decision: 'accept', accept_0: SHIPPING.id }), 'accept_0'],
      [
        subscribeForm({
          buyer_id: FOURTH.userId,
          decision: 'accept',
          template_ids: PAYMENT.id,
          accept_1: SHIPPING.id,
        }),
        'accept_1',
      ],
      [subscribeForm({ buyer_id: FOURTH.userId, decision: 'accept', extra: 'x' }), 'extra'],
      [subscribeForm({ buyer_id: FOURTH.userId, decision: 'accept', app_id: '9021000000000999' }), '不存在'],
      [
        subscribeForm({ buyer_id: FOURTH.userId, decision: 'accept', return_url: 'ftp://x.test/' }),
        'return_url',
      ],
    ] as const) {
      const refused = await post('/sandbox/subscribe', form);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain(named);
    }
    expect(await remainingOf(FOURTH.userId)).toEqual({ payment: 0, shipping: 0, refund: 0 });
  });
});

describe('the messages page (GET /sandbox/messages)', () => {
  it('shows each message as a card: title, keyword labels and values, the page, China time; newest first', async () => {
    await t.control('POST', `/sandbox/buyers/${FOURTH.userId}/subscriptions`, {
      templateIds: [SHIPPING.id, REFUND.id],
    });
    const send = (templateId: string, values: Record<string, string>, page: string) =>
      t.sdk.exec(
        METHOD,
        {
          bizContent: { to_user_id: FOURTH.userId, user_template_id: templateId, page, data: dataOf(values) },
        },
        { validateSign: true },
      );
    expect(
      (
        await send(
          SHIPPING.id,
          { keyword1: 'SO7', keyword2: '<b>顺丰</b>', keyword3: 'SF0007', keyword4: '2026-12-06 09:00:00' },
          'pages/order/detail?id=7&from=msg',
        )
      ).code,
    ).toBe('10000');
    expect(
      (
        await send(
          REFUND.id,
          { keyword1: 'SO8', keyword2: '12.30元', keyword3: '2026-12-06 10:00:00', keyword4: '不想要了' },
          'pages/refund/detail?id=8',
        )
      ).code,
    ).toBe('10000');

    const page = await get(`/sandbox/messages?buyer_id=${FOURTH.userId}`);
    expect(page.status).toBe(200);
    const text = await page.text();
    const cards = text.split('data-testid="sandbox-message"').slice(1);
    expect(cards).toHaveLength(2);
    const [refundCard, shippingCard] = cards as [string, string];
    expect(refundCard).toContain('退款成功通知');
    for (const piece of ['退款金额', '12.30元', '退款原因', '不想要了', 'pages/refund/detail?id=8']) {
      expect(refundCard).toContain(piece);
    }
    expect(shippingCard).toContain('订单发货通知');
    for (const piece of ['物流公司', '运单号', 'SF0007', 'pages/order/detail?id=7&amp;from=msg']) {
      expect(shippingCard).toContain(piece);
    }
    expect(shippingCard).toContain('&lt;b&gt;顺丰&lt;/b&gt;');
    expect(shippingCard).not.toContain('<b>顺丰');
    // Received a moment ago, shown in China time (UTC+8).
    const messages = await t.control<{ messages: Array<{ receivedAt: string }> }>(
      'GET',
      `/sandbox/buyers/${FOURTH.userId}/messages`,
    );
    const receivedAt = new Date(messages.body.messages[0]?.receivedAt ?? '');
    const china = new Date(receivedAt.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
    expect(refundCard).toContain(`${china}（北京时间）`);
  });

  it('says so when there are no messages, and answers an unknown or malformed buyer with an error page', async () => {
    const empty = await get(`/sandbox/messages?buyer_id=${POOR_BUYER.userId}`);
    expect(empty.status).toBe(200);
    const text = await empty.text();
    expect(text).toContain('还没有收到消息');
    expect(text).not.toContain('data-testid="sandbox-message"');
    const unknown = await get('/sandbox/messages?buyer_id=2088999999999999');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('买家 2088999999999999 不存在');
    for (const path of ['/sandbox/messages', '/sandbox/messages?buyer_id=abc']) {
      const bad = await get(path);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('buyer_id');
    }
  });
});

describe('after a restart', () => {
  it('keeps agreements and messages, and registers the templates once', async () => {
    const remainingBefore = await remainingOf(THIRD.userId);
    const messagesBefore = await t.control('GET', `/sandbox/buyers/${FOURTH.userId}/messages`);
    await t.restart();
    const health = await t.control<{ schemaVersion: number }>('GET', '/healthz');
    expect(health.body.schemaVersion).toBe(3);
    expect(await remainingOf(THIRD.userId)).toEqual(remainingBefore);
    const found = await t.control<Subscriptions>('GET', `/sandbox/buyers/${THIRD.userId}/subscriptions`);
    expect(found.body.subscriptions.map((s) => s.templateId)).toEqual(ALL_IDS);
    expect(await t.control('GET', `/sandbox/buyers/${FOURTH.userId}/messages`)).toEqual(messagesBefore);
    const sent = await t.sdk.exec(
      METHOD,
      {
        bizContent: {
          to_user_id: THIRD.userId,
          user_template_id: SHIPPING.id,
          page: 'pages/order/detail?id=11',
          data: dataOf({
            keyword1: 'SO11',
            keyword2: '中通快递',
            keyword3: 'ZT11',
            keyword4: '2026-12-06 20:00:00',
          }),
        },
      },
      { validateSign: true },
    );
    expect(sent.code).toBe('10000');
    expect(await remainingOf(THIRD.userId)).toEqual({ ...remainingBefore, shipping: 0 });
  });
});
