import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../db';
import { placeOrder, seedSku, signUpShopper } from '../modules/payment/test-support';
import { ORDER_MACHINE } from '../modules/order/state';
import { startTestSystem, type TestSystem } from '../testing/harness';
import { guardedTransition, IllegalTransitionError } from './state-machine';

/*
 * The one guarded update every status change goes through, on the real database (both engines): it moves a row once,
 * answers false when the row is elsewhere, refuses a move the table does not allow before writing anything, and of
 * many concurrent moves of one row exactly one wins.
 */

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys.close());

async function pendingOrder(): Promise<string> {
  const { skuId } = await seedSku(sys);
  const shopper = await signUpShopper(sys);
  return (await placeOrder(sys, shopper, skuId)).id;
}

const statusOf = async (id: string) => (await sys.db.order.findUniqueOrThrow({ where: { id } })).status;

describe('guardedTransition', () => {
  it('moves a row in one of `from` once, with the columns it sets, and answers false the second time', async () => {
    const id = await pendingOrder();
    const closedAt = new Date('2026-12-05T01:02:03.456Z');
    const move = () =>
      sql(sys.db).transaction((tx) =>
        guardedTransition(tx, ORDER_MACHINE, {
          id,
          from: ['PENDING_PAYMENT'],
          to: 'CLOSED',
          set: { closeReason: 'test', closedAt },
        }),
      );
    expect(await move()).toBe(true);
    const row = await sys.db.order.findUniqueOrThrow({ where: { id } });
    expect([row.status, row.closeReason, row.closedAt?.toISOString()]).toEqual([
      'CLOSED',
      'test',
      closedAt.toISOString(),
    ]);
    expect(await move()).toBe(false);
    expect(await statusOf(id)).toBe('CLOSED');
  });

  it('refuses a move the table does not allow before writing anything, and a move from nowhere', async () => {
    const id = await pendingOrder();
    await expect(
      sql(sys.db).transaction((tx) =>
        guardedTransition(tx, ORDER_MACHINE, { id, from: ['PENDING_PAYMENT'], to: 'SHIPPED' }),
      ),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(
      sql(sys.db).transaction((tx) => guardedTransition(tx, ORDER_MACHINE, { id, from: [], to: 'CLOSED' })),
    ).rejects.toThrow('needs a status to start from');
    expect(await statusOf(id)).toBe('PENDING_PAYMENT');
  });

  it('lets exactly one of 12 concurrent moves of one row win', async () => {
    const id = await pendingOrder();
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        sql(sys.db).transaction((tx) =>
          guardedTransition(tx, ORDER_MACHINE, {
            id,
            from: ['PENDING_PAYMENT'],
            to: 'CLOSED',
            set: { closeReason: 'test', closedAt: new Date() },
          }),
        ),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await statusOf(id)).toBe('CLOSED');
  });
});
