import { MAX_CART_LINES, type Cart, type ErrorBody } from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCategory, createProduct } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys.close());

const put = (token: string, skuId: string, body: unknown) =>
  sys.request<Cart & ErrorBody>('PUT', `/api/cart/items/${skuId}`, { token, body });

describe('cart', () => {
  it('adds lines, sets quantities, shows current prices and totals over selected lines', async () => {
    const token = await sys.signIn(DEV_BUYERS[0]!.userId);
    const category = await createCategory(sys.db, { slug: 'apparel' });
    const tee = await createProduct(sys.db, {
      categoryId: category.id,
      title: '纯棉T恤',
      skus: [
        { specs: { 颜色: '黑色', 尺码: 'M' }, priceFen: 7900, stock: 10 },
        { specs: { 颜色: '白色', 尺码: 'L' }, priceFen: 8900, stock: 10 },
      ],
    });
    const [black, white] = tee.skuIds as [string, string];

    expect((await sys.request<Cart>('GET', '/api/cart', { token })).body).toEqual({
      items: [],
      selectedCount: 0,
      selectedTotalFen: 0,
    });
    expect((await put(token, black, { quantity: 2 })).status).toBe(200);
    const cart = (await put(token, white, { quantity: 1 })).body;
    // Newest line first.
    expect(cart.items.map((l) => l.skuId)).toEqual([white, black]);
    expect(cart.items[1]).toEqual({
      skuId: black,
      productId: tee.id,
      title: '纯棉T恤',
      specText: '黑色 / M',
      imageUrl: `/images/products/${tee.id}/0.svg`,
      unitPriceFen: 7900,
      quantity: 2,
      selected: true,
      stock: 10,
      available: true,
      unavailableReason: null,
      lineTotalFen: 15800,
    });
    expect(cart.selectedCount).toBe(3);
    expect(cart.selectedTotalFen).toBe(15800 + 8900);

    // PUT sets the quantity (it does not add to it), and may unselect.
    const set = (await put(token, black, { quantity: 5, selected: false })).body;
    expect(set.items.find((l) => l.skuId === black)).toMatchObject({ quantity: 5, selected: false });
    expect(set.selectedTotalFen).toBe(8900);

    // A price change shows on the next read.
    await sys.db.sku.update({ where: { id: white }, data: { priceFen: 6900 } });
    expect((await sys.request<Cart>('GET', '/api/cart', { token })).body.selectedTotalFen).toBe(6900);
  });

  it('marks lines unavailable and leaves them out of the total', async () => {
    const token = await sys.signIn(DEV_BUYERS[1]!.userId);
    const soon = await createProduct(sys.db, { skus: [{ priceFen: 1000, stock: 5 }] });
    const short = await createProduct(sys.db, { skus: [{ priceFen: 2000, stock: 5 }] });
    const gone = await createProduct(sys.db, { skus: [{ priceFen: 3000, stock: 5 }] });
    const fine = await createProduct(sys.db, { skus: [{ priceFen: 4000, stock: 5 }] });
    for (const p of [soon, short, gone, fine]) await put(token, p.skuIds[0]!, { quantity: 3 });

    await sys.db.sku.update({ where: { id: soon.skuIds[0] }, data: { stock: 0 } });
    await sys.db.sku.update({ where: { id: short.skuIds[0] }, data: { stock: 2 } });
    await sys.db.product.update({ where: { id: gone.id }, data: { status: 'UNPUBLISHED' } });

    const cart = (await sys.request<Cart>('GET', '/api/cart', { token })).body;
    const reason = (skuId: string) => cart.items.find((l) => l.skuId === skuId)!.unavailableReason;
    expect(reason(soon.skuIds[0]!)).toBe('OUT_OF_STOCK');
    expect(reason(short.skuIds[0]!)).toBe('INSUFFICIENT_STOCK');
    expect(reason(gone.skuIds[0]!)).toBe('PRODUCT_UNAVAILABLE');
    expect(reason(fine.skuIds[0]!)).toBeNull();
    expect(cart.selectedCount).toBe(3);
    expect(cart.selectedTotalFen).toBe(12000);
  });

  it('refuses SKUs that are unknown, off sale or short of stock, without touching the cart', async () => {
    const token = await sys.signIn(DEV_BUYERS[2]!.userId);
    const off = await createProduct(sys.db, { status: 'UNPUBLISHED' });
    const few = await createProduct(sys.db, { skus: [{ stock: 2 }] });

    const unknown = await put(token, 'cnosuchsku0000000000000', { quantity: 1 });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const unavailable = await put(token, off.skuIds[0]!, { quantity: 1 });
    expect([unavailable.status, unavailable.body.error.code]).toEqual([409, 'PRODUCT_UNAVAILABLE']);
    const tooMany = await put(token, few.skuIds[0]!, { quantity: 3 });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([409, 'OUT_OF_STOCK']);
    expect(tooMany.body.error.details).toEqual({ skuId: few.skuIds[0], requested: 3, available: 2 });
    expect((await sys.request<Cart>('GET', '/api/cart', { token })).body.items).toEqual([]);
  });

  it('removes lines (idempotently) and selects or unselects several at once', async () => {
    const token = await sys.signIn(DEV_BUYERS[3]!.userId);
    const a = await createProduct(sys.db, { skus: [{ priceFen: 100 }] });
    const b = await createProduct(sys.db, { skus: [{ priceFen: 200 }] });
    const c = await createProduct(sys.db, { skus: [{ priceFen: 400 }] });
    for (const p of [a, b, c]) await put(token, p.skuIds[0]!, { quantity: 1 });

    const none = await sys.request<Cart>('POST', '/api/cart/select', {
      token,
      body: { skuIds: [a.skuIds[0], b.skuIds[0], c.skuIds[0], 'cnotinthecart000000000'], selected: false },
    });
    expect(none.status).toBe(200);
    expect(none.body.items.every((l) => !l.selected)).toBe(true);
    expect(none.body.selectedTotalFen).toBe(0);
    const some = await sys.request<Cart>('POST', '/api/cart/select', {
      token,
      body: { skuIds: [c.skuIds[0]], selected: true },
    });
    expect(some.body.selectedTotalFen).toBe(400);

    const removed = await sys.request<Cart>('DELETE', `/api/cart/items/${c.skuIds[0]}`, { token });
    expect(removed.status).toBe(200);
    expect(removed.body.items.map((l) => l.skuId).sort()).toEqual([a.skuIds[0], b.skuIds[0]].sort());
    const again = await sys.request<Cart>('DELETE', `/api/cart/items/${c.skuIds[0]}`, { token });
    expect(again.status).toBe(200);
    expect(again.body.items).toHaveLength(2);
  });

  it('keeps each user’s cart to themselves', async () => {
    const alice = await sys.signIn(DEV_BUYERS[0]!.userId);
    const bob = await sys.signIn(DEV_BUYERS[4]!.userId);
    const p = await createProduct(sys.db);
    await put(alice, p.skuIds[0]!, { quantity: 1 });
    const bobs = await sys.request<Cart>('GET', '/api/cart', { token: bob });
    expect(bobs.body.items.some((l) => l.skuId === p.skuIds[0])).toBe(false);
    // Bob removing "his" line for that SKU leaves Alice's alone.
    await sys.request('DELETE', `/api/cart/items/${p.skuIds[0]}`, { token: bob });
    const alices = await sys.request<Cart>('GET', '/api/cart', { token: alice });
    expect(alices.body.items.some((l) => l.skuId === p.skuIds[0])).toBe(true);
  });

  it(`holds at most ${MAX_CART_LINES} lines, even when the last ones arrive together`, async () => {
    const limited = await startTestSystem();
    try {
      const token = await limited.signIn();
      const category = await createCategory(limited.db);
      const product = await createProduct(limited.db, {
        categoryId: category.id,
        skus: Array.from({ length: MAX_CART_LINES + 5 }, (_, i) => ({ specs: { 编号: String(i) } })),
      });
      const user = await limited.db.session.findFirstOrThrow({ select: { userId: true } });
      await limited.db.cartItem.createMany({
        data: product.skuIds
          .slice(0, MAX_CART_LINES - 2)
          .map((skuId) => ({ userId: user.userId, skuId, quantity: 1 })),
      });
      const last = product.skuIds.slice(MAX_CART_LINES - 2);
      const results = await Promise.all(
        last.map((skuId) =>
          limited.request<ErrorBody>('PUT', `/api/cart/items/${skuId}`, { token, body: { quantity: 1 } }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(2);
      const refused = results.filter((r) => r.status !== 200);
      expect(refused).toHaveLength(5);
      for (const r of refused) expect([r.status, r.body.error.code]).toEqual([422, 'CART_LIMIT']);
      expect(await limited.db.cartItem.count({ where: { userId: user.userId } })).toBe(MAX_CART_LINES);
      // Changing a line that is already there is still fine at the limit.
      const change = await limited.request('PUT', `/api/cart/items/${product.skuIds[0]}`, {
        token,
        body: { quantity: 2 },
      });
      expect(change.status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
