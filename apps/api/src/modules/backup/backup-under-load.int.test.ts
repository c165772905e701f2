// A backup taken while the API takes orders and applies notifies, restored into a fresh database: the restore matches
// the backup's manifest (every table's rows, orders, paid and refunded totals, migrations), passes the integrity
// checks, and the restored shop's invariants hold (stock equals units in live orders, one PAID event per paid order,
// payments and the notify inbox consistent). Runs on SQLite and on PostgreSQL (integration, integration-postgres).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrderView, PaymentCreateResponse } from '@shop/contract';
import { backupDatabase, closeDb, createDb, restoreBackup, type DbLocation } from '@shop/db';
import { testEngine, unusedPostgresDatabase } from '@shop/db/testing';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, shopperWithAddress } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { shopInvariantProblems } from '../../testing/invariants';
import { addFault, eventually, payAtSandbox } from '../payment/test-support';

let sys: TestSystem;
let dir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  sys = await startTestSystem({ sandboxTimeScale: 0.01 });
  dir = await mkdtemp(join(tmpdir(), 'shop-backup-load-'));
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await sys.close();
  await rm(dir, { recursive: true, force: true });
});

const STOCK = 1_000;

function fresh(): DbLocation {
  if (testEngine() === 'sqlite') {
    const file = join(dir, 'restored.db');
    return { engine: 'sqlite', file, url: `file:${file}` };
  }
  const target = unusedPostgresDatabase('restored');
  cleanups.push(() => target.drop());
  return { engine: 'postgresql', url: target.url };
}

async function post<T>(path: string, token: string, body?: unknown) {
  const res = await fetch(`${sys.apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe(`a backup taken under order and notify load (${testEngine()})`, () => {
  it('restores into a fresh database that matches its manifest and keeps the shop invariants', async () => {
    const product = await createProduct(sys.db, {
      skus: ['S', 'M', 'L'].map((size) => ({ specs: { 尺码: size }, stock: STOCK })),
    });
    const shoppers = await Promise.all(DEV_BUYERS.slice(0, 4).map((b) => shopperWithAddress(sys, b.userId)));
    // Every notify arrives three times at once: the inbox must hold one APPLIED and two DUPLICATE per payment.
    await addFault(sys, { kind: 'notify-duplicate', copies: 3 });

    let acknowledged = 0;
    let running = true;
    const failures: string[] = [];
    const worker = async (n: number) => {
      const shopper = shoppers[n % shoppers.length]!;
      while (running) {
        const skuId = product.skuIds[Math.floor(Math.random() * product.skuIds.length)]!;
        const order = await post<OrderView>('/api/orders', shopper.token, {
          items: [{ skuId, quantity: 1 + (n % 2) }],
          addressId: shopper.addressId,
        });
        if (order.status !== 201) {
          failures.push(`order answered ${order.status}`);
          return;
        }
        acknowledged++;
        const payment = await post<PaymentCreateResponse>(
          `/api/orders/${order.body.id}/payment`,
          shopper.token,
        );
        if (payment.status !== 200) {
          failures.push(`payment answered ${payment.status}`);
          return;
        }
        if (n % 3 !== 2) await payAtSandbox(sys, payment.body.tradeNo);
      }
    };
    const workers = Array.from({ length: 6 }, (_, n) => worker(n));
    const paidCount = () => sys.db.order.count({ where: { status: 'PAID' } });
    await eventually(
      'orders and applied notifies to build up',
      async () => (acknowledged >= 20 && (await paidCount()) >= 8 ? true : undefined),
      60_000,
    );

    const { dir: backupDir, manifest } = await backupDatabase({
      from: sys.api.deps.env.DATABASE,
      outDir: join(dir, 'backups'),
    });
    const afterBackup = acknowledged;
    // The load goes on after the snapshot: the backup must hold the shop as of one moment, not a later one.
    await eventually(
      'more orders after the backup',
      () => Promise.resolve(acknowledged >= afterBackup + 10 || undefined),
      60_000,
    );
    running = false;
    await Promise.all(workers);
    expect(failures).toEqual([]);

    expect(manifest.figures.orders).toBeGreaterThanOrEqual(20);
    expect(manifest.figures.paidFen).toBeGreaterThan(0);
    expect(await sys.db.order.count()).toBeGreaterThan(manifest.figures.orders);

    const target = fresh();
    const report = await restoreBackup({ backup: backupDir, to: target });
    expect(report.integrity).toEqual([]);
    expect(report.differences).toEqual([]);
    expect(report.matches).toBe(true);
    expect(report.pendingMigrations).toEqual([]);

    const restored = createDb(target);
    try {
      expect(await restored.order.count()).toBe(manifest.figures.orders);
      expect(await restored.order.count({ where: { status: 'PAID' } })).toBeGreaterThan(0);
      expect(await restored.notifyInbox.count({ where: { outcome: 'DUPLICATE' } })).toBeGreaterThan(0);
      const initialStock = new Map(product.skuIds.map((id) => [id, STOCK]));
      expect(await shopInvariantProblems(restored, initialStock)).toEqual([]);
      // The checks bite: one unit of stock that no order explains is reported.
      await restored.sku.update({ where: { id: product.skuIds[0]! }, data: { stock: { increment: 1 } } });
      expect(await shopInvariantProblems(restored, initialStock)).toEqual([
        expect.stringContaining(`SKU ${product.skuIds[0]!}:`),
      ]);
    } finally {
      await closeDb(restored);
    }
  }, 180_000);
});
