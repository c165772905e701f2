import { expect, type Locator, type Page } from '@playwright/test';
import { type AddressBody, formatFen, type ProductDetail, type SkuView } from '@shop/contract';
import type { E2eUrls } from '../system';

/**
 * Steps a shopper takes on the shop's H5 build, by the test hooks in apps/shop/README.md ("Test hooks"), and on the
 * sandbox's authorize and cashier pages (the H5 stand-ins for my.getAuthCode and my.tradePay).
 */

/**
 * Taro's H5 router keeps the pages of the stack in the document and hides all but the top one, so a test id can
 * match a hidden page's element too: act only on what the shopper can see.
 */
export function shown(locator: Locator): Locator {
  return locator.filter({ visible: true });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * On the sandbox's authorize page (where the shop sent the shopper): picks the buyer and agrees; the shop comes back
 * to the page it left with the auth code, exchanges it for a session and takes it off the URL.
 */
export async function authorizeAs(page: Page, urls: E2eUrls, buyerId: string): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(urls.sandbox)}/oauth/authorize\\?`));
  await page.locator(`input[name="buyer_id"][value="${buyerId}"]`).check();
  await page.getByRole('button', { name: '同意授权' }).click();
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(urls.shop)}`));
  await expect(page).not.toHaveURL(/auth_code=/);
}

/**
 * Signs in as a shopper who wants to first: the shop lets a visitor browse without a session, so this taps 登录 on
 * 我的, agrees on the authorize page, and then opens `path` signed in. (browse-first.spec.ts signs in the other way,
 * at 加入购物车.)
 */
export async function signInShop(page: Page, urls: E2eUrls, buyerId: string, path = '/'): Promise<void> {
  await page.goto(`${urls.shop}/pages/me/index`);
  await shown(page.getByTestId('me-sign-in')).click();
  await authorizeAs(page, urls, buyerId);
  await expect(shown(page.getByTestId('me-name'))).toBeVisible();
  await page.goto(`${urls.shop}${path}`);
}

/** In the open spec sheet, taps the SKU's value in every dimension (leaving values already chosen). */
export async function chooseSku(page: Page, product: ProductDetail, sku: SkuView): Promise<Locator> {
  const sheet = shown(page.getByTestId('spec-sheet'));
  await expect(sheet).toBeVisible();
  for (const dimension of product.specs) {
    const option = sheet.locator(`[aria-label="${dimension.name} ${sku.specs[dimension.name]}"]`);
    if ((await option.getAttribute('aria-selected')) !== 'true') await option.click();
    await expect(option).toHaveAttribute('aria-selected', 'true');
  }
  await expect(sheet.getByTestId('spec-price')).toHaveText(formatFen(sku.priceFen));
  return sheet;
}

/**
 * From the product page to the cart: the cart holds exactly one line of the product, at the SKU's catalog price.
 * Returns that line.
 */
export async function openCartLine(page: Page, product: ProductDetail, sku: SkuView): Promise<Locator> {
  await shown(page.getByTestId('product-go-cart')).click();
  await expect(page).toHaveURL(/\/pages\/cart\/index/);
  const line = shown(page.getByTestId('cart-line')).filter({ hasText: product.title });
  await expect(line).toHaveCount(1);
  await expect(line.getByTestId('cart-line-price')).toHaveText(formatFen(sku.priceFen));
  return line;
}

/** Chooses province, city and district in the 省市区 picker the form's 所在地区 opens. */
export async function chooseRegion(scope: Locator, address: AddressBody): Promise<void> {
  await scope.getByTestId('address-region').click();
  const picker = shown(scope.page().getByTestId('region-picker'));
  await expect(picker).toBeVisible();
  for (const name of [address.province, address.city, address.district]) {
    await picker.locator(`[data-testid="region-option"][aria-label="${name}"]`).click();
  }
  await expect(picker).toBeHidden();
  await expect(scope.getByTestId('address-region')).toHaveText(
    `${address.province} ${address.city} ${address.district}`,
  );
}

/** Fills the shop's address form (inputs sit inside the test-id'd Taro elements; the region is a picker). */
export async function fillAddress(scope: Locator, address: AddressBody): Promise<void> {
  await scope.getByTestId('address-name').locator('input').fill(address.name);
  await scope.getByTestId('address-phone').locator('input').fill(address.phone);
  await chooseRegion(scope, address);
  await scope.getByTestId('address-detail').locator('textarea').fill(address.detail);
}

/** The sandbox cashier, open for a trade of this amount. */
export async function expectCashier(page: Page, urls: E2eUrls, totalFen: number): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(urls.sandbox)}/cashier\\?`));
  // The cashier shows yuan without grouping (fenToYuan), e.g. ¥1299.00.
  await expect(page.locator('.amount')).toHaveText(formatFen(totalFen, { grouping: false }));
}

/** Pays in the sandbox cashier and lands on the shop's payment result page. */
export async function payInCashier(page: Page, urls: E2eUrls): Promise<void> {
  await page.getByRole('button', { name: '确认付款' }).click();
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(urls.shop)}/pages/pay-result/index\\?`));
}

/** Leaves the sandbox cashier without paying (my.tradePay's 6001) and lands on the payment result page. */
export async function cancelInCashier(page: Page, urls: E2eUrls): Promise<void> {
  await page.getByRole('button', { name: '取消' }).click();
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(urls.shop)}/pages/pay-result/index\\?`));
}

/** The order id the payment result page is about (its `orderId` query parameter). */
export function orderIdFromUrl(page: Page): string {
  const id = new URL(page.url()).searchParams.get('orderId');
  if (!id) throw new Error(`no orderId in ${page.url()}`);
  return id;
}
