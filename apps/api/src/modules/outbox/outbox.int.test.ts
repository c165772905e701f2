import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  AdminNotificationList,
  ErrorBody,
  MessageTemplateList,
  ShopperMessageList,
  WebhookDeliveryList,
  WebhookEndpointWithSecret,
} from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver';
import { demoAdmins, type DemoAdmins } from '../admin/test-support';
import {
  addFault,
  eventually,
  notifyAttempted,
  openTrade,
  payAtSandbox,
  postNotify,
  signUpShopper,
  waitForStatus,
  type Shopper,
} from '../payment/test-support';
import { runOutbox } from './worker';

/**
 * The outbox end to end on a real system: notifies from the sandbox, the delivery worker's passes, a real HTTP
 * receiver standing in for a merchant's ERP, and the sandbox's alipay.open.app.mini.templatemessage.send.
 */

/**
 * A receiver's check of a delivery, written from the README ("Webhooks", verifying a delivery) and nothing else:
 * split `Shop-Signature` on commas into `t=` and `v1=` parts; HMAC-SHA256 keyed with the secret over
 * `<t>.<body>`; hex; compare in constant time with each v1; refuse a t more than 300 seconds away.
 */
function receiverAccepts(
  header: string | undefined,
  body: string,
  secret: string,
  nowSeconds: number,
): boolean {
  if (!header) return false;
  const pairs = header.split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at), part.slice(at + 1)] as const;
  });
  const t = pairs.find(([key]) => key === 't')?.[1];
  if (!t || !/^\d+$/.test(t) || Math.abs(nowSeconds - Number(t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest();
  return pairs
    .filter(([key]) => key === 'v1')
    .some(([, hex]) => {
      const given = Buffer.from(hex, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

let sys: TestSystem;
let admins: DemoAdmins;
let receiver: WebhookReceiver;
let endpoint: WebhookEndpointWithSecret;
let alice: Shopper;
let paymentTemplate: string;

beforeAll(async () => {
  sys = await startTestSystem({
    env: {
      WEBHOOK_RETRY_FIRST_MS: '40',
      WEBHOOK_RETRY_MAX_INTERVAL_MS: '200',
      WEBHOOK_RETRY_WINDOW_MS: '3000',
    },
  });
  admins = await demoAdmins(sys);
  receiver = await startWebhookReceiver();
  const created = await sys.request<WebhookEndpointWithSecret>('POST', '/api/admin/webhooks', {
    token: admins.owner.token,
    body: { url: receiver.url, events: ['order.paid', 'refund.succeeded'], description: 'ERP' },
  });
  expect(created.status, created.text).toBe(201);
  endpoint = created.body;
  alice = await signUpShopper(sys, DEV_BUYERS[0]!.userId);
  const templates = await sys.request<MessageTemplateList>('GET', '/api/message-templates');
  paymentTemplate = templates.body.templates.find((t) => t.kind === 'payment')!.templateId;
});

afterAll(async () => {
  await receiver.close();
  await sys.close();
});

/** Runs the worker until `done` says so (retries are due after their backoff). */
async function deliverUntil(done: () => Promise<boolean> | boolean): Promise<void> {
  for (let pass = 0; pass < 200; pass++) {
    await runOutbox(sys.api.deps);
    if (await done()) return;
    await sleep(25);
  }
  throw new Error('the outbox never got there');
}

/** The shopper agrees to one payment message: at Alipay (the sandbox plays the client) and at the shop. */
async function agreeToPaymentMessage(shopper: Shopper): Promise<void> {
  const atAlipay = await sys.sandbox('POST', `/sandbox/buyers/${shopper.buyerId}/subscriptions`, {
    templateIds: [paymentTemplate],
  });
  expect(atAlipay.status, atAlipay.text).toBe(201);
  const atShop = await sys.request('POST', '/api/me/message-agreements', {
    token: shopper.token,
    body: { templateIds: [paymentTemplate] },
  });
  expect(atShop.status, atShop.text).toBe(201);
}

async function deliveries(status?: string): Promise<WebhookDeliveryList> {
  const res = await sys.request<WebhookDeliveryList>(
    'GET',
    `/api/admin/webhooks/${endpoint.endpoint.id}/deliveries?pageSize=100${status ? `&status=${status}` : ''}`,
    { token: admins.owner.token },
  );
  expect(res.status, res.text).toBe(200);
  return res.body;
}

function receivedFor(orderId: string) {
  return receiver.received.filter((r) => {
    const body = JSON.parse(r.body) as { data: { orderId?: string } };
    return body.data.orderId === orderId;
  });
}

describe('an order paid', () => {
  it('by a notify sent five times gives one order.paid delivery and one shopper message', async () => {
    await agreeToPaymentMessage(alice);
    const { order, tradeNo } = await openTrade(sys, alice, { priceFen: 2590 });
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');
    const delivered = (await notifyAttempted(sys, order.orderNo, 'success')).attempt.sentBody!;
    // Alipay sends it four more times (its retries, a duplicate): each is acknowledged and changes nothing.
    for (let i = 0; i < 4; i++)
      expect(await postNotify(sys, delivered)).toEqual({ status: 200, text: 'success' });

    await deliverUntil(() => receivedFor(order.id).length > 0);
    await runOutbox(sys.api.deps);
    await runOutbox(sys.api.deps);

    const events = await sys.db.outboxEvent.findMany({ where: { orderId: order.id, type: 'order.paid' } });
    expect(events).toHaveLength(1);
    const got = receivedFor(order.id);
    expect(got).toHaveLength(1);
    expect(got[0]!.headers['shop-event-id']).toBe(events[0]!.id);
    expect(got[0]!.headers['shop-event-type']).toBe('order.paid');
    const body = JSON.parse(got[0]!.body) as {
      id: string;
      type: string;
      data: { amountFen: number; order: { orderNo: string; totalFen: number; status: string } };
    };
    expect(body).toMatchObject({ id: events[0]!.id, type: 'order.paid' });
    expect(body.data.amountFen).toBe(2590);
    expect(body.data.order).toMatchObject({ orderNo: order.orderNo, totalFen: 2590, status: 'PAID' });

    // One message at Alipay (the sandbox kept it) and the same one under the shopper's 我的.
    const atAlipay = await sys.sandbox<{ messages: Array<{ kind: string; data: Record<string, string> }> }>(
      'GET',
      `/sandbox/buyers/${alice.buyerId}/messages`,
    );
    expect(atAlipay.status, atAlipay.text).toBe(200);
    const forOrder = atAlipay.body.messages.filter((m) => JSON.stringify(m.data).includes(order.orderNo));
    expect(forOrder).toHaveLength(1);
    expect(forOrder[0]!.kind).toBe('payment');
    const mine = await sys.request<ShopperMessageList>('GET', '/api/me/messages', { token: alice.token });
    expect(mine.status, mine.text).toBe(200);
    const shown = mine.body.items.filter((m) => m.orderId === order.id);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe('支付成功通知');
    expect(shown[0]!.lines).toEqual([
      { label: '订单编号', value: order.orderNo },
      { label: '支付金额', value: '¥25.90' },
      { label: '支付时间', value: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) as string },
      { label: '商品名称', value: expect.any(String) as string },
    ]);
    // The agreement is used up: Alipay allows one message per agreement.
    const left = await sys.request<{ remaining: { payment: number } }>('GET', '/api/me/message-agreements', {
      token: alice.token,
    });
    expect(left.body.remaining.payment).toBe(0);
  });

  it('sends no message to a shopper who did not agree, and still tells the merchant', async () => {
    const bob = await signUpShopper(sys, DEV_BUYERS[1]!.userId);
    const { order, tradeNo } = await openTrade(sys, bob);
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');
    await deliverUntil(() => receivedFor(order.id).length > 0);
    const event = await sys.db.outboxEvent.findFirstOrThrow({
      where: { orderId: order.id, type: 'order.paid' },
    });
    const message = await sys.db.outboxDelivery.findFirstOrThrow({
      where: { eventId: event.id, target: 'shopper-message' },
    });
    expect(message.status).toBe('SKIPPED');
    const atAlipay = await sys.sandbox<{ messages: unknown[] }>(
      'GET',
      `/sandbox/buyers/${bob.buyerId}/messages`,
    );
    expect(atAlipay.body.messages).toHaveLength(0);
  });
});

describe('a shopper message whose answer is lost', () => {
  /** The shopper's payment-message delivery of the order, once the worker has settled it one way or the other. */
  async function settledMessage(orderId: string) {
    let delivery: { id: string; status: string } | undefined;
    await deliverUntil(async () => {
      const event = await sys.db.outboxEvent.findFirst({ where: { orderId, type: 'order.paid' } });
      delivery = event
        ? ((await sys.db.outboxDelivery.findFirst({
            where: { eventId: event.id, target: 'shopper-message' },
          })) ?? undefined)
        : undefined;
      return delivery !== undefined && delivery.status !== 'PENDING';
    });
    const attempts = await sys.db.deliveryAttempt.findMany({
      where: { deliveryId: delivery!.id },
      orderBy: { number: 'asc' },
    });
    return { status: delivery!.status, outcomes: attempts.map((a) => a.outcome) };
  }

  async function messagesAtAlipay(shopper: Shopper, orderNo: string): Promise<number> {
    const res = await sys.sandbox<{ messages: Array<{ data: Record<string, string> }> }>(
      'GET',
      `/sandbox/buyers/${shopper.buyerId}/messages`,
    );
    expect(res.status, res.text).toBe(200);
    return res.body.messages.filter((m) => JSON.stringify(m.data).includes(orderNo)).length;
  }

  it('is DELIVERED when the retry finds the agreement spent: the lost try delivered it', async () => {
    const carol = await signUpShopper(sys, DEV_BUYERS[3]!.userId);
    await agreeToPaymentMessage(carol);
    const { order, tradeNo } = await openTrade(sys, carol);
    // Alipay sends the message and spends the agreement, then the connection drops before its answer.
    await addFault(sys, {
      kind: 'gateway-drop-after-apply',
      count: 1,
      methods: ['alipay.open.app.mini.templatemessage.send'],
    });
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');

    // The first try's outcome is unknown; the retry is refused (no agreement left at Alipay): it was delivered.
    expect(await settledMessage(order.id)).toEqual({ status: 'DELIVERED', outcomes: ['timeout', 'refused'] });
    expect(await messagesAtAlipay(carol, order.orderNo)).toBe(1);
    const mine = await sys.request<ShopperMessageList>('GET', '/api/me/messages', { token: carol.token });
    expect(mine.body.items.filter((m) => m.orderId === order.id)).toHaveLength(1);
  });

  it('is FAILED when Alipay refuses the first try: nothing was delivered', async () => {
    // Agreed at the shop only: Alipay has no agreement to spend, and no earlier try could have spent one.
    const buyer = await sys.sandbox<{ userId: string }>('POST', '/sandbox/buyers', {
      nickname: '周杰',
      balanceFen: 1_000_000,
    });
    expect(buyer.status, buyer.text).toBe(201);
    const dave = await signUpShopper(sys, buyer.body.userId);
    const atShop = await sys.request('POST', '/api/me/message-agreements', {
      token: dave.token,
      body: { templateIds: [paymentTemplate] },
    });
    expect(atShop.status, atShop.text).toBe(201);
    const { order, tradeNo } = await openTrade(sys, dave);
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');

    expect(await settledMessage(order.id)).toEqual({ status: 'FAILED', outcomes: ['refused'] });
    expect(await messagesAtAlipay(dave, order.orderNo)).toBe(0);
    const mine = await sys.request<ShopperMessageList>('GET', '/api/me/messages', { token: dave.token });
    expect(mine.body.items.filter((m) => m.orderId === order.id)).toHaveLength(0);
  });
});

describe('webhook deliveries', () => {
  it('reach a receiver that fails three times on the fourth try, and the log shows all four', async () => {
    receiver.answerWith([500, 503, 502]);
    const { order, tradeNo } = await openTrade(sys, alice);
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');
    await deliverUntil(() => receivedFor(order.id).some((r) => r.answeredWith === 200));

    const got = receivedFor(order.id);
    expect(got.map((r) => r.answeredWith)).toEqual([500, 503, 502, 200]);
    // The same event, byte for byte, on every try; each try says which it is.
    expect(new Set(got.map((r) => r.headers['shop-event-id'])).size).toBe(1);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    expect(got.map((r) => r.headers['shop-delivery-attempt'])).toEqual(['1', '2', '3', '4']);

    const log = (await deliveries()).items.find((d) => d.eventId === got[0]!.headers['shop-event-id']);
    expect(log?.status).toBe('DELIVERED');
    expect(log?.attempts.map((a) => [a.number, a.statusCode, a.outcome])).toEqual([
      [1, 500, 'http-error'],
      [2, 503, 'http-error'],
      [3, 502, 'http-error'],
      [4, 200, 'ok'],
    ]);
    for (const attempt of log!.attempts) expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    expect(log?.deliveredAt).not.toBeNull();
  });

  it('are signed as the README says: the check passes, and fails for a body changed by one byte', () => {
    const last = receiver.received.at(-1)!;
    const header = last.headers['shop-signature'] as string;
    const now = Math.floor(Date.now() / 1000);
    expect(receiverAccepts(header, last.body, endpoint.secret, now)).toBe(true);
    const bytes = Buffer.from(last.body, 'utf8');
    bytes[10] = bytes[10]! ^ 0x01;
    expect(receiverAccepts(header, bytes.toString('utf8'), endpoint.secret, now)).toBe(false);
    expect(receiverAccepts(header, last.body, `${endpoint.secret}x`, now)).toBe(false);
    expect(receiverAccepts(header, last.body, endpoint.secret, now + 301)).toBe(false);
  });

  it('are signed with both secrets while a rotation overlaps', async () => {
    const rotated = await sys.request<WebhookEndpointWithSecret>(
      'POST',
      `/api/admin/webhooks/${endpoint.endpoint.id}/rotate-secret`,
      { token: admins.owner.token, body: {} },
    );
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(rotated.body.endpoint.previousSecretExpiresAt).not.toBeNull();
    const { order, tradeNo } = await openTrade(sys, alice);
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');
    await deliverUntil(() => receivedFor(order.id).length > 0);
    const got = receivedFor(order.id)[0]!;
    const header = got.headers['shop-signature'] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    const now = Math.floor(Date.now() / 1000);
    expect(receiverAccepts(header, got.body, rotated.body.secret, now)).toBe(true);
    expect(receiverAccepts(header, got.body, endpoint.secret, now)).toBe(true);
    endpoint = rotated.body;
  });

  it('are sent again by hand, and a delivery still being tried is not', async () => {
    const done = (await deliveries('DELIVERED')).items[0]!;
    const before = receiver.received.filter((r) => r.headers['shop-event-id'] === done.eventId).length;
    const resend = await sys.request('POST', `/api/admin/webhook-deliveries/${done.id}/resend`, {
      token: admins.owner.token,
      body: {},
    });
    expect(resend.status, resend.text).toBe(204);
    await deliverUntil(
      () => receiver.received.filter((r) => r.headers['shop-event-id'] === done.eventId).length > before,
    );
    const again = (await deliveries()).items.find((d) => d.id === done.id)!;
    expect(again.status).toBe('DELIVERED');
    expect(again.attempts.length).toBe(done.attempts.length + 1);

    receiver.answerWith(Array.from({ length: 100 }, () => 500));
    const { order, tradeNo } = await openTrade(sys, alice);
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');
    await deliverUntil(() => receivedFor(order.id).length > 0);
    const pending = (await deliveries('PENDING')).items[0]!;
    const refused = await sys.request<ErrorBody>(
      'POST',
      `/api/admin/webhook-deliveries/${pending.id}/resend`,
      {
        token: admins.owner.token,
        body: {},
      },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONFLICT');
    // Its window (WEBHOOK_RETRY_WINDOW_MS, 3 s here) ends with it FAILED, every try in the log.
    await deliverUntil(async () => (await deliveries('FAILED')).items.some((d) => d.id === pending.id));
    const failed = (await deliveries('FAILED')).items.find((d) => d.id === pending.id)!;
    expect(failed.attempts.length).toBeGreaterThan(3);
    expect(failed.attempts.every((a) => a.statusCode === 500)).toBe(true);
    expect(failed.lastError).toBe('HTTP 500');
    receiver.answerWith([]);
  });
});

describe('several workers at once', () => {
  it('send each delivery once: of the passes that read it due, one claims it', async () => {
    const orders: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { order, tradeNo } = await openTrade(sys, alice);
      await payAtSandbox(sys, tradeNo);
      await waitForStatus(sys, order.id, 'PAID');
      orders.push(order.id);
    }
    // Three passes at once, as three API processes' workers would run them, until every order's event is out.
    for (let round = 0; round < 100 && !orders.every((id) => receivedFor(id).length > 0); round++) {
      await Promise.all([runOutbox(sys.api.deps), runOutbox(sys.api.deps), runOutbox(sys.api.deps)]);
    }
    for (const id of orders) expect(receivedFor(id), id).toHaveLength(1);
    const events = await sys.db.outboxEvent.findMany({
      where: { orderId: { in: orders }, type: 'order.paid' },
    });
    const tries = await sys.db.deliveryAttempt.findMany({
      where: {
        deliveryId: {
          in: (
            await sys.db.outboxDelivery.findMany({
              where: { eventId: { in: events.map((e) => e.id) }, endpointId: endpoint.endpoint.id },
            })
          ).map((d) => d.id),
        },
      },
    });
    expect(tries).toHaveLength(orders.length);
  });
});

describe('after-sales and refunds', () => {
  it('write after_sale.requested, after_sale.decided and refund.succeeded; the refund reaches the webhook', async () => {
    const { order, tradeNo } = await openTrade(sys, alice, { priceFen: 1800 });
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');
    const asked = await sys.request<{ id: string }>('POST', `/api/orders/${order.id}/after-sales`, {
      token: alice.token,
      body: { kind: 'REFUND_ONLY', reason: '不想要了', amountFen: 800 },
    });
    expect(asked.status, asked.text).toBe(201);
    const approved = await sys.request('POST', `/api/admin/after-sales/${asked.body.id}/approve`, {
      token: admins.owner.token,
      body: {},
    });
    expect(approved.status, approved.text).toBe(200);
    const types = async () =>
      (
        await sys.db.outboxEvent.findMany({ where: { orderId: order.id }, orderBy: { createdAt: 'asc' } })
      ).map((e) => e.type);
    await eventually('the refund succeeded', async () =>
      (await types()).includes('refund.succeeded') ? true : undefined,
    );
    expect(await types()).toEqual([
      'order.paid',
      'after_sale.requested',
      'after_sale.decided',
      'refund.succeeded',
    ]);
    await deliverUntil(() =>
      receivedFor(order.id).some((r) => (JSON.parse(r.body) as { type: string }).type === 'refund.succeeded'),
    );
    const refund = receivedFor(order.id)
      .map(
        (r) =>
          JSON.parse(r.body) as { type: string; data: { amountFen: number; order: { refundedFen: number } } },
      )
      .find((b) => b.type === 'refund.succeeded')!;
    expect(refund.data.amountFen).toBe(800);
    expect(refund.data.order.refundedFen).toBe(800);
    // The endpoint did not ask for after-sale events: it got the payment and the refund only (sent in one pass,
    // at once, so in either order).
    expect(
      receivedFor(order.id)
        .map((r) => r.headers['shop-event-type'])
        .sort(),
    ).toEqual(['order.paid', 'refund.succeeded']);
    const list = await sys.request<AdminNotificationList>('GET', '/api/admin/notifications?pageSize=10', {
      token: admins.owner.token,
    });
    const requested = list.body.items.find(
      (item) => item.type === 'after_sale.requested' && item.orderId === order.id,
    );
    expect(requested?.text).toBe(`订单 ${order.orderNo} 申请售后 ¥8.00：不想要了`);
  });
});

describe('the notification centre', () => {
  it('lists paid orders for every admin with an unread count that reading clears', async () => {
    const list = await sys.request<AdminNotificationList>('GET', '/api/admin/notifications?pageSize=50', {
      token: admins.staff.token,
    });
    expect(list.status, list.text).toBe(200);
    const paid = list.body.items.filter((item) => item.type === 'order.paid');
    expect(paid.length).toBeGreaterThanOrEqual(4);
    expect(paid[0]!.title).toBe('订单已支付');
    expect(paid[0]!.text).toMatch(/^订单 \S+ 已支付 ¥\d{1,3}(,\d{3})*\.\d{2}$/);
    expect(list.body.unreadCount).toBeGreaterThanOrEqual(paid.length);
    const read = await sys.request<{ unreadCount: number }>('POST', '/api/admin/notifications/read', {
      token: admins.staff.token,
      body: {},
    });
    expect(read.status, read.text).toBe(200);
    expect(read.body.unreadCount).toBe(0);
    const owner = await sys.request<{ unreadCount: number }>('GET', '/api/admin/notifications/unread', {
      token: admins.owner.token,
    });
    expect(owner.body.unreadCount).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  it('is refused with 400, 401 or 403 and changes nothing', async () => {
    const count = await sys.db.webhookEndpoint.count();
    const bad: Array<[string, unknown]> = [
      ['ftp url', { url: 'ftp://erp.example.com/hook', events: ['order.paid'] }],
      ['credentials in the url', { url: 'https://user:pw@erp.example.com/hook', events: ['order.paid'] }],
      ['no events', { url: 'https://erp.example.com/hook', events: [] }],
      ['unknown event', { url: 'https://erp.example.com/hook', events: ['order.eaten'] }],
      ['repeated event', { url: 'https://erp.example.com/hook', events: ['order.paid', 'order.paid'] }],
      ['unknown field', { url: 'https://erp.example.com/hook', events: ['order.paid'], secret: 'mine' }],
    ];
    for (const [what, body] of bad) {
      const res = await sys.request<ErrorBody>('POST', '/api/admin/webhooks', {
        token: admins.owner.token,
        body,
      });
      expect(res.status, what).toBe(400);
      expect(res.body.error.code, what).toBe('VALIDATION_ERROR');
    }
    const staff = await sys.request<ErrorBody>('POST', '/api/admin/webhooks', {
      token: admins.staff.token,
      body: { url: 'https://erp.example.com/hook', events: ['order.paid'] },
    });
    expect(staff.status).toBe(403);
    expect((await sys.request('GET', '/api/admin/webhooks', { token: admins.staff.token })).status).toBe(403);
    expect(await sys.db.webhookEndpoint.count()).toBe(count);

    const unknownTemplate = await sys.request<ErrorBody>('POST', '/api/me/message-agreements', {
      token: alice.token,
      body: { templateIds: ['bm90LWEtdGVtcGxhdGU='] },
    });
    expect(unknownTemplate.status).toBe(400);
    expect(unknownTemplate.body.error.code).toBe('VALIDATION_ERROR');
    const notIds = await sys.request<ErrorBody>('POST', '/api/me/message-agreements', {
      token: alice.token,
      body: { templateIds: ['<script>'] },
    });
    expect(notIds.status).toBe(400);
    expect((await sys.request('GET', '/api/me/messages')).status).toBe(401);
    const missing = await sys.request<ErrorBody>('GET', '/api/admin/webhooks/nope/deliveries', {
      token: admins.owner.token,
    });
    expect(missing.status).toBe(404);
  });
});
