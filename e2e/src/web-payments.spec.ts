import { type Browser, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { formatFen, type OrderList, type ProductDetail, type SkuView } from '@shop/contract';
import { DESKTOP, PHONE, PHONE_BROWSER } from './devices';
import {
  addAddress,
  adminHeaders,
  adminOrder,
  newBuyer,
  ok,
  OWNER,
  placeOrder,
  productWithSpecs,
  shopperHeaders,
  waitForOrderStatus,
} from './support/api';
import { openOrderByNumber, signInAdmin } from './support/admin';
import { chooseSku, shown, signInShop } from './support/shop';
import { startOwnSystem, systemUrls, type E2eUrls } from './system';
import type { RunningSystem } from '@shop/scripts';

/**
 * Paying outside the mini-program, in Chromium against the real system: a phone browser pays by mobile web payment
 * (the sandbox's mobile cashier, back on return_url, verified by the API, order PAID); a desktop browser shows a QR
 * code that a sandbox buyer scans on the sandbox's scan page; and a code that expires is replaced by a new one.
 */

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** From the product page: 立即购买, the spec, and 提交订单 with the buyer's saved address. */
async function buyNow(page: Page, product: ProductDetail, sku: SkuView): Promise<void> {
  await shown(page.getByTestId('product-buy-now')).click();
  const sheet = await chooseSku(page, product, sku);
  await sheet.getByTestId('spec-confirm').click();
  await expect(shown(page.getByTestId('checkout-total'))).toHaveText(formatFen(sku.priceFen));
  await shown(page.getByTestId('checkout-submit')).click();
}

/** The buyer's phone reads the code: the sandbox's scan page, the buyer, then the cashier's 确认付款. */
async function scanAndPay(
  browser: Browser,
  urls: E2eUrls,
  qrContent: string,
  buyerId: string,
): Promise<void> {
  const phone = await browser.newContext(PHONE);
  try {
    const page = await phone.newPage();
    await page.goto(`${urls.sandbox}/scan`);
    await page.locator('textarea[name="qr_code"]').fill(qrContent);
    await page.getByRole('button', { name: '扫码' }).click();
    await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(urls.sandbox)}/qr/`));
    await page.locator(`input[name="buyer_id"][value="${buyerId}"]`).check();
    await page.getByRole('button', { name: '扫码付款' }).click();
    await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(urls.sandbox)}/cashier\\?`));
    await page.getByRole('button', { name: '确认付款' }).click();
    await expect(page.getByText('支付成功').first()).toBeVisible();
  } finally {
    await phone.close();
  }
}

test('a phone browser pays by mobile web payment: the cashier, back on return_url, and the order PAID', async ({
  browser,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '钱手机');
  const headers = await shopperHeaders(request, urls, buyer.userId);
  await addAddress(request, urls, headers);
  const { product, sku } = await productWithSpecs(request, urls, 'featured=true&limit=20');

  const context = await browser.newContext(PHONE_BROWSER);
  const page = await context.newPage();
  await signInShop(page, urls, buyer.userId, `/pages/product/index?id=${product.id}`);
  await buyNow(page, product, sku);

  // The sandbox's mobile cashier (alipay.trade.wap.pay), for the order's amount.
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(urls.sandbox)}/wap/cashier\\?`));
  await expect(page.locator('.amount')).toHaveText(formatFen(sku.priceFen, { grouping: false }));
  await page.locator(`input[name="buyer_id"][value="${buyer.userId}"]`).check();
  await page.getByRole('button', { name: '确认付款' }).click();

  // Back on return_url: the API verified Alipay's parameters, and the server says paid.
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(urls.shop)}/pages/pay-result/index`));
  const result = shown(page.getByTestId('pay-result'));
  await expect(result).toHaveAttribute('data-return', 'verified');
  await expect(result).toHaveAttribute('data-outcome', 'paid');
  await expect(page.getByTestId('pay-result-status')).toHaveText('支付成功');

  // Alipay's parameters were taken off the address; the page found the order by them.
  await expect(page).not.toHaveURL(/sign=/);
  const orders = await ok<OrderList>(await request.get(`${urls.api}/api/orders`, { headers }));
  const orderId = orders.items[0]!.id;
  await waitForOrderStatus(request, urls, headers, orderId, 'PAID');
  const detail = await adminOrder(request, urls, await adminHeaders(request, urls, OWNER), orderId);
  expect(detail.payment.payment).toMatchObject({
    method: 'alipay.trade.wap.pay',
    productCode: 'QUICK_WAP_WAY',
  });
  await context.close();
});

test('a desktop browser shows a QR code; a sandbox buyer scans and pays it, and the page turns 支付成功', async ({
  browser,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '孙桌面');
  const headers = await shopperHeaders(request, urls, buyer.userId);
  await addAddress(request, urls, headers);
  const { product, sku } = await productWithSpecs(request, urls, 'featured=true&limit=20');

  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  await signInShop(page, urls, buyer.userId, `/pages/product/index?id=${product.id}`);
  await buyNow(page, product, sku);

  const qr = shown(page.getByTestId('pay-qr'));
  await expect(qr).toHaveAttribute('data-state', 'active');
  await expect(page.getByTestId('pay-qr-countdown')).toContainText('后过期');
  await expect(page.getByTestId('pay-qr-image')).toBeVisible();
  const content = await qr.getAttribute('data-qr-content');
  expect(content).toMatch(new RegExp(`^${escapeRegExp(urls.sandbox)}/qr/`));

  await scanAndPay(browser, urls, content!, buyer.userId);
  await expect(page).toHaveURL(/\/pages\/pay-result\/index\?/, { timeout: 20_000 });
  await expect(page.getByTestId('pay-result-status')).toHaveText('支付成功');
  const orderId = new URL(page.url()).searchParams.get('orderId')!;
  const detail = await adminOrder(request, urls, await adminHeaders(request, urls, OWNER), orderId);
  expect(detail.payment.payment).toMatchObject({
    method: 'alipay.trade.precreate',
    productCode: 'FACE_TO_FACE_PAYMENT',
    status: 'PAID',
  });
  await context.close();
});

test('the merchant shows a collection QR for an unpaid order; the buyer scans it and the order page says paid', async ({
  browser,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '周柜台');
  const headers = await shopperHeaders(request, urls, buyer.userId);
  const address = await addAddress(request, urls, headers);
  const { sku } = await productWithSpecs(request, urls, 'featured=true&limit=20');
  const order = await placeOrder(request, urls, headers, address.id, [{ skuId: sku.id, quantity: 1 }]);

  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  await page.goto(`${urls.admin}/login`);
  await signInAdmin(page, OWNER);
  await expect(page.getByTestId('current-admin')).toBeVisible();
  await openOrderByNumber(page, order.orderNo);
  await expect(page.getByTestId('order-status')).toHaveText('待支付');

  await page.getByTestId('order-collect').click();
  const code = page.getByTestId('collect-qr');
  await expect(code).toHaveAttribute('data-state', 'active');
  const content = (await code.getAttribute('data-qr-content'))!;
  await scanAndPay(browser, urls, content, buyer.userId);

  await expect(page.getByTestId('order-notice')).toHaveText(/买家已扫码付款/, { timeout: 20_000 });
  await expect(page.getByTestId('order-status')).toHaveText('已支付');
  await expect(page.getByTestId('timeline-payment-method').first()).toContainText('扫码支付');
  await context.close();
});

test.describe('a QR code that expires', () => {
  const QR_CODE_TTL_MS = 6_000;
  let system: RunningSystem | undefined;

  test.beforeAll(async () => {
    system = await startOwnSystem('qr-expiry', { QR_CODE_TTL_MS: String(QR_CODE_TTL_MS) });
  });
  test.afterAll(async () => {
    await system?.stop();
  });

  test('is greyed out with 刷新付款码; the new code (the next out_trade_no) pays, the old one no longer scans', async ({
    browser,
    request,
  }) => {
    test.setTimeout(90_000);
    const urls = system!.urls;
    const buyer = await newBuyer(request, urls, '李过期码');
    const headers = await shopperHeaders(request, urls, buyer.userId);
    const address = await addAddress(request, urls, headers);
    const { sku } = await productWithSpecs(request, urls, 'featured=true&limit=20');
    const order = await placeOrder(request, urls, headers, address.id, [{ skuId: sku.id, quantity: 1 }]);

    const context = await browser.newContext(DESKTOP);
    const page = await context.newPage();
    await signInShop(page, urls, buyer.userId, `/pages/pay-qr/index?orderId=${order.id}`);
    const qr = shown(page.getByTestId('pay-qr'));
    await expect(qr).toHaveAttribute('data-state', 'active');
    const first = (await qr.getAttribute('data-qr-content'))!;
    await expect(qr).toHaveAttribute('data-out-trade-no', order.orderNo);

    // The countdown runs out: the code is greyed out and a new one is offered.
    await expect(qr).toHaveAttribute('data-state', 'expired', { timeout: QR_CODE_TTL_MS + 5_000 });
    await expect(page.getByTestId('pay-qr-expired')).toHaveText('付款码已过期，请刷新后重新扫码');
    await shown(page.getByTestId('pay-qr-renew')).click();
    await expect(qr).toHaveAttribute('data-state', 'active');
    await expect(qr).toHaveAttribute('data-out-trade-no', `${order.orderNo}_2`);
    const second = (await qr.getAttribute('data-qr-content'))!;
    expect(second).not.toBe(first);

    // The old code was closed at Alipay: its page says so.
    const old = await request.get(first);
    expect(old.status()).toBe(410);

    await scanAndPay(browser, urls, second, buyer.userId);
    await expect(page.getByTestId('pay-result-status')).toHaveText('支付成功', { timeout: 20_000 });
    await waitForOrderStatus(request, urls, headers, order.id, 'PAID');
    await context.close();
  });
});
