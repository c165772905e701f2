import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Address, AdminOrderDetail, OrderView } from '@shop/contract';
import { runCommand, type CommandRun } from '@shop/db/testing';
import { DEMO_ADMINS, DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../lib/field-cipher';
import { seedDemoData } from '../../seed';
import { startApiProcess } from '../../testing/api-process';
import { addressBody } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { signInAdmin } from '../admin/test-support';
import { countRowsByKey, rotateAddressKeys } from './address-keys';

/**
 * Rotating the address key on a shop with the demo data, shoppers' address books and orders: every encrypted field
 * ends under the new key, in batches, stopped and resumed; an API without the old key then shows every address as
 * before, and one missing a key that rows use refuses to start. On SQLite and on PostgreSQL.
 */

const REPO_ROOT = resolve(import.meta.dirname, '../../../../..');
const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const OLD = key('old2025');
const NEW = key('new2026');
const OTHER = key('other');

let sys: TestSystem;
let ownerToken: string;
interface Seen {
  token: string;
  addresses: Address[];
  orders: OrderView[];
  adminOrders: AdminOrderDetail[];
}
const shoppers: Seen[] = [];

/** Env of a process on the test system's database and data folder with these address keys. */
function processEnv(keys: string): Record<string, string> {
  const env = sys.api.deps.env;
  return {
    DATA_DIR: sys.dataDir,
    DATABASE_URL: env.DATABASE_URL,
    ALIPAY_GATEWAY: env.ALIPAY_GATEWAY,
    ADDRESS_ENCRYPTION_KEYS: keys,
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: 'false',
    RECONCILE_ENABLED: 'false',
    ...sys.alipayEnv,
  };
}

/** `pnpm keys:rotate-addresses` as a process of its own. */
function rotateCli(keys: string, args: string[] = []): Promise<CommandRun> {
  return runCommand(
    resolve(REPO_ROOT, 'node_modules/.bin/tsx'),
    ['apps/api/src/cli/rotate-addresses.ts', ...args],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'test', ...processEnv(keys) },
    },
  );
}

/** Every encrypted field in the database, by the key id it names. */
async function fieldsByKey(): Promise<Record<string, number>> {
  const addresses = await sys.db.address.findMany({ select: { phoneCipher: true, detailCipher: true } });
  const orders = await sys.db.order.findMany({ select: { shipPhoneCipher: true, shipDetailCipher: true } });
  const counts: Record<string, number> = {};
  for (const stored of [
    ...addresses.flatMap((a) => [a.phoneCipher, a.detailCipher]),
    ...orders.flatMap((o) => [o.shipPhoneCipher, o.shipDetailCipher]),
  ]) {
    const id = FieldCipher.keyIdOf(stored);
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

async function getJson<T>(base: string, path: string, token: string): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as T;
}

/** What each shopper and the owner see of the addresses, from the API at `base`. */
async function look(base: string): Promise<Array<Omit<Seen, 'token'>>> {
  return Promise.all(
    shoppers.map(async (s) => ({
      addresses: await getJson<{ items: Address[] }>(base, '/api/addresses', s.token).then((b) => b.items),
      orders: await Promise.all(
        s.orders.map((o) => getJson<OrderView>(base, `/api/orders/${o.id}`, s.token)),
      ),
      adminOrders: await Promise.all(
        s.orders.map((o) => getJson<AdminOrderDetail>(base, `/api/admin/orders/${o.id}`, ownerToken)),
      ),
    })),
  );
}

beforeAll(async () => {
  sys = await startTestSystem({ env: { ADDRESS_ENCRYPTION_KEYS: OLD } });
  await seedDemoData(sys.api.deps.env);
  const owner = DEMO_ADMINS.find((a) => a.role === 'owner')!;
  ownerToken = await signInAdmin(sys, owner);
  const skus = await sys.db.sku.findMany({
    where: { stock: { gte: 5 }, product: { status: 'PUBLISHED' } },
    take: 3,
    orderBy: { id: 'asc' },
  });
  for (const [i, buyer] of DEV_BUYERS.slice(0, 3).entries()) {
    const token = await sys.signIn(buyer.userId);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const res = await sys.request<Address>('POST', '/api/addresses', {
        token,
        body: addressBody({
          name: `买家${i}-${n}`,
          phone: `1380013${i}${n}00`,
          detail: `文三路 ${i}${n} 号`,
        }),
      });
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.id);
    }
    const orders: OrderView[] = [];
    for (const addressId of ids.slice(0, 2)) {
      const res = await sys.request<OrderView>('POST', '/api/orders', {
        token,
        body: { items: [{ skuId: skus[i]!.id, quantity: 1 }], addressId },
      });
      expect(res.status, res.text).toBe(201);
      orders.push(res.body);
    }
    // A deleted address keeps its ciphertexts (orders may point at it): it is rotated too.
    expect((await sys.request('DELETE', `/api/addresses/${ids[2]}`, { token })).status).toBe(204);
    shoppers.push({ token, addresses: [], orders, adminOrders: [] });
  }
  const seen = await look(sys.apiUrl);
  seen.forEach((s, i) => Object.assign(shoppers[i]!, s));
});
afterAll(() => sys.close());

describe('rotating the address key', () => {
  it('starts with 9 addresses and 6 orders, every field under the old key, each shown in full', async () => {
    expect(await fieldsByKey()).toEqual({ old2025: 30 });
    expect(shoppers.flatMap((s) => s.addresses)).toHaveLength(6);
    expect(shoppers[1]!.addresses.map((a) => a.phone).sort()).toEqual(['13800131100', '13800131200']);
    expect(shoppers[2]!.adminOrders[1]!.address).toMatchObject({
      phone: '13800132200',
      detail: '文三路 22 号',
    });
  });

  it('an API whose keys lack the old one refuses to start, naming it and the rows under it', async () => {
    await expect(startApiProcess(processEnv(NEW))).rejects.toThrow(
      /ADDRESS_ENCRYPTION_KEYS lacks a key that encrypted rows still use: 9 Address row\(s\) under "old2025"; 6 Order row\(s\) under "old2025"/,
    );
  }, 120_000);

  it('re-encrypts in batches, stopped by a signal, by --max-batches, and resumed to the end', async () => {
    const cipher = FieldCipher.fromSpec(`${NEW},${OLD}`);
    const before = await sys.db.address.findMany({
      select: { id: true, updatedAt: true },
      orderBy: { id: 'asc' },
    });
    // In process: aborted during its first batch, which still commits whole.
    const stop = new AbortController();
    const first = await rotateAddressKeys(sys.db, cipher, {
      batchSize: 4,
      signal: stop.signal,
      onBatch: () => stop.abort(),
    });
    expect(first).toEqual({ rotated: 4, skipped: 0, finished: false });
    expect(await fieldsByKey()).toEqual({ new2026: 8, old2025: 22 });

    // The command, stopped by --max-batches: exit 3, and the counts of what is left.
    const partial = await rotateCli(`${NEW},${OLD}`, ['--batch-size', '3', '--max-batches', '1']);
    expect(partial.err).toBe('');
    expect(partial.code, partial.out).toBe(3);
    expect(partial.out).toContain('3 row(s) re-encrypted.');
    expect(partial.out).toMatch(/Address\s+9 rows; new2026 \(current\): 7, old2025: 2/);
    expect(partial.out).toMatch(/Order\s+6 rows; new2026 \(current\): 0, old2025: 6/);
    expect(partial.out).toContain('8 row(s) still use another key: run the command again to resume.');
    expect(await countRowsByKey(sys.db, cipher.keyIds)).toEqual([
      { table: 'Address', rows: 9, byKey: { new2026: 7, old2025: 2 }, unknown: 0, unknownKeyIds: [] },
      { table: 'Order', rows: 6, byKey: { new2026: 0, old2025: 6 }, unknown: 0, unknownKeyIds: [] },
    ]);

    // Run again: it resumes where it stopped and finishes.
    const rest = await rotateCli(`${NEW},${OLD}`, ['--batch-size', '3']);
    expect(rest.code, rest.out + rest.err).toBe(0);
    expect(rest.out).toContain('8 row(s) re-encrypted.');
    expect(rest.out).toContain('Every row is under "new2026"; the other keys may be removed.');
    expect(await fieldsByKey()).toEqual({ new2026: 30 });
    // The address book orders by updatedAt (the default's successor): rotation leaves it as it was.
    expect(
      await sys.db.address.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } }),
    ).toEqual(before);

    // Nothing left: a further run changes nothing.
    const again = await rotateCli(`${NEW},${OLD}`);
    expect(again.code).toBe(0);
    expect(again.out).toContain('0 row(s) re-encrypted.');
    const status = await rotateCli(`${NEW},${OLD}`, ['--status']);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/Address\s+9 rows; new2026 \(current\): 9, old2025: 0/);
  }, 180_000);

  it('an API started with the old key removed shows every address and order address as before', async () => {
    const api = await startApiProcess(processEnv(NEW));
    try {
      const seen = await look(api.url).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${api.output()}`);
      });
      expect(seen).toEqual(shoppers.map(({ token: _token, ...rest }) => rest));
    } finally {
      await api.kill('SIGTERM');
    }
  }, 120_000);

  it('refuses to rotate, and an API refuses to start, when a key that rows use is missing', async () => {
    const refused = await rotateCli(`${OTHER}`);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      'ADDRESS_ENCRYPTION_KEYS lacks a key that encrypted rows still use: 9 Address row(s) under "new2026"; ' +
        '6 Order row(s) under "new2026"',
    );
    expect(refused.err).toMatch(/Address\s+9 rows; other \(current\): 0, not configured: 9 \(new2026\)/);
    expect(await fieldsByKey()).toEqual({ new2026: 30 });
    await expect(startApiProcess(processEnv(OTHER))).rejects.toThrow(/under "new2026"/);
  }, 120_000);
});
