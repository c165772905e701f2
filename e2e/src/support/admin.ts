import { expect, type Page } from '@playwright/test';

/**
 * Steps a merchant takes on the admin's H5 build, by the accessible names and test ids in apps/admin/README.md
 * ("Test hooks").
 */

export async function signInAdmin(
  page: Page,
  account: { username: string; password: string },
): Promise<void> {
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** The orders list, searched by an order number: exactly that order is listed; opens it. */
export async function openOrderByNumber(page: Page, orderNo: string): Promise<void> {
  await page.getByTestId('nav-orders').click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByTestId('orders-table')).toBeVisible();
  // The unfiltered first page has loaded (it holds at least this order) before the search replaces it.
  await expect(page.getByTestId('order-link').first()).toBeVisible();
  await page.getByLabel('关键词').fill(orderNo);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('order-link')).toHaveCount(1);
  await expect(page.getByTestId('table-total')).toHaveText('共 1 条');
  await page.getByRole('link', { name: orderNo }).click();
  await expect(page).toHaveURL(/\/orders\/detail\?id=/);
  await expect(page.getByTestId('order-no')).toHaveText(orderNo);
}
