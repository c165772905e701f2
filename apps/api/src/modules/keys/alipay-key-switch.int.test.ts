import { readFileSync } from 'node:fs';
import {
  encodeForm,
  fenToYuan,
  formatChinaTime,
  generateRsaKeyPair,
  loadPrivateKey,
  loadPublicKey,
  publicKeyId,
  signNotify,
} from '@shop/alipay';
import { AdminKeySettings, type PaymentCreateResponse } from '@shop/contract';
import { devKeyFiles } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../env';
import { startApi, type ApiServer } from '../../server';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { demoAdmins, type DemoAdmins } from '../admin/test-support';
import {
  addFault,
  clearFaults,
  openTrade,
  paidNotifyFields,
  payAtSandbox,
  placeOrder,
  seedSku,
  signUpShopper,
  waitForStatus,
  type Shopper,
} from '../payment/test-support';

/**
 * A switch of Alipay's public key (ALIPAY_PUBLIC_KEY_NEXT), with real signed notifies: the sandbox signs with the
 * development gateway key (the old key), notifies signed with a new key pair stand for Alipay after the switch, and
 * a third key pair for a forger. Both the old and the new key are accepted, in either role, and the third is not;
 * the notify inbox and the admin's settings say which key verified each notify. Public-key mode only (certificate
 * mode rotates by certificate SN), so this file is not in the certificate-mode project.
 */

const NEW = generateRsaKeyPair();
const THIRD = generateRsaKeyPair();
const newKeyId = publicKeyId(loadPublicKey(NEW.publicKeyPem));

let sys: TestSystem;
let admins: DemoAdmins;
let alice: Shopper;
let oldKeyId: string;

beforeAll(async () => {
  // Before the switch: ALIPAY_PUBLIC_KEY is the key the sandbox signs with (the development default), the next key
  // is the new one.
  sys = await startTestSystem({
    alipayMode: 'public-key',
    env: { ALIPAY_PUBLIC_KEY_NEXT: NEW.publicKeyPem },
  });
  oldKeyId = publicKeyId(loadPublicKey(readFileSync(devKeyFiles(sys.dataDir).alipayPublic, 'utf8')));
  admins = await demoAdmins(sys);
  alice = await signUpShopper(sys);
});
afterAll(() => sys.close());

function signedWith(pair: { privateKeyPem: string }, fields: Record<string, string>): string {
  return encodeForm(
    signNotify({ notify_time: formatChinaTime(new Date()), ...fields }, loadPrivateKey(pair.privateKeyPem)),
  );
}

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/api/alipay/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return { status: res.status, text: await res.text() };
}

async function inboxRow(notifyId: string) {
  return sys.db.notifyInbox.findFirstOrThrow({ where: { notifyId }, orderBy: { receivedAt: 'desc' } });
}

/** An open trade whose sandbox notifies are dropped, and the fields of its genuine payment notify. */
async function tradeToNotify(): Promise<{ orderId: string; fields: Record<string, string> }> {
  await addFault(sys, { kind: 'notify-drop' });
  const { order, tradeNo } = await openTrade(sys, alice, { priceFen: 2600 });
  return { orderId: order.id, fields: paidNotifyFields(order, tradeNo, fenToYuan(2600)) };
}

describe('before the switch: current = the old key, next = the new key', () => {
  it('accepts a notify signed with the old key (from the sandbox) and records its key id', async () => {
    await clearFaults(sys);
    const { order, tradeNo } = await openTrade(sys, alice);
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');
    const row = await sys.db.notifyInbox.findFirstOrThrow({
      where: { orderId: order.id, outcome: 'APPLIED' },
    });
    expect(row).toMatchObject({ verified: true, acknowledged: true, alipayKeyId: oldKeyId });
  });

  it('accepts a notify signed with the new key, and refuses one signed with any other key', async () => {
    const { orderId, fields } = await tradeToNotify();
    const forged = { ...fields, notify_id: `${fields.notify_id}x` };
    expect(await post(sys.apiUrl, signedWith(THIRD, forged))).toEqual({ status: 400, text: 'failure' });
    expect(await inboxRow(forged.notify_id)).toMatchObject({
      verified: false,
      rejectReason: 'bad-signature',
      outcome: 'REJECTED',
      alipayKeyId: null,
    });
    expect((await sys.db.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('PENDING_PAYMENT');

    expect(await post(sys.apiUrl, signedWith(NEW, fields))).toEqual({ status: 200, text: 'success' });
    expect(await inboxRow(fields.notify_id!)).toMatchObject({
      verified: true,
      outcome: 'APPLIED',
      alipayKeyId: newKeyId,
    });
    expect((await sys.db.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('PAID');
    // A byte-identical copy is a DUPLICATE and keeps the key id of the notify it copies.
    expect(await post(sys.apiUrl, signedWith(NEW, fields))).toEqual({ status: 200, text: 'success' });
  });

  it("the owner's settings show both Alipay keys, how many notifies each verified, and the recent notifies", async () => {
    const res = await sys.request<AdminKeySettings>('GET', '/api/admin/settings/keys', {
      token: admins.owner.token,
    });
    expect(res.status, res.text).toBe(200);
    const settings = AdminKeySettings.parse(res.body);
    expect(settings.alipay.mode).toBe('public-key');
    expect(settings.alipay.keys.map(({ keyId, role }) => ({ keyId, role }))).toEqual([
      { keyId: oldKeyId, role: 'current' },
      { keyId: newKeyId, role: 'next' },
    ]);
    const counted = Object.fromEntries(settings.alipay.keys.map((k) => [k.keyId, k.notifies7d]));
    const rows = await sys.db.notifyInbox.groupBy({ by: ['alipayKeyId'], _count: { _all: true } });
    expect(counted).toEqual({
      [oldKeyId]: rows.find((r) => r.alipayKeyId === oldKeyId)?._count._all,
      [newKeyId]: 2,
    });
    expect(settings.alipay.keys.every((k) => k.lastNotifyAt !== null)).toBe(true);
    const [latest, beforeIt] = settings.alipay.recentNotifies;
    expect(latest).toMatchObject({ outcome: 'DUPLICATE', alipayKeyId: newKeyId });
    expect(beforeIt).toMatchObject({ outcome: 'APPLIED', alipayKeyId: newKeyId });
    expect(
      settings.alipay.recentNotifies.some((n) => n.outcome === 'REJECTED' && n.alipayKeyId === null),
    ).toBe(true);
    expect(settings.address.keys).toEqual([{ keyId: sys.api.deps.cipher.currentKeyId, role: 'current' }]);
    expect(settings.address.tables.find((t) => t.table === 'Address')).toMatchObject({ rows: 1, unknown: 0 });

    // Staff may not see it; bad query is refused.
    const staff = await sys.request('GET', '/api/admin/settings/keys', { token: admins.staff.token });
    expect(staff.status).toBe(403);
    const bad = await sys.request<{ error: { code: string } }>('GET', '/api/admin/settings/keys?x=1', {
      token: admins.owner.token,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    expect((await sys.request('GET', '/api/admin/settings/keys')).status).toBe(401);
  });
});

describe('after the switch: current = the new key, next = the old key', () => {
  let api: ApiServer;

  beforeAll(async () => {
    // A second API on the same database: ALIPAY_PUBLIC_KEY is now the new key and the old one stays as the next
    // key, from its file, while Alipay (the sandbox) still signs some notifies and its answers with it.
    const env = sys.api.deps.env;
    api = await startApi(
      loadEnv({
        NODE_ENV: 'test',
        API_HOST: '127.0.0.1',
        API_PORT: '0',
        DATA_DIR: sys.dataDir,
        DATABASE_URL: env.DATABASE_URL,
        LOG_LEVEL: 'silent',
        ALIPAY_GATEWAY: env.ALIPAY_GATEWAY,
        JOBS_ENABLED: 'false',
        RECONCILE_ENABLED: 'false',
        ALIPAY_PUBLIC_KEY: NEW.publicKeyPem,
        ALIPAY_PUBLIC_KEY_NEXT_FILE: devKeyFiles(sys.dataDir).alipayPublic,
      }),
    );
  });
  afterAll(() => api.close());

  it('answers signed with the old key verify under the next key, and so do its notifies', async () => {
    await clearFaults(sys);
    expect(api.deps.alipay.alipayPublicKeyIds).toEqual([newKeyId, oldKeyId]);
    const { skuId } = await seedSku(sys);
    const order = await placeOrder(sys, alice, skuId);
    // alipay.trade.create through the second API: the sandbox's answer is signed with the old key.
    const res = await fetch(`${api.url}/api/orders/${order.id}/payment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}` },
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const { tradeNo } = JSON.parse(text) as PaymentCreateResponse;
    // The sandbox notifies the second API's notify_url, signed with the old key.
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');
    const row = await sys.db.notifyInbox.findFirstOrThrow({
      where: { orderId: order.id, outcome: 'APPLIED' },
    });
    expect(row.alipayKeyId).toBe(oldKeyId);
  });

  it('accepts a notify signed with the new key under the current key, and refuses a third key', async () => {
    const { orderId, fields } = await tradeToNotify();
    const forged = { ...fields, notify_id: `${fields.notify_id}x` };
    expect(await post(api.url, signedWith(THIRD, forged))).toEqual({ status: 400, text: 'failure' });
    expect(await inboxRow(forged.notify_id)).toMatchObject({ outcome: 'REJECTED', alipayKeyId: null });
    expect(await post(api.url, signedWith(NEW, fields))).toEqual({ status: 200, text: 'success' });
    expect(await inboxRow(fields.notify_id!)).toMatchObject({ outcome: 'APPLIED', alipayKeyId: newKeyId });
    expect((await sys.db.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('PAID');
  });
});

describe('configuration', () => {
  it('refuses ALIPAY_PUBLIC_KEY_NEXT given twice, or as a missing file', () => {
    const base = { NODE_ENV: 'test', DATA_DIR: sys.dataDir };
    expect(() =>
      loadEnv({ ...base, ALIPAY_PUBLIC_KEY_NEXT: 'x', ALIPAY_PUBLIC_KEY_NEXT_FILE: '/etc/hostname' }),
    ).toThrow(/ALIPAY_PUBLIC_KEY_NEXT: set ALIPAY_PUBLIC_KEY_NEXT or ALIPAY_PUBLIC_KEY_NEXT_FILE, not both/);
    expect(() => loadEnv({ ...base, ALIPAY_PUBLIC_KEY_NEXT_FILE: '/nonexistent/key.pem' })).toThrow(
      /no such file: \/nonexistent\/key.pem/,
    );
  });
});
