import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { formatFen } from '@shop/contract';
import { REPO_ROOT } from '@shop/scripts';
import { PHONE } from '../devices';
import { OWNER } from '../support/api';
import { signInAdmin } from '../support/admin';
import { chooseSku, shown, signInShop } from '../support/shop';
import { systemUrls } from '../system';
import { createDemoData, type DemoData } from './demo-data';

/**
 * The README's screenshots (`pnpm screenshots`): the shop at a phone's size and the admin at a desktop's, on a
 * fresh system filled with demo orders. Run by playwright.screenshots.config.ts only, so `pnpm test` never
 * rewrites them.
 */

const OUT = join(REPO_ROOT, 'docs/screenshots');

/**
 * Everything on screen has loaded and stopped moving: no request in flight, every picture decoded, fonts ready, and
 * every canvas unchanged between two looks a quarter of a second apart (ECharts animates its series on canvas,
 * which Playwright's `animations: 'disabled'` does not reach).
 */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const pixels = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll('canvas'))
        .map((c) => c.toDataURL())
        .join(),
    );
  let before = await pixels();
  await expect(async () => {
    await page.waitForTimeout(250);
    const now = await pixels();
    const still = now === before;
    before = now;
    expect(still, 'canvases stopped changing').toBe(true);
  }).toPass({ timeout: 10_000 });
}

async function shoot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await settle(page);
  await page.screenshot({
    path: join(OUT, `${name}.png`),
    animations: 'disabled',
    caret: 'hide',
    fullPage: options.fullPage ?? false,
  });
}

test.describe.configure({ mode: 'serial' });

let data: DemoData;

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(180_000);
  const request = await playwright.request.newContext();
  try {
    data = await createDemoData(request, systemUrls());
  } finally {
    await request.dispose();
  }
});

test.describe('shop', () => {
  test.use(PHONE);

  test('home, product with the spec picker, cart, order', async ({ page }) => {
    const urls = systemUrls();
    await signInShop(page, urls, data.shopBuyerId);
    await expect(shown(page.getByTestId('product-card')).first()).toBeVisible();
    await shoot(page, 'shop-home');

    const { product, sku } = data.specProduct;
    await page.goto(`${urls.shop}/pages/product/index?id=${product.id}`);
    await shown(page.getByTestId('product-spec-cell')).click();
    await chooseSku(page, product, sku);
    await shoot(page, 'shop-product');

    await page.goto(`${urls.shop}/pages/cart/index`);
    await expect(shown(page.getByTestId('cart-line'))).toHaveCount(2);
    await shoot(page, 'shop-cart');

    await page.goto(`${urls.shop}/pages/order/index?id=${data.featuredOrderId}`);
    const detail = shown(page.getByTestId('order-detail'));
    await expect(detail.getByTestId('order-status')).toHaveText('待收货');
    await expect(detail.getByTestId('order-refunded')).toBeVisible();
    await shoot(page, 'shop-order');
  });
});

test.describe('admin', () => {
  test('dashboard, orders, order with its payment timeline, reconciliation', async ({ page }) => {
    const urls = systemUrls();
    await page.goto(`${urls.admin}/login`);
    await signInAdmin(page, OWNER);
    await expect(page).toHaveURL(/\/dashboard/);
    await expect(page.getByTestId('dashboard-chart').locator('canvas').first()).toBeVisible();
    await expect(page.getByTestId('stat-sales')).not.toContainText(formatFen(0));
    await shoot(page, 'admin-dashboard');

    await page.getByTestId('nav-orders').click();
    await expect(page.getByTestId('order-link').first()).toBeVisible();
    await shoot(page, 'admin-orders');

    await page.goto(`${urls.admin}/orders/detail?id=${data.featuredOrderId}`);
    await expect(page.getByTestId('timeline-refund-succeeded')).toBeVisible();
    await shoot(page, 'admin-order', { fullPage: true });

    await page.goto(`${urls.admin}/reconciliation/report?date=${data.billDate}`);
    await expect(page.getByTestId('recon-status')).toBeVisible();
    // Every line, not only the differences (there are none).
    await page
      .getByRole('group', { name: '按结果筛选' })
      .getByRole('button', { name: /^全部 \d+$/ })
      .click();
    await expect(page.getByTestId('recon-line-kind').first()).toBeVisible();
    await shoot(page, 'admin-reconciliation', { fullPage: true });
  });
});
