import { expect, test } from './fixtures';
import { PHONE } from './devices';
import { newBuyer, productWithSpecs } from './support/api';
import { chooseSku, openCartLine, shown, signInShop } from './support/shop';
import { systemUrls } from './system';

/**
 * The shop's H5 build from its home page: sign in through the sandbox's authorize page (the H5 stand-in for
 * my.getAuthCode), open a featured product, choose a spec, add it to the cart, and see it there at the catalog's
 * price. The whole purchase is shopper-buys.spec.ts.
 */

test.use(PHONE);

test('signs in through the sandbox, opens a featured product and adds it to the cart', async ({
  page,
  request,
}) => {
  const urls = systemUrls();
  const buyer = await newBuyer(request, urls, '李小试');
  // A featured product with a spec choice and stock, read from the API the home page itself uses.
  const { product, sku } = await productWithSpecs(request, urls, 'featured=true&limit=20');

  await signInShop(page, urls, buyer.userId);

  // Home: featured products; open ours.
  await shown(page.getByTestId('featured-products'))
    .locator(`[data-testid="product-card"][aria-label="${product.title}"]`)
    .click();
  await expect(page).toHaveURL(new RegExp(`/pages/product/index\\?id=${product.id}`));
  await expect(shown(page.getByTestId('product-title'))).toHaveText(product.title);

  // Add to cart: the sheet opens; choose the SKU's value in every dimension.
  await shown(page.getByTestId('product-add-to-cart')).click();
  const sheet = await chooseSku(page, product, sku);
  await sheet.getByTestId('spec-confirm').click();
  await expect(page.getByText('已加入购物车')).toBeVisible();

  // The cart shows the line at the catalog's price.
  await openCartLine(page, product, sku);
  await expect(shown(page.getByTestId('cart-checkout'))).toContainText('结算(1)');
});
