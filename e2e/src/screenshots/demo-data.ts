import { type APIRequestContext, expect } from '@playwright/test';
import type { AddressBody, ProductList, ReconciliationRunResult, RefundView } from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import {
  addAddress,
  adminHeaders,
  type Choice,
  type Headers,
  ok,
  payAtSandbox,
  placeOrder,
  product,
  shopperHeaders,
} from '../support/api';
import type { E2eUrls } from '../system';

/**
 * A believable shop for the README's screenshots, made through the same APIs the apps use: four seeded buyers with
 * their addresses, orders paid at the sandbox, shipped, completed, partly and fully refunded, one waiting for
 * payment and one cancelled, a cart, and today's reconciliation against the sandbox's bill.
 */

export interface DemoData {
  /** The buyer whose shop the screenshots show (张小明). */
  shopBuyerId: string;
  /** 张小明's shipped, partly refunded order: the shop's and the admin's order detail. */
  featuredOrderId: string;
  /** A product with a spec choice, for the product page. */
  specProduct: Choice;
  /** Today in China, reconciled. */
  billDate: string;
}

const ADDRESSES: AddressBody[] = [
  {
    name: '张小明',
    phone: '13800000001',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '文三路 90 号东部软件园 3 幢 501',
    isDefault: true,
  },
  {
    name: '李华',
    phone: '13800000002',
    province: '上海市',
    city: '上海市',
    district: '浦东新区',
    detail: '世纪大道 100 号 12 楼',
    isDefault: true,
  },
  {
    name: '王芳',
    phone: '13800000003',
    province: '广东省',
    city: '深圳市',
    district: '南山区',
    detail: '科技园南区高新南一道 8 号',
    isDefault: true,
  },
  {
    name: '赵磊',
    phone: '13800000004',
    province: '北京市',
    city: '北京市',
    district: '海淀区',
    detail: '中关村大街 27 号 1102 室',
    isDefault: true,
  },
];

/** Distinct products with stock (and a spec choice where the catalog has one), from the featured list first. */
async function inStock(request: APIRequestContext, urls: E2eUrls, count: number): Promise<Choice[]> {
  const picked: Choice[] = [];
  for (const query of ['featured=true&limit=20', 'sort=sales&limit=40']) {
    const list = await ok<ProductList>(await request.get(`${urls.api}/api/products?${query}`));
    for (const item of list.items) {
      if (picked.length === count) return picked;
      if (item.soldOut || picked.some((c) => c.product.id === item.id)) continue;
      const detail = await product(request, urls, item.id);
      const sku = detail.skus.find((s) => s.stock >= 5);
      if (sku) picked.push({ product: detail, sku });
    }
  }
  if (picked.length < count) throw new Error(`only ${picked.length} products in stock`);
  return picked;
}

function chinaDate(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(date);
}

export async function createDemoData(request: APIRequestContext, urls: E2eUrls): Promise<DemoData> {
  const admin = await adminHeaders(request, urls);
  const goods = await inStock(request, urls, 8);
  const at = (i: number) => goods[i]!.sku.id;

  const shoppers: { buyerId: string; headers: Headers; addressId: string }[] = [];
  for (const [i, buyer] of DEV_BUYERS.slice(0, 4).entries()) {
    const headers = await shopperHeaders(request, urls, buyer.userId);
    const address = await addAddress(request, urls, headers, ADDRESSES[i]);
    shoppers.push({ buyerId: buyer.userId, headers, addressId: address.id });
  }
  const order = async (who: number, lines: [number, number][], pay = true) => {
    const s = shoppers[who]!;
    const placed = await placeOrder(
      request,
      urls,
      s.headers,
      s.addressId,
      lines.map(([i, quantity]) => ({ skuId: at(i), quantity })),
    );
    return pay ? payAtSandbox(request, urls, s.headers, s.buyerId, placed.id) : placed;
  };
  const ship = async (orderId: string, carrier: string, trackingNo: string) =>
    ok(
      await request.post(`${urls.api}/api/admin/orders/${orderId}/ship`, {
        headers: admin,
        data: { carrier, trackingNo },
      }),
    );
  const refund = async (orderId: string, amountFen: number, reason: string) => {
    const made = await ok<RefundView>(
      await request.post(`${urls.api}/api/admin/orders/${orderId}/refunds`, {
        headers: admin,
        data: { amountFen, reason },
      }),
    );
    expect(made.status).toBe('SUCCEEDED');
  };

  // 张小明: a shipped order with one unit refunded (the detail pages), a completed one, one waiting for payment.
  const featured = await order(0, [
    [0, 1],
    [1, 2],
  ]);
  await ship(featured.id, '顺丰速运', 'SF1402938475612');
  await refund(featured.id, goods[1]!.sku.priceFen, '一件尺码不合适，买家寄回');
  const completed = await order(0, [[2, 1]]);
  await ship(completed.id, '中通快递', '78329104561234');
  await ok(
    await request.post(`${urls.api}/api/admin/orders/${completed.id}/complete`, { headers: admin, data: {} }),
  );
  await order(0, [[6, 1]], false);

  // 李华: one shipped, one paid; 王芳: one paid and fully refunded, one cancelled; 赵磊: one paid.
  await ship((await order(1, [[3, 1]])).id, '京东物流', 'JD0089123456701');
  await order(1, [[4, 2]]);
  const refunded = await order(2, [[5, 1]]);
  await refund(refunded.id, refunded.totalFen, '买家不想要了');
  const cancelled = await order(2, [[7, 1]], false);
  await ok(
    await request.post(`${urls.api}/api/orders/${cancelled.id}/cancel`, { headers: shoppers[2]!.headers }),
  );
  await order(3, [[7, 3]]);

  // 张小明's cart: two lines.
  for (const [i, quantity] of [
    [4, 1],
    [5, 2],
  ] as const) {
    await ok(
      await request.put(`${urls.api}/api/cart/items/${at(i)}`, {
        headers: shoppers[0]!.headers,
        data: { quantity },
      }),
    );
  }

  // Today's reconciliation: the sandbox serves today's bill at once (as Alipay does the next day).
  await ok(await request.put(`${urls.sandbox}/sandbox/settings`, { data: { billsSameDay: true } }));
  const billDate = chinaDate(new Date());
  const run = await ok<ReconciliationRunResult>(
    await request.post(`${urls.api}/api/admin/reconciliation/runs`, { headers: admin, data: { billDate } }),
  );
  expect(run.failure).toBeNull();

  const specProduct = goods.find((g) => g.product.specs.length > 1) ?? goods[0]!;
  return { shopBuyerId: DEV_BUYERS[0]!.userId, featuredOrderId: featured.id, specProduct, billDate };
}
