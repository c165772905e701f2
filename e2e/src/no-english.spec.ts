import { type Page } from '@playwright/test';
import { type AdminOrderDetail, type AdminProductList, type AfterSaleView } from '@shop/contract';
import { type RunningSystem } from '@shop/scripts';
import { expect, test } from './fixtures';
import { PHONE } from './devices';
import { createDemoData, type DemoData } from './screenshots/demo-data';
import { adminHeaders, adminOrder, ok, OWNER, shopperHeaders, STAFF } from './support/api';
import { signInAdmin } from './support/admin';
import { englishSentences } from './support/english';
import { shown, signInShop } from './support/shop';
import { startOwnSystem } from './system';

/**
 * Neither app shows English to a Chinese shopper or merchant. A system of its own gets realistic data (the
 * screenshots' demo shop: orders paid, shipped, completed, partly and fully refunded, waiting and cancelled, today's
 * reconciliation) plus a forged notify the API refuses, so the admin's payment timeline holds notifies verified and
 * refused and gateway calls of every kind; then every main page of both apps is read as a person sees it (the
 * visible text, placeholders and the title) and no run of Latin words may read as an English sentence
 * (support/english.ts, unit-tested in english.test.ts on English and Chinese samples).
 */

let system: RunningSystem;
let data: DemoData;
let featured: AdminOrderDetail;
let afterSale: AfterSaleView;

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(240_000);
  system = await startOwnSystem('no-english');
  const request = await playwright.request.newContext();
  try {
    const urls = system.urls;
    data = await createDemoData(request, urls);
    const admin = await adminHeaders(request, urls);
    featured = await adminOrder(request, urls, admin, data.featuredOrderId);
    // A forged notify for the featured order: stored, refused (bad signature), shown in its timeline.
    const forged = new URLSearchParams({
      notify_time: '2026-11-21 14:05:09',
      notify_type: 'trade_status_sync',
      notify_id: `forged${Date.now()}`,
      app_id: '9021000000000001',
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      sign: 'bm90IGEgc2lnbmF0dXJl',
      trade_no: featured.payment.payment?.tradeNo ?? '2026112122001400000000009',
      out_trade_no: featured.orderNo,
      trade_status: 'TRADE_SUCCESS',
      total_amount: '0.01',
    });
    const answer = await request.post(`${urls.api}/api/alipay/notify`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      data: forged.toString(),
    });
    expect(await answer.text()).not.toBe('success');
    featured = await adminOrder(request, urls, admin, data.featuredOrderId);
    expect(featured.payment.notifies.some((n) => !n.verified)).toBe(true);
    // An after-sale request on the featured (shipped) order, for the after-sales pages of both apps.
    afterSale = await ok<AfterSaleView>(
      await request.post(`${urls.api}/api/orders/${data.featuredOrderId}/after-sales`, {
        headers: await shopperHeaders(request, urls, data.shopBuyerId),
        data: { kind: 'RETURN_REFUND', reason: '质量问题', description: '袖口开线' },
      }),
    );
  } finally {
    await request.dispose();
  }
});

test.afterAll(async () => {
  await system?.stop();
});

/** What a person sees on the page: its visible text, the placeholders of its fields, and its title. */
async function shownText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const placeholders = Array.from(document.querySelectorAll<HTMLInputElement>('input, textarea'))
      .filter((field: HTMLInputElement) => field.offsetParent !== null)
      .map((field: HTMLInputElement) => field.placeholder);
    return [document.title, document.body.innerText, ...placeholders].join('\n');
  });
}

/** Reads the page once it shows `ready`, and fails naming every English sentence found on it. */
async function expectNoEnglish(page: Page, name: string, ready: () => Promise<void>): Promise<void> {
  await ready();
  await expect(page.getByTestId('state-loading').filter({ visible: true })).toHaveCount(0);
  await expect(page.getByTestId('loading')).toHaveCount(0);
  const sentences = englishSentences(await shownText(page)).map((run) => run.text);
  expect(sentences, `English on ${name} (${page.url()})`).toEqual([]);
}

test.describe('the shop', () => {
  test.use(PHONE);

  test('home, category, product, cart, 我的, orders, an order and addresses show no English sentence', async ({
    page,
  }) => {
    const shop = system.urls.shop;
    const visible = (id: string) => () => expect(shown(page.getByTestId(id)).first()).toBeVisible();

    await page.goto(shop);
    await expectNoEnglish(page, 'home (anonymous)', visible('featured-products'));
    await signInShop(page, system.urls, data.shopBuyerId);
    await expectNoEnglish(page, 'home', visible('featured-products'));
    await page.goto(`${shop}/pages/category/index`);
    await expectNoEnglish(page, 'category', visible('product-card'));
    await page.goto(`${shop}/pages/product/index?id=${data.specProduct.product.id}`);
    await expectNoEnglish(page, 'product', visible('product-title'));
    await shown(page.getByTestId('product-spec-cell')).click();
    await expectNoEnglish(page, 'spec sheet', visible('spec-sheet'));
    await page.goto(`${shop}/pages/cart/index`);
    await expectNoEnglish(page, 'cart', visible('cart-line'));
    await page.goto(`${shop}/pages/me/index`);
    await expectNoEnglish(page, '我的', visible('me-name'));
    for (const tab of ['all', 'PENDING_PAYMENT', 'SHIPPED', 'REFUND']) {
      await page.goto(`${shop}/pages/orders/index?tab=${tab}`);
      await expectNoEnglish(page, `orders ${tab}`, visible('order-card'));
    }
    const orders = await page.request.get(`${system.urls.api}/api/orders?limit=50`, {
      headers: { Authorization: `Bearer ${await sessionToken(page)}` },
    });
    for (const order of (await ok<{ items: { id: string; status: string }[] }>(orders)).items) {
      await page.goto(`${shop}/pages/order/index?id=${order.id}`);
      await expectNoEnglish(page, `order ${order.status}`, visible('order-timeline'));
    }
    await page.goto(`${shop}/pages/checkout/index?from=cart`);
    await expectNoEnglish(page, 'checkout', visible('checkout-lines'));
    await page.goto(`${shop}/pages/addresses/index`);
    await expectNoEnglish(page, 'addresses', visible('address-card'));
    await page.goto(`${shop}/pages/address-edit/index`);
    await expectNoEnglish(page, 'new address', visible('address-form'));
    await page.goto(`${shop}/pages/logistics/index?orderId=${data.featuredOrderId}`);
    await expectNoEnglish(page, 'logistics', visible('logistics-carrier'));
    await page.goto(`${shop}/pages/after-sale-apply/index?orderId=${data.featuredOrderId}`);
    await expectNoEnglish(page, 'after-sale form', visible('apply-line'));
    await page.goto(`${shop}/pages/after-sale/index?id=${afterSale.id}`);
    await expectNoEnglish(page, 'after-sale progress', visible('after-sale-status'));
  });
});

/** The shop's session token, as the app keeps it (Taro storage is localStorage on H5). */
async function sessionToken(page: Page): Promise<string> {
  const stored = await page.evaluate(() => localStorage.getItem('shop.session'));
  const parsed = JSON.parse(stored ?? '{}') as { data?: { token?: string }; token?: string };
  const token = parsed.data?.token ?? parsed.token;
  if (!token) throw new Error(`no shop session in localStorage: ${stored}`);
  return token;
}

test.describe('the admin', () => {
  test('sign-in, dashboard, orders, order timelines, products, reconciliation, audit, staff, webhooks and notifications show no English sentence', async ({
    page,
  }) => {
    const admin = system.urls.admin;
    const visible = (id: string) => () => expect(page.getByTestId(id).first()).toBeVisible();

    // A refused sign-in shows its reason in Chinese.
    await page.goto(`${admin}/login`);
    await signInAdmin(page, { username: OWNER.username, password: 'not-the-password' });
    await expectNoEnglish(page, 'sign-in refused', visible('login-error'));
    await signInAdmin(page, OWNER);
    await expectNoEnglish(page, 'dashboard', visible('attention-panel'));
    await expect(page.getByTestId('attention-notifies')).toContainText('验签失败');

    await page.goto(`${admin}/orders`);
    await expectNoEnglish(page, 'orders', visible('order-link'));
    const list = await page.request.get(`${system.urls.api}/api/admin/orders?pageSize=50`, {
      headers: await adminHeaders(page.request, system.urls),
    });
    for (const order of (await ok<{ items: { id: string; status: string }[] }>(list)).items) {
      await page.goto(`${admin}/orders/detail?id=${order.id}`);
      await expectNoEnglish(page, `order ${order.status}`, visible('payment-timeline'));
    }
    // The featured order: every kind of entry, the forged notify refused among them.
    await page.goto(`${admin}/orders/detail?id=${featured.id}`);
    await expect(page.getByTestId('notify-reject-reason')).toContainText('验签失败');
    await expect(page.getByTestId('timeline-refund-succeeded').first()).toBeVisible();

    await page.goto(`${admin}/products`);
    await expectNoEnglish(page, 'products', visible('product-link'));
    const products = await page.request.get(`${system.urls.api}/api/admin/products?pageSize=1`, {
      headers: await adminHeaders(page.request, system.urls),
    });
    const first = (await ok<AdminProductList>(products)).items[0]!;
    await page.goto(`${admin}/products/edit?id=${first.id}`);
    await expectNoEnglish(page, 'product edit', visible('product-skus'));

    await page.goto(`${admin}/products/photos?id=${first.id}`);
    await expectNoEnglish(page, 'product photos', () =>
      expect(page.getByRole('heading', { name: '实拍图片' })).toBeVisible(),
    );
    await page.goto(`${admin}/after-sales`);
    await expectNoEnglish(page, 'after-sales', visible('after-sale-open'));
    await page.goto(`${admin}/after-sales/detail?id=${afterSale.id}`);
    await expectNoEnglish(page, 'after-sale detail', visible('after-sale-info'));

    await page.goto(`${admin}/reconciliation`);
    await expectNoEnglish(page, 'reconciliation', visible('recon-days'));
    await page.goto(`${admin}/reconciliation/report?date=${data.billDate}`);
    await page
      .getByRole('group', { name: '按结果筛选' })
      .getByRole('button', { name: /^全部 \d+$/ })
      .click();
    await expectNoEnglish(page, 'reconciliation report', visible('recon-line-kind'));

    await page.goto(`${admin}/audit`);
    await expectNoEnglish(page, 'audit', visible('audit-table'));
    await page.goto(`${admin}/staff`);
    await expectNoEnglish(page, 'staff', visible('staff-table'));
    await page.goto(`${admin}/webhooks`);
    await expectNoEnglish(page, 'webhooks', visible('webhooks-table'));
    await page.goto(`${admin}/notifications`);
    await expectNoEnglish(page, 'notifications', visible('notification-item'));

    // Staff: a page the role may not open says so in Chinese.
    await page.getByTestId('sign-out').click();
    await expect(page).toHaveURL(/\/login/);
    await signInAdmin(page, STAFF);
    await expect(page.getByTestId('current-role')).toBeVisible();
    await page.goto(`${admin}/audit`);
    await expectNoEnglish(page, 'audit as staff', visible('forbidden'));
  });
});
