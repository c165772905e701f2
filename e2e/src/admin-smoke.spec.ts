import { expect, test } from './fixtures';
import { newBuyer, OWNER, paidOrder, productWithSpecs, STAFF } from './support/api';
import { signInAdmin } from './support/admin';
import { systemUrls } from './system';

/**
 * The merchant admin's sign-in, at the desktop viewport: an owner opening an order's page without a session is sent
 * to sign-in and brought back to it; a wrong password is refused with the server's message. Finding orders, the
 * payment timeline and refunds are merchant-refund.spec.ts.
 */

test.describe('admin sign-in', () => {
  test('an order opened without a session goes through sign-in and back to the order', async ({
    page,
    request,
  }) => {
    const urls = systemUrls();
    const buyer = await newBuyer(request, urls, '陈管看');
    const { sku } = await productWithSpecs(request, urls, 'featured=true&limit=20');
    const order = await paidOrder(request, urls, buyer.userId, [{ skuId: sku.id, quantity: 1 }]);

    // Without a session the order's page sends the merchant to sign-in, remembering where they were going.
    await page.goto(`${urls.admin}/orders/detail?id=${order.id}`);
    await expect(page).toHaveURL(/\/login\?redirect=/);
    await signInAdmin(page, OWNER);
    await expect(page).toHaveURL(new RegExp(`/orders/detail\\?id=${order.id}`));
    await expect(page.getByTestId('order-no')).toHaveText(order.orderNo);
    await expect(page.getByTestId('order-status')).toHaveText('已支付');
    await expect(page.getByTestId('current-admin')).toContainText('店主');
    // An owner may refund a paid order.
    await expect(page.getByTestId('order-refund')).toBeVisible();
  });

  test('a wrong password is refused with a clear message', async ({ page }) => {
    const urls = systemUrls();
    await page.goto(`${urls.admin}/login`);
    // The staff account, so that the owner's sign-in throttle (5 failures) is left for other specs.
    await signInAdmin(page, { username: STAFF.username, password: 'not-the-password' });
    const error = page.getByTestId('login-error');
    await expect(error).toContainText('用户名或密码错误');
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByLabel('密码')).toHaveValue('');
    // The right password still works afterwards: one mistake does not lock the account.
    await signInAdmin(page, STAFF);
    await expect(page).not.toHaveURL(/\/login/);
    await expect(page.getByTestId('current-admin')).toBeVisible();
  });
});
