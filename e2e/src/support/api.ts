import { type APIRequestContext, type APIResponse, expect } from '@playwright/test';
import type {
  Address,
  AddressBody,
  AdminOrderDetail,
  AdminSessionResponse,
  OrderView,
  PaymentCreateResponse,
  ProductDetail,
  ProductList,
  SessionResponse,
  SkuView,
} from '@shop/contract';
import type { E2eUrls } from '../system';

/**
 * What a tester does around the pages, over HTTP: the sandbox's control API (buyers, auth codes, paying a trade,
 * faults, notifications) and the shop and admin APIs for setting up data a flow is not about (an address, a paid
 * order to refund). The flows themselves go through the pages.
 */

export type Headers = Record<string, string>;

/** The JSON body of a 2xx answer, or a failure naming the URL, the status and the body. */
export async function ok<T>(response: APIResponse): Promise<T> {
  expect(response.ok(), `${response.url()} answered ${response.status()}: ${await response.text()}`).toBe(
    true,
  );
  return (await response.json()) as T;
}

export interface Buyer {
  userId: string;
  nickname: string;
  balanceFen: number;
}

/**
 * A sandbox buyer of the test's own (`POST /sandbox/buyers`), so that no two tests share a cart, addresses or
 * orders, whichever worker runs them and however often the suite runs against one system.
 */
export async function newBuyer(request: APIRequestContext, urls: E2eUrls, nickname: string): Promise<Buyer> {
  return ok<Buyer>(
    await request.post(`${urls.sandbox}/sandbox/buyers`, { data: { nickname, balanceFen: 10_000_000 } }),
  );
}

/** A shop session for a buyer, as the app gets one: an auth code from the sandbox exchanged at the API. */
export async function shopperHeaders(
  request: APIRequestContext,
  urls: E2eUrls,
  buyerId: string,
): Promise<Headers> {
  const { authCode } = await ok<{ authCode: string }>(
    await request.post(`${urls.sandbox}/sandbox/auth-codes`, { data: { buyerId } }),
  );
  const { token } = await ok<SessionResponse>(
    await request.post(`${urls.api}/api/session`, { data: { authCode } }),
  );
  return { Authorization: `Bearer ${token}` };
}

export const HOME_ADDRESS: AddressBody = {
  name: '李四',
  phone: '13900139000',
  province: '上海市',
  city: '上海市',
  district: '浦东新区',
  detail: '世纪大道 100 号',
  isDefault: true,
};

export async function addAddress(
  request: APIRequestContext,
  urls: E2eUrls,
  headers: Headers,
  body: AddressBody = HOME_ADDRESS,
): Promise<Address> {
  return ok<Address>(await request.post(`${urls.api}/api/addresses`, { headers, data: body }));
}

export interface Choice {
  product: ProductDetail;
  sku: SkuView;
}

/**
 * The first product of a listing (the API's own order, as the page shows it) that has a spec choice and a SKU in
 * stock, with that SKU. `query` is the listing's query string (`categoryId=...&limit=20`).
 */
export async function productWithSpecs(
  request: APIRequestContext,
  urls: E2eUrls,
  query: string,
  minStock = 1,
): Promise<Choice> {
  const list = await ok<ProductList>(await request.get(`${urls.api}/api/products?${query}`));
  for (const item of list.items.filter((p) => !p.soldOut)) {
    const product = await ok<ProductDetail>(await request.get(`${urls.api}/api/products/${item.id}`));
    const sku = product.skus.find((s) => s.stock >= minStock);
    if (product.specs.length > 0 && sku) return { product, sku };
  }
  throw new Error(`no product with specs and stock >= ${minStock} in /api/products?${query}`);
}

export async function product(request: APIRequestContext, urls: E2eUrls, id: string): Promise<ProductDetail> {
  return ok<ProductDetail>(await request.get(`${urls.api}/api/products/${id}`));
}

/** Waits until the shop API reports the order in `status` (notifies and jobs are asynchronous). */
export async function waitForOrderStatus(
  request: APIRequestContext,
  urls: E2eUrls,
  headers: Headers,
  orderId: string,
  status: OrderView['status'],
): Promise<OrderView> {
  let order: OrderView | undefined;
  await expect
    .poll(
      async () => {
        order = await ok<OrderView>(await request.get(`${urls.api}/api/orders/${orderId}`, { headers }));
        return order.status;
      },
      { timeout: 20_000 },
    )
    .toBe(status);
  return order!;
}

/** An order placed through the shop API (prices, stock and totals are the server's). */
export async function placeOrder(
  request: APIRequestContext,
  urls: E2eUrls,
  headers: Headers,
  addressId: string,
  lines: { skuId: string; quantity: number }[],
): Promise<OrderView> {
  return ok<OrderView>(
    await request.post(`${urls.api}/api/orders`, { headers, data: { items: lines, addressId } }),
  );
}

/** Pays an order as the cashier would: the API opens the trade, the buyer pays it at the sandbox; waits for PAID. */
export async function payAtSandbox(
  request: APIRequestContext,
  urls: E2eUrls,
  headers: Headers,
  buyerId: string,
  orderId: string,
): Promise<OrderView> {
  const { tradeNo } = await ok<PaymentCreateResponse>(
    await request.post(`${urls.api}/api/orders/${orderId}/payment`, { headers }),
  );
  await ok(await request.post(`${urls.sandbox}/sandbox/trades/${tradeNo}/pay`, { data: { buyerId } }));
  return waitForOrderStatus(request, urls, headers, orderId, 'PAID');
}

/**
 * A paid order for a buyer, made through the shop API and paid at the sandbox: the setup of flows about what
 * happens after payment (refunds, the merchant's views).
 */
export async function paidOrder(
  request: APIRequestContext,
  urls: E2eUrls,
  buyerId: string,
  lines: { skuId: string; quantity: number }[],
): Promise<OrderView> {
  const headers = await shopperHeaders(request, urls, buyerId);
  const address = await addAddress(request, urls, headers);
  const order = await placeOrder(request, urls, headers, address.id, lines);
  return payAtSandbox(request, urls, headers, buyerId, order.id);
}

export const OWNER = { username: 'owner', password: 'owner-demo-2026' } as const;
export const STAFF = { username: 'staff', password: 'staff-demo-2026' } as const;

export async function adminHeaders(
  request: APIRequestContext,
  urls: E2eUrls,
  account: { username: string; password: string } = OWNER,
): Promise<Headers> {
  const { token } = await ok<AdminSessionResponse>(
    await request.post(`${urls.api}/api/admin/session`, { data: account }),
  );
  return { Authorization: `Bearer ${token}` };
}

export async function adminOrder(
  request: APIRequestContext,
  urls: E2eUrls,
  headers: Headers,
  orderId: string,
): Promise<AdminOrderDetail> {
  return ok<AdminOrderDetail>(await request.get(`${urls.api}/api/admin/orders/${orderId}`, { headers }));
}

/** A sandbox fault (apps/sandbox README, "Faults"); faults are global to the sandbox until cleared. */
export async function addFault(
  request: APIRequestContext,
  urls: E2eUrls,
  fault: Record<string, unknown>,
): Promise<void> {
  await ok(await request.post(`${urls.sandbox}/sandbox/faults`, { data: fault }));
}

export async function clearFaults(request: APIRequestContext, urls: E2eUrls): Promise<void> {
  await ok(await request.delete(`${urls.sandbox}/sandbox/faults`));
}

export interface SandboxNotification {
  notifyId: string;
  kind: string;
  status: string;
  attemptCount: number;
  attempts: { attemptNo: number; outcome: string; httpStatus: number | null }[];
}

/** The notifies the sandbox queued for a trade, with every attempt it made. */
export async function sandboxNotifications(
  request: APIRequestContext,
  urls: E2eUrls,
  outTradeNo: string,
): Promise<SandboxNotification[]> {
  const { items } = await ok<{ items: SandboxNotification[] }>(
    await request.get(`${urls.sandbox}/sandbox/notifications?outTradeNo=${outTradeNo}`),
  );
  return items;
}
