import type { AdminKeySettings } from '@shop/contract';
import { expect, test } from './fixtures';
import { signInAdmin } from './support/admin';
import { adminHeaders, newBuyer, ok, OWNER, paidOrder, productWithSpecs, STAFF } from './support/api';
import { systemUrls } from './system';

/**
 * The admin's 设置 page: the owner sees which Alipay public key verified the notify that paid an order (its key id,
 * the current key's), the address keys with the rows under each; staff have no such page.
 */

test.describe('admin settings: keys', () => {
  test('the owner sees the key id that verified a recent notify, and the address keys', async ({
    page,
    request,
  }) => {
    const urls = systemUrls();
    const buyer = await newBuyer(request, urls, '韩设置');
    const { sku } = await productWithSpecs(request, urls, 'featured=true&limit=20');
    const order = await paidOrder(request, urls, buyer.userId, [{ skuId: sku.id, quantity: 1 }]);
    const settings = await ok<AdminKeySettings>(
      await request.get(`${urls.api}/api/admin/settings/keys`, {
        headers: await adminHeaders(request, urls),
      }),
    );
    const current = settings.alipay.keys[0]!;

    await page.goto(`${urls.admin}/login`);
    await signInAdmin(page, OWNER);
    await page.getByTestId('nav-settings').click();
    await expect(page).toHaveURL(/\/settings$/);

    const key = page.getByTestId('alipay-key').first();
    await expect(key).toContainText(current.keyId);
    await expect(key).toContainText('当前');
    const notify = page.getByTestId('recent-notify').filter({ hasText: order.orderNo }).first();
    await expect(notify.getByTestId('notify-key-id')).toHaveText(current.keyId);
    await expect(page.getByTestId('address-key-table').first()).toContainText('收货地址簿');
    await expect(page.getByTestId('address-keys')).toContainText(settings.address.keys[0]!.keyId);
  });

  test('staff have no settings in the sidebar', async ({ page }) => {
    const urls = systemUrls();
    await page.goto(`${urls.admin}/login`);
    await signInAdmin(page, STAFF);
    await expect(page.getByTestId('current-admin')).toBeVisible();
    await expect(page.getByTestId('nav-orders')).toBeVisible();
    await expect(page.getByTestId('nav-settings')).toHaveCount(0);
  });
});
