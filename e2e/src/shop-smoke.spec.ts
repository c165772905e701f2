import { expect, test, type Page } from '@playwright/test';
import { PHONE } from './devices';
import { systemUrls } from './system';

/**
 * The shop's H5 build end to end: sign in through the sandbox's authorize page (the H5 stand-in for
 * my.getAuthCode), open a product, choose a spec, add it to the cart, and see it there at the catalog's price.
 * Selectors are the data-testids and aria-labels listed in apps/shop/README.md ("Test hooks").
 */

const BUYER = '2088000000000002';

interface Summary {
  id: string;
  title: string;
  soldOut: boolean;
}
interface Detail {
  title: string;
  specs: { name: string; values: string[] }[];
  skus: { id: string; specs: Record<string, string>; priceFen: number; stock: number }[];
}

/** "¥1,234.50", as the shop renders fen (integer arithmetic only). */
function yuan(fen: number): string {
  const whole = String(Math.trunc(fen / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `¥${whole}.${String(fen % 100).padStart(2, '0')}`;
}

async function signIn(page: Page, shopUrl: string): Promise<void> {
  await page.goto(shopUrl);
  // No session yet: the shop sends the shopper to the sandbox's authorize page at launch.
  await expect(page).toHaveURL(/\/oauth\/authorize\?/);
  await page.locator(`input[name="buyer_id"][value="${BUYER}"]`).check();
  await page.getByRole('button', { name: '同意授权' }).click();
  await expect(page).toHaveURL(new RegExp(`^${shopUrl}`));
  // The auth code and state are taken off the URL once they are used.
  await expect(page).not.toHaveURL(/auth_code=/);
}

test.describe('shop smoke', () => {
  test.use(PHONE);

  test('signs in through the sandbox, opens a product and adds it to the cart', async ({ page, request }) => {
    const urls = systemUrls();

    // A featured product with a spec choice and stock, read from the API the page itself uses.
    const featured = (await (
      await request.get(`${urls.api}/api/products?featured=true&limit=20`)
    ).json()) as {
      items: Summary[];
    };
    let product: Detail | null = null;
    let productId = '';
    for (const item of featured.items.filter((p) => !p.soldOut)) {
      const detail = (await (await request.get(`${urls.api}/api/products/${item.id}`)).json()) as Detail;
      if (detail.specs.length > 0 && detail.skus.some((s) => s.stock > 0)) {
        product = detail;
        productId = item.id;
        break;
      }
    }
    expect(product, 'a featured product with specs and stock').not.toBeNull();
    const chosen = product!.skus.find((s) => s.stock > 0)!;

    await signIn(page, urls.shop);

    // Home: featured products; open ours.
    const card = page.getByTestId('product-card').filter({ hasText: product!.title }).first();
    await card.click();
    await expect(page).toHaveURL(new RegExp(`/pages/product/index\\?id=${productId}`));
    await expect(page.getByTestId('product-title')).toHaveText(product!.title);

    // Add to cart: the sheet opens; choose the SKU's value in every dimension.
    await page.getByTestId('product-add-to-cart').click();
    const sheet = page.getByTestId('spec-sheet');
    await expect(sheet).toBeVisible();
    for (const dimension of product!.specs) {
      const option = sheet.locator(`[aria-label="${dimension.name} ${chosen.specs[dimension.name]}"]`);
      if ((await option.getAttribute('aria-selected')) !== 'true') await option.click();
      await expect(option).toHaveAttribute('aria-selected', 'true');
    }
    await expect(sheet.getByTestId('spec-price')).toHaveText(yuan(chosen.priceFen));
    await sheet.getByTestId('spec-confirm').click();
    await expect(page.getByText('已加入购物车')).toBeVisible();

    // The cart shows the line at the catalog's price.
    await page.getByTestId('product-go-cart').click();
    await expect(page).toHaveURL(/\/pages\/cart\/index/);
    const line = page.getByTestId('cart-line').filter({ hasText: product!.title });
    await expect(line).toHaveCount(1);
    await expect(line.getByTestId('cart-line-price')).toHaveText(yuan(chosen.priceFen));
    await expect(page.getByTestId('cart-checkout')).toContainText('结算(');
  });
});
