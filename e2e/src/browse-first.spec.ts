import { type CategoryList } from '@shop/contract';
import { expect, test } from './fixtures';
import { PHONE } from './devices';
import { newBuyer, ok, productWithSpecs } from './support/api';
import { authorizeAs, chooseSku, openCartLine, shown } from './support/shop';
import { systemUrls } from './system';

/**
 * Browse first, sign in when it matters (the H5 build): a visitor looks at the home page, a category and a product
 * without signing in; 加入购物车, the cart and the orders page ask for it, and the shopper comes back to where they
 * were. The H5 pages carry a title and a way back, and a page that cannot load offers a way home.
 */

test.use(PHONE);

const tab = (name: string) => '.weui-tabbar__item' + `:has-text("${name}")`;

test('an anonymous visitor browses home, a category and a product, signs in at 加入购物车 and lands back on the product', async ({
  page,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '先逛逛');
  const { items: categories } = await ok<CategoryList>(await request.get(`${urls.api}/api/categories`));
  const category = categories.find((c) => c.name === '数码');
  expect(category, 'the demo catalog has 数码').toBeDefined();
  const { product, sku } = await productWithSpecs(request, urls, `categoryId=${category!.id}&limit=20`);

  // Home: the catalog, no sign-in asked for.
  await page.goto(urls.shop);
  await expect(shown(page.getByTestId('featured-products'))).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`^${urls.shop}`));
  await expect(page.locator('#taro-navigation-bar .taro-navigation-bar-title')).toHaveText('支付宝小店');

  // A category from the grid, then the product: still browsing anonymously.
  await shown(page.getByTestId('home-categories')).locator(`[aria-label="${category!.name}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/pages/products/index\\?categoryId=${category!.id}`));
  // Within the listing: until the router hides home, home's featured card for the same product is visible too.
  await shown(page.getByTestId('product-feed'))
    .locator(`[data-testid="product-card"][aria-label="${product.title}"]`)
    .click();
  await expect(page).toHaveURL(new RegExp(`/pages/product/index\\?id=${product.id}`));
  await expect(shown(page.getByTestId('product-title'))).toHaveText(product.title);
  const productUrl = page.url();

  // 加入购物车 needs a shopper: the authorize page, then back on the same product page, signed in.
  await shown(page.getByTestId('product-add-to-cart')).click();
  await authorizeAs(page, urls, buyer.userId);
  expect(page.url()).toBe(productUrl);
  await expect(shown(page.getByTestId('product-title'))).toHaveText(product.title);

  // Now 加入购物车 opens the spec sheet and the line lands in the buyer's cart.
  await shown(page.getByTestId('product-add-to-cart')).click();
  const sheet = await chooseSku(page, product, sku);
  await sheet.getByTestId('spec-confirm').click();
  await expect(page.getByText('已加入购物车')).toBeVisible();
  await openCartLine(page, product, sku);

  // 我的 knows who it is.
  await page.locator(tab('我的')).click();
  await expect(shown(page.getByTestId('me-name'))).toBeVisible();
  await expect(shown(page.getByTestId('me-sign-out'))).toBeVisible();
});

test('the cart asks for a sign-in; a shopper back from the sign-in page without one is asked, not sent again', async ({
  page,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '再想想');

  await page.goto(urls.shop);
  await expect(shown(page.getByTestId('featured-products'))).toBeVisible();
  await page.locator(tab('我的')).click();
  await expect(shown(page.getByTestId('me-signed-out'))).toHaveText('未登录');

  // The cart is the shopper's: the authorize page. Back without agreeing: the cart asks instead of redirecting.
  await page.locator(tab('购物车')).click();
  await expect(page).toHaveURL(new RegExp(`^${urls.sandbox}/oauth/authorize\\?`));
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`^${urls.shop}/pages/cart/index`));
  const ask = shown(page.getByTestId('state-sign-in'));
  await expect(ask).toContainText('登录后查看购物车');
  await expect(page).toHaveURL(new RegExp(`^${urls.shop}`));

  // 登录 there: the authorize page, and back on the cart, signed in (a new buyer's cart is empty).
  await ask.getByTestId('state-sign-in-button').click();
  await authorizeAs(page, urls, buyer.userId);
  await expect(page).toHaveURL(new RegExp(`^${urls.shop}/pages/cart/index`));
  await expect(shown(page.getByTestId('state-empty'))).toContainText('购物车还是空的');
});

test('the orders page signs in and comes back to the tab asked for', async ({ page, request }) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '看订单');
  await page.goto(`${urls.shop}/pages/orders/index?tab=REFUND`);
  await authorizeAs(page, urls, buyer.userId);
  await expect(page).toHaveURL(new RegExp(`^${urls.shop}/pages/orders/index\\?tab=REFUND$`));
  await expect(shown(page.getByTestId('order-tab-REFUND'))).toHaveAttribute('aria-selected', 'true');
  await expect(shown(page.getByTestId('state-empty'))).toContainText('还没有退款/售后订单');
});

test('H5 pages have a title and a way back, and a page that cannot load has a way home', async ({
  page,
  request,
}) => {
  const urls = systemUrls();
  const { product } = await productWithSpecs(request, urls, 'featured=true&limit=20');
  const bar = page.locator('#taro-navigation-bar');

  // From home to a product: the product's title, and back returns home.
  await page.goto(urls.shop);
  await shown(page.getByTestId('featured-products'))
    .locator(`[data-testid="product-card"][aria-label="${product.title}"]`)
    .click();
  await expect(shown(page.getByTestId('product-title'))).toHaveText(product.title);
  await expect(bar.locator('.taro-navigation-bar-title')).toHaveText(product.title);
  await bar.locator('.taro-navigation-bar-back').click();
  await expect(page).toHaveURL(new RegExp(`^${urls.shop}/(pages/index/index)?$`));
  await expect(shown(page.getByTestId('featured-products'))).toBeVisible();

  // A link to a product that is gone: the page says so, with 重试 and 返回首页; the bar offers home too.
  await page.goto(`${urls.shop}/pages/product/index?id=cnosuchproduct0000000000`);
  const error = shown(page.getByTestId('state-error'));
  await expect(error).toContainText('内容不存在或已删除');
  await expect(error.getByTestId('state-retry')).toBeVisible();
  await expect(bar.locator('.taro-navigation-bar-title')).toHaveText('商品详情');
  await expect(bar.locator('.taro-navigation-bar-home')).toBeVisible();
  await error.getByTestId('state-home').click();
  await expect(shown(page.getByTestId('featured-products'))).toBeVisible();
});
