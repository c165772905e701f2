// The outbox across a crash: an API process killed with SIGKILL after an event is written and before it is
// delivered (with no worker running, and in the middle of sending it), then another process started on the same
// database. Nothing is lost: each event reaches the receiver, with the same event id, and the delivery log shows the
// try the dead process never finished.
import type { PaymentCreateResponse, WebhookDeliveryList, WebhookEndpointWithSecret } from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from '../../testing/api-process';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver';
import { demoAdmins, type DemoAdmins } from '../admin/test-support';
import {
  eventually,
  payAtSandbox,
  placeOrder,
  seedSku,
  signUpShopper,
  type Shopper,
} from '../payment/test-support';

let sys: TestSystem;
let admins: DemoAdmins;
let receiver: WebhookReceiver;
let endpointId: string;
let shopper: Shopper;
const processes: ApiProcess[] = [];

beforeAll(async () => {
  sys = await startTestSystem();
  admins = await demoAdmins(sys);
  receiver = await startWebhookReceiver();
  const created = await sys.request<WebhookEndpointWithSecret>('POST', '/api/admin/webhooks', {
    token: admins.owner.token,
    body: { url: receiver.url, events: ['order.paid'] },
  });
  expect(created.status, created.text).toBe(201);
  endpointId = created.body.endpoint.id;
  shopper = await signUpShopper(sys, DEV_BUYERS[2]!.userId);
});

afterAll(async () => {
  for (const api of processes) await api.kill('SIGKILL');
  await receiver.close();
  await sys.close();
});

function processEnv(jobs: boolean): Record<string, string> {
  return {
    DATA_DIR: sys.dataDir,
    DATABASE_URL: sys.api.deps.env.DATABASE_URL,
    ALIPAY_GATEWAY: `${sys.sandboxUrl}/gateway.do`,
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: String(jobs),
    RECONCILE_ENABLED: 'false',
    OUTBOX_INTERVAL_MS: '100',
    // A try's claim lasts twice the slowest deadline: 6 s here, then the delivery is due again.
    WEBHOOK_TIMEOUT_MS: '3000',
    ALIPAY_TIMEOUT_MS: '3000',
    WEBHOOK_RETRY_FIRST_MS: '100',
    ...sys.alipayEnv,
  };
}

async function start(jobs: boolean): Promise<ApiProcess> {
  const api = await startApiProcess(processEnv(jobs));
  processes.push(api);
  return api;
}

/** An order placed and paid through `api`: its notify reaches that process, which writes order.paid. */
async function paidThrough(api: ApiProcess): Promise<string> {
  const { skuId } = await seedSku(sys);
  const order = await placeOrder(sys, shopper, skuId);
  const res = await fetch(`${api.url}/api/orders/${order.id}/payment`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shopper.token}` },
  });
  expect(res.status).toBe(200);
  const { tradeNo } = (await res.json()) as PaymentCreateResponse;
  await payAtSandbox(sys, tradeNo);
  await eventually(
    'order.paid written',
    async () =>
      (await sys.db.outboxEvent.findFirst({ where: { orderId: order.id, type: 'order.paid' } })) ?? undefined,
  );
  return order.id;
}

function requestsFor(orderId: string) {
  return receiver.received.filter(
    (r) => (JSON.parse(r.body) as { data: { orderId: string } }).data.orderId === orderId,
  );
}

async function logFor(orderId: string) {
  const event = await sys.db.outboxEvent.findFirstOrThrow({ where: { orderId, type: 'order.paid' } });
  const res = await sys.request<WebhookDeliveryList>(
    'GET',
    `/api/admin/webhooks/${endpointId}/deliveries?pageSize=100`,
    {
      token: admins.owner.token,
    },
  );
  return { event, delivery: res.body.items.find((d) => d.eventId === event.id) };
}

describe('an API process killed with SIGKILL', () => {
  it('after writing an event and before any worker sent it: the next process delivers it', async () => {
    const first = await start(false);
    const orderId = await paidThrough(first);
    await first.kill('SIGKILL');
    // Written, not dispatched: no worker ran in that process.
    const written = await sys.db.outboxEvent.findFirstOrThrow({ where: { orderId, type: 'order.paid' } });
    expect(written.dispatchedAt).toBeNull();
    expect(requestsFor(orderId)).toHaveLength(0);

    await start(true);
    await eventually('delivered after the restart', async () =>
      (await logFor(orderId)).delivery?.status === 'DELIVERED' ? true : undefined,
    );
    const got = requestsFor(orderId);
    expect(got).toHaveLength(1);
    const { event, delivery } = await logFor(orderId);
    expect(got[0]!.headers['shop-event-id']).toBe(event.id);
    expect(delivery?.attempts.map((a) => a.outcome)).toEqual(['ok']);
    // Two API processes start here; a loaded machine takes many seconds for each.
  }, 180_000);

  it('in the middle of sending it: the next process sends it again, with the same event id', async () => {
    const sending = processes.at(-1)!;
    receiver.answerWith([0]);
    const orderId = await paidThrough(sending);
    await receiver.holding(1);
    await sending.kill('SIGKILL');

    await start(true);
    await eventually(
      'delivered after the claim ran out',
      async () => ((await logFor(orderId)).delivery?.status === 'DELIVERED' ? true : undefined),
      30_000,
    );
    const got = requestsFor(orderId);
    expect(got.map((r) => r.answeredWith)).toEqual([0, 200]);
    expect(new Set(got.map((r) => r.headers['shop-event-id'])).size).toBe(1);
    const { delivery } = await logFor(orderId);
    // The dead process's try has no outcome: it never learned one.
    expect(delivery?.attempts.map((a) => [a.number, a.outcome])).toEqual([
      [1, null],
      [2, 'ok'],
    ]);
  }, 180_000);
});
