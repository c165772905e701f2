import type { Cart, ErrorBody, OrderList, OrderView } from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../db';
import { createCategory, createProduct, shopperWithAddress } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { demoAdmins } from '../admin/test-support';
import {
  addFault,
  clearFaults,
  openTrade,
  payAtSandbox,
  signUpShopper,
  waitForStatus,
} from '../payment/test-support';
import { transitionOrder } from './transition';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys.close());

type OrderOrError = OrderView & ErrorBody;

const order = (token: string, body: unknown, headers: Record<string, string> = {}) =>
  sys.request<OrderOrError>('POST', '/api/orders', { token, body, headers });
const stockOf = async (skuId: string) =>
  (await sys.db.sku.findUniqueOrThrow({ where: { id: skuId }, select: { stock: true } })).stock;

describe('POST /api/orders', () => {
  it('creates a pending order priced from the database, reserving stock and snapshotting items and address', async () => {
    const { token, addressId, userId } = await shopperWithAddress(sys, DEV_BUYERS[0]!.userId, {
      name: '王小二',
      phone: '13600002222',
      detail: '西溪路 556 号',
    });
    const category = await createCategory(sys.db, { slug: 'apparel' });
    const tee = await createProduct(sys.db, {
      categoryId: category.id,
      title: '纯棉T恤',
      skus: [
        { specs: { 颜色: '黑色', 尺码: 'M' }, priceFen: 7900, stock: 10 },
        { specs: { 颜色: '白色', 尺码: 'L' }, priceFen: 8900, stock: 4 },
      ],
    });
    const mug = await createProduct(sys.db, { title: '马克杯', skus: [{ priceFen: 3550, stock: 3 }] });
    const before = Date.now();

    const res = await order(token, {
      items: [
        { skuId: tee.skuIds[0], quantity: 2 },
        { skuId: mug.skuIds[0], quantity: 1 },
      ],
      addressId,
      note: '工作日送货',
    });
    expect(res.status).toBe(201);
    const o = res.body;
    expect(o.orderNo).toMatch(/^\d{20}$/);
    expect(o).toMatchObject({
      status: 'PENDING_PAYMENT',
      subject: '纯棉T恤等3件',
      itemsFen: 2 * 7900 + 3550,
      shippingFen: 0,
      totalFen: 2 * 7900 + 3550,
      refundedFen: 0,
      note: '工作日送货',
      paidAt: null,
      closedAt: null,
      address: {
        name: '王小二',
        phone: '13600002222',
        province: '浙江省',
        city: '杭州市',
        district: '西湖区',
        detail: '西溪路 556 号',
      },
    });
    expect(o.items).toEqual([
      {
        skuId: tee.skuIds[0],
        productId: tee.id,
        title: '纯棉T恤',
        specText: '黑色 / M',
        imageUrl: `/images/products/${tee.id}/0.svg`,
        unitPriceFen: 7900,
        quantity: 2,
        lineTotalFen: 15800,
      },
      expect.objectContaining({ skuId: mug.skuIds[0], title: '马克杯', unitPriceFen: 3550, quantity: 1 }),
    ]);
    const ttl = new Date(o.expiresAt).getTime() - new Date(o.createdAt).getTime();
    expect(ttl).toBe(15 * 60 * 1000);
    expect(new Date(o.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(o.timeline).toEqual([
      { type: 'CREATED', status: 'PENDING_PAYMENT', at: expect.any(String) as string, note: '' },
    ]);

    expect(await stockOf(tee.skuIds[0]!)).toBe(8);
    expect(await stockOf(mug.skuIds[0]!)).toBe(2);
    const row = await sys.db.order.findUniqueOrThrow({ where: { id: o.id } });
    expect(row.userId).toBe(userId);
    expect(row.shipPhoneCipher).not.toContain('13600002222');
    expect(row.shipDetailCipher).not.toContain('西溪路');

    // Later catalog changes never touch the order.
    await sys.db.sku.update({ where: { id: tee.skuIds[0] }, data: { priceFen: 1 } });
    await sys.db.product.update({ where: { id: tee.id }, data: { title: '改名了' } });
    const again = await sys.request<OrderView>('GET', `/api/orders/${o.id}`, { token });
    expect(again.body.items[0]).toMatchObject({ title: '纯棉T恤', unitPriceFen: 7900 });
    expect(again.body.totalFen).toBe(o.totalFen);
  });

  it('refuses a client-sent price: the body takes SKU ids and quantities only', async () => {
    const { token, addressId } = await shopperWithAddress(sys, DEV_BUYERS[1]!.userId);
    const p = await createProduct(sys.db, { skus: [{ priceFen: 9900, stock: 5 }] });
    const res = await order(token, { items: [{ skuId: p.skuIds[0], quantity: 1, priceFen: 1 }], addressId });
    expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect(await stockOf(p.skuIds[0]!)).toBe(5);
  });

  it('orders the selected cart lines and removes exactly those from the cart', async () => {
    const { token, addressId } = await shopperWithAddress(sys, DEV_BUYERS[2]!.userId);
    const a = await createProduct(sys.db, { title: '甲', skus: [{ priceFen: 1000, stock: 5 }] });
    const b = await createProduct(sys.db, { title: '乙', skus: [{ priceFen: 2000, stock: 5 }] });
    const c = await createProduct(sys.db, { title: '丙', skus: [{ priceFen: 4000, stock: 5 }] });
    for (const p of [a, b, c]) {
      await sys.request('PUT', `/api/cart/items/${p.skuIds[0]}`, { token, body: { quantity: 2 } });
    }
    await sys.request('POST', '/api/cart/select', {
      token,
      body: { skuIds: [b.skuIds[0]], selected: false },
    });

    // A selected line that sold out after it was added: the cart shows it unavailable and its total leaves it out.
    const d = await createProduct(sys.db, { title: '丁', skus: [{ priceFen: 8000, stock: 5 }] });
    await sys.request('PUT', `/api/cart/items/${d.skuIds[0]}`, { token, body: { quantity: 1 } });
    await sys.db.sku.update({ where: { id: d.skuIds[0] }, data: { stock: 0 } });
    const before = await sys.request<Cart>('GET', '/api/cart', { token });
    expect(before.body.selectedTotalFen).toBe(2 * 1000 + 2 * 4000);

    const res = await order(token, { fromCart: true, addressId });
    expect(res.status).toBe(201);
    // The order holds exactly what the cart's total counted.
    expect(res.body.items.map((i) => i.title).sort()).toEqual(['丙', '甲']);
    expect(res.body.totalFen).toBe(before.body.selectedTotalFen);
    const cart = await sys.request<Cart>('GET', '/api/cart', { token });
    expect(cart.body.items.map((l) => l.skuId).sort()).toEqual([b.skuIds[0], d.skuIds[0]].sort());

    await sys.request('POST', '/api/cart/select', {
      token,
      body: { skuIds: [b.skuIds[0]], selected: false },
    });
    const empty = await order(token, { fromCart: true, addressId });
    expect([empty.status, empty.body.error.code]).toEqual([422, 'CART_EMPTY']);
  });

  it('refuses unavailable products and short stock, reserving nothing and keeping the cart', async () => {
    const { token, addressId } = await shopperWithAddress(sys, DEV_BUYERS[3]!.userId);
    const plenty = await createProduct(sys.db, { skus: [{ stock: 50 }] });
    const few = await createProduct(sys.db, { skus: [{ stock: 1 }] });
    const off = await createProduct(sys.db, { skus: [{ stock: 50 }] });
    await sys.db.product.update({ where: { id: off.id }, data: { status: 'UNPUBLISHED' } });

    const short = await order(token, {
      items: [
        { skuId: plenty.skuIds[0], quantity: 3 },
        { skuId: few.skuIds[0], quantity: 2 },
      ],
      addressId,
    });
    expect([short.status, short.body.error.code]).toEqual([409, 'OUT_OF_STOCK']);
    expect(short.body.error.details).toMatchObject({ skuId: few.skuIds[0] });
    // The line that did fit was rolled back with the one that did not.
    expect(await stockOf(plenty.skuIds[0]!)).toBe(50);
    expect(await stockOf(few.skuIds[0]!)).toBe(1);

    const unavailable = await order(token, { items: [{ skuId: off.skuIds[0], quantity: 1 }], addressId });
    expect([unavailable.status, unavailable.body.error.code]).toEqual([409, 'PRODUCT_UNAVAILABLE']);
    expect(unavailable.body.error.details).toMatchObject({ skuId: off.skuIds[0], productId: off.id });

    await sys.request('PUT', `/api/cart/items/${plenty.skuIds[0]}`, { token, body: { quantity: 1 } });
    await sys.db.sku.update({ where: { id: plenty.skuIds[0] }, data: { stock: 0 } });
    // The only selected line is sold out: nothing to order, and the line stays in the cart to be seen.
    const fromCart = await order(token, { fromCart: true, addressId });
    expect([fromCart.status, fromCart.body.error.code]).toEqual([422, 'CART_EMPTY']);
    expect((await sys.request<Cart>('GET', '/api/cart', { token })).body.items).toHaveLength(1);

    const unknown = await order(token, {
      items: [{ skuId: 'cnosuchsku000000000000', quantity: 1 }],
      addressId,
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect(await sys.db.order.count({ where: { user: { alipayUserId: DEV_BUYERS[3]!.userId } } })).toBe(0);
  });

  it('needs one of the buyer’s own live addresses', async () => {
    const alice = await shopperWithAddress(sys, DEV_BUYERS[0]!.userId);
    const bob = await shopperWithAddress(sys, DEV_BUYERS[4]!.userId);
    const p = await createProduct(sys.db, { skus: [{ stock: 5 }] });
    const items = [{ skuId: p.skuIds[0], quantity: 1 }];
    const foreign = await order(bob.token, { items, addressId: alice.addressId });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'NOT_FOUND']);
    await sys.request('DELETE', `/api/addresses/${bob.addressId}`, { token: bob.token });
    const deleted = await order(bob.token, { items, addressId: bob.addressId });
    expect([deleted.status, deleted.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect(await stockOf(p.skuIds[0]!)).toBe(5);
  });
});

describe('GET /api/orders and /api/orders/:id', () => {
  it('lists the owner’s orders newest first, by status, a page at a time', async () => {
    // A system of its own, so the list holds exactly the orders made here.
    const me = await startTestSystem();
    try {
      const { token, addressId } = await shopperWithAddress(me);
      const theirs = await shopperWithAddress(me, DEV_BUYERS[1]!.userId);
      const p = await createProduct(me.db, { skus: [{ priceFen: 500, stock: 100 }] });
      const ids: string[] = [];
      for (let i = 1; i <= 5; i++) {
        const res = await me.request<OrderView>('POST', '/api/orders', {
          token,
          body: { items: [{ skuId: p.skuIds[0], quantity: i }], addressId },
        });
        ids.push(res.body.id);
      }
      await me.request('POST', '/api/orders', {
        token: theirs.token,
        body: { items: [{ skuId: p.skuIds[0], quantity: 1 }], addressId: theirs.addressId },
      });
      await me.request('POST', `/api/orders/${ids[1]}/cancel`, { token });

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: OrderList } = await me.request<OrderList>(
          'GET',
          `/api/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          { token },
        );
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((o) => o.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());

      const all = await me.request<OrderList>('GET', '/api/orders', { token });
      expect(all.body.items[0]).toMatchObject({
        id: ids[4],
        status: 'PENDING_PAYMENT',
        totalFen: 2500,
        itemCount: 5,
        firstItem: expect.objectContaining({ skuId: p.skuIds[0], quantity: 5 }) as unknown,
      });
      const closed = await me.request<OrderList>('GET', '/api/orders?status=CLOSED', { token });
      expect(closed.body.items.map((o) => o.id)).toEqual([ids[1]]);
      const pending = await me.request<OrderList>('GET', '/api/orders?status=PENDING_PAYMENT&limit=50', {
        token,
      });
      expect(pending.body.items).toHaveLength(4);
    } finally {
      await me.close();
    }
  });

  it('user B gets 404 for user A’s order, for reading and for cancelling', async () => {
    const a = await shopperWithAddress(sys, DEV_BUYERS[0]!.userId);
    const b = await shopperWithAddress(sys, DEV_BUYERS[4]!.userId);
    const p = await createProduct(sys.db, { skus: [{ stock: 5 }] });
    const created = await order(a.token, {
      items: [{ skuId: p.skuIds[0], quantity: 1 }],
      addressId: a.addressId,
    });
    expect(created.status).toBe(201);

    const read = await sys.request<ErrorBody>('GET', `/api/orders/${created.body.id}`, { token: b.token });
    expect([read.status, read.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const cancel = await sys.request<ErrorBody>('POST', `/api/orders/${created.body.id}/cancel`, {
      token: b.token,
    });
    expect([cancel.status, cancel.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const list = await sys.request<OrderList>('GET', '/api/orders?limit=50', { token: b.token });
    expect(list.body.items.some((o) => o.id === created.body.id)).toBe(false);
    const unknown = await sys.request<ErrorBody>('GET', '/api/orders/cnosuchorder00000000000', {
      token: a.token,
    });
    expect(unknown.status).toBe(404);
    // Still pending, stock still reserved: B's cancel did nothing.
    expect((await sys.db.order.findUniqueOrThrow({ where: { id: created.body.id } })).status).toBe(
      'PENDING_PAYMENT',
    );
    expect(await stockOf(p.skuIds[0]!)).toBe(4);
  });
});

describe("GET /api/orders?refunds= (the shop's 退款/售后 tab)", () => {
  it('lists every order with a refund, partial, pending or whole, whatever its status; refunds=false the rest', async () => {
    // A system of its own: the list holds exactly the orders made here, each refunded through the admin API.
    const me = await startTestSystem();
    try {
      const shopper = await signUpShopper(me);
      const { owner } = await demoAdmins(me);
      const paid = async (priceFen: number) => {
        const { order, tradeNo } = await openTrade(me, shopper, { priceFen });
        await payAtSandbox(me, tradeNo);
        await waitForStatus(me, order.id, 'PAID');
        return order;
      };
      const refund = async (orderId: string, amountFen: number) => {
        const res = await me.request<{ status: string }>('POST', `/api/admin/orders/${orderId}/refunds`, {
          token: owner.token,
          body: { amountFen, reason: '商品破损' },
        });
        expect(res.status, res.text).toBe(201);
        return res.body.status;
      };

      const untouched = await paid(1_000);
      const partly = await paid(2_000);
      expect(await refund(partly.id, 500)).toBe('SUCCEEDED');
      const whole = await paid(3_000);
      expect(await refund(whole.id, 3_000)).toBe('SUCCEEDED');
      await waitForStatus(me, whole.id, 'REFUNDED');
      // Alipay answers 20000: the refund's outcome is unknown, the money pending, nothing refunded yet.
      const pending = await paid(4_000);
      await addFault(me, { kind: 'gateway-error', count: 1, methods: ['alipay.trade.refund'] });
      expect(await refund(pending.id, 1_500)).toBe('UNKNOWN');
      await clearFaults(me);
      // Shipped after a partial refund: still in the tab.
      const shipped = await paid(5_000);
      expect(await refund(shipped.id, 100)).toBe('SUCCEEDED');
      const ship = await me.request('POST', `/api/admin/orders/${shipped.id}/ship`, {
        token: owner.token,
        body: { carrier: '顺丰速运', trackingNo: 'SF1234567890' },
      });
      expect(ship.status, ship.text).toBe(200);
      const unpaid = (await openTrade(me, shopper, { priceFen: 600 })).order;

      const list = async (query: string) =>
        (await me.request<OrderList>('GET', `/api/orders?${query}`, { token: shopper.token })).body.items;

      const withRefunds = await list('refunds=true&limit=50');
      expect(withRefunds.map((o) => o.id)).toEqual([shipped.id, pending.id, whole.id, partly.id]);
      expect(withRefunds.map((o) => [o.status, o.refundedFen, o.refundPendingFen])).toEqual([
        ['SHIPPED', 100, 0],
        ['PAID', 0, 1_500],
        ['REFUNDED', 3_000, 0],
        ['PAID', 500, 0],
      ]);
      expect((await list('refunds=false&limit=50')).map((o) => o.id)).toEqual([unpaid.id, untouched.id]);
      // With a status, both hold.
      expect((await list('refunds=true&status=PAID')).map((o) => o.id)).toEqual([pending.id, partly.id]);
      expect((await list('refunds=false&status=PAID')).map((o) => o.id)).toEqual([untouched.id]);

      // A page at a time, the cursor and the filter together.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: OrderList } = await me.request<OrderList>(
          'GET',
          `/api/orders?refunds=true&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          { token: shopper.token },
        );
        seen.push(...page.body.items.map((o) => o.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(withRefunds.map((o) => o.id));

      // The detail says what is pending too.
      const detail = await me.request<OrderView>('GET', `/api/orders/${pending.id}`, {
        token: shopper.token,
      });
      expect([detail.body.refundedFen, detail.body.refundPendingFen]).toEqual([0, 1_500]);

      const bad = await me.request<ErrorBody>('GET', '/api/orders?refunds=yes', { token: shopper.token });
      expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    } finally {
      await me.close();
    }
  });
});

describe('POST /api/orders/:id/cancel', () => {
  it('closes a pending order, returns its stock, and answers a repeat with the closed order', async () => {
    const { token, addressId } = await shopperWithAddress(sys, DEV_BUYERS[2]!.userId);
    const p = await createProduct(sys.db, { skus: [{ stock: 7 }] });
    const created = await order(token, { items: [{ skuId: p.skuIds[0], quantity: 3 }], addressId });
    expect(await stockOf(p.skuIds[0]!)).toBe(4);

    const res = await sys.request<OrderView>('POST', `/api/orders/${created.body.id}/cancel`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'CLOSED', closeReason: '买家取消订单' });
    expect(res.body.closedAt).not.toBeNull();
    expect(res.body.timeline.map((e) => [e.type, e.status])).toEqual([
      ['CREATED', 'PENDING_PAYMENT'],
      ['CANCELLED', 'CLOSED'],
    ]);
    expect(await stockOf(p.skuIds[0]!)).toBe(7);

    const again = await sys.request<OrderView>('POST', `/api/orders/${created.body.id}/cancel`, { token });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('CLOSED');
    expect(again.body.timeline).toHaveLength(2);
    expect(await stockOf(p.skuIds[0]!)).toBe(7);
  });

  it('refuses to cancel a paid order with 409 ORDER_STATE_CONFLICT', async () => {
    const { token, addressId } = await shopperWithAddress(sys, DEV_BUYERS[3]!.userId);
    const p = await createProduct(sys.db, { skus: [{ stock: 7 }] });
    const created = await order(token, { items: [{ skuId: p.skuIds[0], quantity: 2 }], addressId });
    await sql(sys.db).transaction((tx) =>
      transitionOrder(tx, {
        orderId: created.body.id,
        from: ['PENDING_PAYMENT'],
        to: 'PAID',
        set: { paidAt: new Date() },
        event: { type: 'PAID', actorType: 'alipay' },
      }),
    );
    const res = await sys.request<ErrorBody>('POST', `/api/orders/${created.body.id}/cancel`, { token });
    expect([res.status, res.body.error.code]).toEqual([409, 'ORDER_STATE_CONFLICT']);
    expect(res.body.error.details).toEqual({ status: 'PAID' });
    expect((await sys.db.order.findUniqueOrThrow({ where: { id: created.body.id } })).status).toBe('PAID');
    expect(await stockOf(p.skuIds[0]!)).toBe(5);
  });
});
