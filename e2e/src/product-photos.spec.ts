import { type AdminProductDetail, type CategoryList } from '@shop/contract';
import { expect, test } from './fixtures';
import { PHONE } from './devices';
import { adminHeaders, ok, OWNER } from './support/api';
import { signInAdmin } from './support/admin';
import { shown } from './support/shop';
import { systemUrls } from './system';

/**
 * Product photos: the merchant uploads a real photo in the admin, and the shop shows it, resized, in the category's
 * list and on the product page; a file named .jpg that is not a picture is refused with a clear message, by its
 * bytes.
 */

test('the merchant uploads a photo and the shop shows it on the list and the detail; a fake JPEG is refused', async ({
  page,
  browser,
  request,
}) => {
  const urls = systemUrls();
  const owner = await adminHeaders(request, urls, OWNER);
  const categories = await ok<CategoryList>(await request.get(`${urls.api}/api/categories`));
  const category = categories.items[0]!;
  const title = `实拍测试商品 ${Date.now()}`;
  const product = await ok<AdminProductDetail>(
    await request.post(`${urls.api}/api/admin/products`, {
      headers: owner,
      data: {
        categoryId: category.id,
        title,
        status: 'PUBLISHED',
        skus: [{ specs: {}, priceFen: 5_900, stock: 20 }],
      },
    }),
  );

  await page.goto(`${urls.admin}/products/photos?id=${product.id}`);
  await signInAdmin(page, OWNER);
  await expect(page.getByRole('heading', { name: '实拍图片' })).toBeVisible();

  // A text file called a JPEG: refused, and it says why.
  await page.getByTestId('photos-input').setInputFiles({
    name: 'photo.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from('这不是图片，只是把扩展名改成了 jpg'),
  });
  await expect(page.getByTestId('photos-error')).toContainText('不是有效的 JPG、PNG 或 WebP 图片');
  await expect(page.getByTestId('photo-item')).toHaveCount(0);

  // A real JPEG, drawn by the browser.
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 900;
    canvas.height = 900;
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#2f7d4f';
    context.fillRect(0, 0, 900, 900);
    context.fillStyle = '#ffd666';
    context.fillRect(200, 200, 500, 500);
    return canvas.toDataURL('image/jpeg', 0.9);
  });
  await page.getByTestId('photos-input').setInputFiles({
    name: 'real.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from(dataUrl.split(',')[1]!, 'base64'),
  });
  await expect(page.getByTestId('photos-notice')).toHaveText('图片已上传');
  await expect(page.getByTestId('photo-item')).toHaveCount(1);
  await expect(page.getByTestId('photo-item').first()).toContainText('封面');
  const photoPath = (await page.getByTestId('photo-item').locator('img').getAttribute('src'))!;
  const photoId = /\/media\/p\/([^/]+)\/detail\.webp$/.exec(photoPath)![1]!;

  const phone = await browser.newContext(PHONE);
  try {
    const shop = await phone.newPage();
    await shop.goto(
      `${urls.shop}/pages/products/index?categoryId=${category.id}&name=${encodeURIComponent(category.name)}`,
    );
    const card = shown(shop.getByTestId('product-card')).filter({ hasText: title });
    await expect(card.locator('img')).toHaveAttribute('src', `${urls.api}/media/p/${photoId}/list.webp`);
    await expect
      .poll(() => card.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBe(360);

    await card.click();
    await expect(shown(shop.getByTestId('product-title'))).toHaveText(title);
    const gallery = shown(shop.locator('.product-swiper')).locator('img').first();
    await expect(gallery).toHaveAttribute('src', `${urls.api}/media/p/${photoId}/detail.webp`);
    await expect.poll(() => gallery.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(750);
  } finally {
    await phone.close();
  }
});
