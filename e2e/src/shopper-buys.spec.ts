import { expect, test } from './fixtures';
import { type AddressBody, type CategoryList, formatFen } from '@shop/contract';
import { PHONE } from './devices';
import { newBuyer, ok, productWithSpecs } from './support/api';
import {
  chooseSku,
  expectCashier,
  fillAddress,
  openCartLine,
  orderIdFromUrl,
  payInCashier,
  shown,
  signInShop,
} from './support/shop';
import { systemUrls } from './system';

/**
 * The shopper's whole path on the shop's H5 build, with the real API, database and sandbox: sign in on the
 * sandbox's authorize page, browse a category, open a product, choose a spec, add it to the cart, check out with an
 * address typed in at checkout, pay in the sandbox cashier, see the order paid, and find it under 待发货.
 */

const NEW_ADDRESS: AddressBody = {
  name: '王五',
  phone: '13700137000',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  detail: '文三路 90 号 3 幢 501',
  isDefault: true,
};

test.use(PHONE);

test('a shopper browses a category, buys a spec with a new address, pays in the cashier and finds the order under 待发货', async ({
  page,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '周小舟');
  const { items: categories } = await ok<CategoryList>(await request.get(`${urls.api}/api/categories`));
  const category = categories.find((c) => c.name === '服饰');
  expect(category, 'the demo catalog has 服饰').toBeDefined();
  // The category page lists 20 per page, newest first: the product is on the first page the shopper sees.
  const { product, sku } = await productWithSpecs(request, urls, `categoryId=${category!.id}&limit=20`);

  await signInShop(page, urls, buyer.userId);

  // Home → the category from the grid → the product.
  await shown(page.getByTestId('home-categories')).locator(`[aria-label="${category!.name}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/pages/products/index\\?categoryId=${category!.id}`));
  // Within the listing: until the router hides home, home's featured card for the same product is visible too.
  await shown(page.getByTestId('product-feed'))
    .locator(`[data-testid="product-card"][aria-label="${product.title}"]`)
    .click();
  await expect(page).toHaveURL(new RegExp(`/pages/product/index\\?id=${product.id}`));
  await expect(shown(page.getByTestId('product-title'))).toHaveText(product.title);

  // A spec, into the cart.
  await shown(page.getByTestId('product-add-to-cart')).click();
  const sheet = await chooseSku(page, product, sku);
  await expect(sheet).toContainText(`库存 ${sku.stock} 件`);
  await sheet.getByTestId('spec-confirm').click();
  await expect(page.getByText('已加入购物车')).toBeVisible();

  // The cart: the line at the catalog's price, selected, and the total.
  await openCartLine(page, product, sku);
  await expect(shown(page.getByTestId('cart-total'))).toHaveText(formatFen(sku.priceFen));
  await shown(page.getByTestId('cart-checkout')).click();

  // Checkout: a new buyer has no address, so the page asks for one inline; it is saved when the order is placed.
  await expect(page).toHaveURL(/\/pages\/checkout\/index\?from=cart/);
  const form = shown(page.getByTestId('checkout-address-form'));
  await expect(form).toBeVisible();
  await fillAddress(form, NEW_ADDRESS);
  await expect(shown(page.getByTestId('checkout-line'))).toHaveCount(1);
  await expect(shown(page.getByTestId('checkout-line'))).toContainText(product.title);
  await expect(shown(page.getByTestId('checkout-total'))).toHaveText(formatFen(sku.priceFen));
  await shown(page.getByTestId('checkout-submit')).click();

  // The sandbox cashier, for the order's amount; pay.
  await expectCashier(page, urls, sku.priceFen);
  await payInCashier(page, urls);
  const orderId = orderIdFromUrl(page);
  const result = page.getByTestId('pay-result');
  await expect(result).toHaveAttribute('data-outcome', 'paid');
  await expect(result.getByTestId('pay-result-status')).toHaveText('支付成功');

  // The order: paid (待发货), to the address typed at checkout, for the spec chosen.
  await result.getByTestId('pay-result-view-order').click();
  await expect(page).toHaveURL(new RegExp(`/pages/order/index\\?id=${orderId}`));
  const detail = shown(page.getByTestId('order-detail'));
  await expect(detail.getByTestId('order-status')).toHaveText('待发货');
  await expect(detail).toContainText(NEW_ADDRESS.name);
  await expect(detail).toContainText(NEW_ADDRESS.detail);
  await expect(detail.getByTestId('order-item')).toContainText(
    product.specs.map((d) => sku.specs[d.name]).join(' / '),
  );
  await expect(detail.getByTestId('order-total')).toHaveText(formatFen(sku.priceFen));
  const orderNo = (await detail.getByTestId('order-no').textContent())?.trim() ?? '';
  expect(orderNo).toMatch(/^\d{20}$/);

  // 我的 → 待发货: the order is listed there as paid.
  await page.goto(`${urls.shop}/pages/me/index`);
  await shown(page.getByTestId('me-orders-PAID')).click();
  await expect(page).toHaveURL(/\/pages\/orders\/index\?tab=PAID/);
  const card = shown(page.locator(`[data-testid="order-card"][aria-label="订单 ${orderNo}"]`));
  await expect(card).toBeVisible();
  await expect(card.getByTestId('order-card-status')).toHaveText('待发货');

  // The address typed at checkout is in the shopper's address book, as the default.
  await page.goto(`${urls.shop}/pages/addresses/index`);
  const saved = shown(page.getByTestId('address-card'));
  await expect(saved).toHaveCount(1);
  await expect(saved).toContainText(NEW_ADDRESS.name);
  await expect(saved).toContainText(NEW_ADDRESS.detail);
});
