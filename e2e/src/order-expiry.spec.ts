import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { ProductDetail, SkuView } from '@shop/contract';
import type { RunningSystem } from '@shop/scripts';
import { PHONE } from './devices';
import { addAddress, newBuyer, productWithSpecs, shopperHeaders } from './support/api';
import { cancelInCashier, chooseSku, expectCashier, orderIdFromUrl, shown, signInShop } from './support/shop';
import { type E2eUrls, startOwnSystem } from './system';

/**
 * An unpaid order closes by itself when it expires and its stock returns: the product page's spec sheet shows the
 * SKU's stock go down by the order's quantity while the order waits, and back up once it has closed. Orders wait 15
 * minutes on the shared system, so this spec runs on a system of its own whose orders expire after 20 seconds
 * (long enough for the steps before the expiry, short enough to wait for).
 */

const ORDER_TTL_MS = 20_000;

let system: RunningSystem;

test.beforeAll(async () => {
  system = await startOwnSystem('order-expiry', { ORDER_TTL_MS: String(ORDER_TTL_MS) });
});
test.afterAll(async () => {
  await system?.stop();
});

test.use(PHONE);

/**
 * Opens the product page afresh and reads the SKU's stock in the spec sheet. The API caches product details for a
 * second, so a page opened right after a change may show the old figure: open it again until it shows `stock`.
 */
async function expectStockShown(
  page: Page,
  urls: E2eUrls,
  product: ProductDetail,
  sku: SkuView,
  stock: number,
): Promise<void> {
  await expect(async () => {
    await page.goto(`${urls.shop}/pages/product/index?id=${product.id}`);
    await shown(page.getByTestId('product-spec-cell')).click();
    const sheet = await chooseSku(page, product, sku);
    await expect(sheet).toContainText(`库存 ${stock} 件`, { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
}

test('an unpaid order closes by itself at its expiry and its stock returns to the product page', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const urls = system.urls;
  const buyer = await newBuyer(request, urls, '郑过期');
  await addAddress(request, urls, await shopperHeaders(request, urls, buyer.userId));
  const { product, sku } = await productWithSpecs(request, urls, 'featured=true&limit=20', 2);

  // The stock before ordering, as the spec sheet shows it.
  await signInShop(page, urls, buyer.userId, `/pages/product/index?id=${product.id}`);
  await shown(page.getByTestId('product-buy-now')).click();
  const sheet = await chooseSku(page, product, sku);
  await expect(sheet).toContainText(`库存 ${sku.stock} 件`);
  await sheet.getByTestId('spec-confirm').click();
  await shown(page.getByTestId('checkout-submit')).click();

  // Leave the cashier without paying: the order waits, counting down.
  await expectCashier(page, urls, sku.priceFen);
  await cancelInCashier(page, urls);
  const orderId = orderIdFromUrl(page);
  await expect(page.getByTestId('pay-result')).toHaveAttribute('data-outcome', 'pending');

  // While it waits, its unit is reserved.
  await expectStockShown(page, urls, product, sku, sku.stock - 1);

  // The order page counts down, then (without the shopper doing anything) shows the order closed.
  await page.goto(`${urls.shop}/pages/order/index?id=${orderId}`);
  const detail = shown(page.getByTestId('order-detail'));
  await expect(detail.getByTestId('order-countdown')).toBeVisible();
  await expect(detail.getByTestId('order-status')).toHaveText('已关闭', { timeout: ORDER_TTL_MS + 20_000 });
  await expect(detail.getByTestId('order-countdown')).toHaveCount(0);
  await expect(shown(page.getByTestId('order-pay'))).toHaveCount(0);
  // Closed by the expiry job or by Alipay's close notify at the trade's time_expire, whichever came first: either way
  // the shopper reads that the order expired.
  await expect(detail).toContainText('超时未支付，订单已自动关闭');

  // The reserved unit is back on sale.
  await expectStockShown(page, urls, product, sku, sku.stock);
});
