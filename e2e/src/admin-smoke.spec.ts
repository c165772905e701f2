import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { type E2eUrls, systemUrls } from './system';

/**
 * The merchant admin's H5 build end to end, at the desktop viewport: an owner opens an order's address without a
 * session and is sent to sign-in and back, finds the order in the list by its number, and reads its payment timeline
 * with the notify that paid it; a wrong password is refused with the server's message. Selectors are the accessible
 * names and data-testids listed in apps/admin/README.md ("Test hooks").
 */

// A buyer of its own, so this file's orders never mix with the shop smoke test's cart and orders.
const BUYER = '2088000000000003';

interface Created {
  id: string;
  orderNo: string;
}

async function ok<T>(response: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(response.ok(), `${response.url()} answered ${response.status()}: ${await response.text()}`).toBe(
    true,
  );
  return (await response.json()) as T;
}

/** A paid order through the shop API and the sandbox, as a shopper would make one. */
async function paidOrder(request: APIRequestContext, urls: E2eUrls): Promise<Created> {
  const { authCode } = await ok<{ authCode: string }>(
    await request.post(`${urls.sandbox}/sandbox/auth-codes`, { data: { buyerId: BUYER } }),
  );
  const { token } = await ok<{ token: string }>(
    await request.post(`${urls.api}/api/session`, { data: { authCode } }),
  );
  const headers = { Authorization: `Bearer ${token}` };
  const address = await ok<{ id: string }>(
    await request.post(`${urls.api}/api/addresses`, {
      headers,
      data: {
        name: '李四',
        phone: '13900139000',
        province: '上海市',
        city: '上海市',
        district: '浦东新区',
        detail: '世纪大道 100 号',
        isDefault: true,
      },
    }),
  );
  const list = await ok<{ items: { id: string; soldOut: boolean }[] }>(
    await request.get(`${urls.api}/api/products?limit=20`),
  );
  let skuId: string | null = null;
  for (const product of list.items.filter((p) => !p.soldOut)) {
    const detail = await ok<{ skus: { id: string; stock: number }[] }>(
      await request.get(`${urls.api}/api/products/${product.id}`),
    );
    skuId = detail.skus.find((s) => s.stock > 0)?.id ?? null;
    if (skuId !== null) break;
  }
  if (skuId === null) throw new Error('the demo catalog has no product in stock');
  const order = await ok<Created>(
    await request.post(`${urls.api}/api/orders`, {
      headers,
      data: { items: [{ skuId, quantity: 1 }], addressId: address.id },
    }),
  );
  const { tradeNo } = await ok<{ tradeNo: string }>(
    await request.post(`${urls.api}/api/orders/${order.id}/payment`, { headers }),
  );
  await ok(await request.post(`${urls.sandbox}/sandbox/trades/${tradeNo}/pay`, { data: {} }));
  // The sandbox notifies the API asynchronously; the order is paid once that notify is applied.
  await expect
    .poll(
      async () =>
        (await ok<{ status: string }>(await request.get(`${urls.api}/api/orders/${order.id}`, { headers })))
          .status,
      { timeout: 20_000 },
    )
    .toBe('PAID');
  return { id: order.id, orderNo: order.orderNo };
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test.describe('admin smoke', () => {
  test('an owner signs in, finds the order in the list and opens its payment timeline', async ({
    page,
    request,
  }) => {
    const urls = systemUrls();
    const order = await paidOrder(request, urls);

    // Without a session the order's page sends the merchant to sign-in, remembering where they were going.
    await page.goto(`${urls.admin}/orders/detail?id=${order.id}`);
    await expect(page).toHaveURL(/\/login\?redirect=/);
    await signIn(page, 'owner', 'owner-demo-2026');
    await expect(page).toHaveURL(new RegExp(`/orders/detail\\?id=${order.id}`));
    await expect(page.getByTestId('order-no')).toHaveText(order.orderNo);
    await expect(page.getByTestId('current-admin')).toContainText('店主');

    // The orders list, searched by the order number, links to the order.
    await page.getByTestId('nav-orders').click();
    await expect(page).toHaveURL(/\/orders$/);
    await expect(page.getByTestId('orders-table')).toBeVisible();
    await expect(page.getByTestId('order-link').first()).toBeVisible();
    await page.getByLabel('关键词').fill(order.orderNo);
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.getByTestId('order-link')).toHaveCount(1);
    await expect(page.getByTestId('table-total')).toHaveText('共 1 条');
    await page.getByRole('link', { name: order.orderNo }).click();

    await expect(page).toHaveURL(new RegExp(`/orders/detail\\?id=${order.id}`));
    await expect(page.getByTestId('order-no')).toHaveText(order.orderNo);
    await expect(page.getByTestId('order-status')).toHaveText('已支付');
    const timeline = page.getByTestId('payment-timeline');
    await expect(timeline.getByTestId('timeline-gateway-create').first()).toBeVisible();
    const notify = timeline.getByTestId('timeline-notify').first();
    await expect(notify.getByTestId('notify-verified')).toHaveText('验签通过');
    await expect(notify.getByTestId('notify-outcome')).toHaveText('已生效');
    await expect(timeline.getByTestId('timeline-payment-paid')).toBeVisible();
    // An owner may refund a paid order.
    await expect(page.getByTestId('order-refund')).toBeVisible();
  });

  test('a wrong password is refused with a clear message', async ({ page }) => {
    const urls = systemUrls();
    await page.goto(`${urls.admin}/login`);
    // The staff account, so that the owner's sign-in throttle (5 failures) is left for other specs.
    await signIn(page, 'staff', 'not-the-password');
    const error = page.getByTestId('login-error');
    await expect(error).toContainText('用户名或密码错误');
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByLabel('密码')).toHaveValue('');
  });
});
