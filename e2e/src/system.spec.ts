import { expect, test } from './fixtures';
import { PHONE } from './devices';
import { systemUrls } from './system';

test.describe('the system as pnpm start serves it', () => {
  test('the API and the sandbox answer their health checks', async ({ request }) => {
    const urls = systemUrls();
    expect((await request.get(`${urls.api}/healthz`)).ok()).toBe(true);
    expect((await request.get(`${urls.sandbox}/healthz`)).ok()).toBe(true);
  });

  test('the admin H5 is served with a runtime config pointing at this API', async ({ page }) => {
    const urls = systemUrls();
    const config = await (await page.request.get(`${urls.admin}/runtime-config.js`)).text();
    expect(config).toContain(urls.api);
    // The app runs: without a session the dashboard sends the merchant to sign-in.
    await page.goto(urls.admin);
    await expect(page).toHaveURL(`${urls.admin}/login`);
    await expect(page.getByLabel('用户名')).toBeVisible();
  });

  test.describe('on a phone', () => {
    test.use(PHONE);
    test('the shop H5 is served with a runtime config pointing at this API and sandbox', async ({ page }) => {
      const urls = systemUrls();
      const config = await (await page.request.get(`${urls.shop}/runtime-config.js`)).text();
      expect(config).toContain(urls.api);
      expect(config).toContain(urls.sandbox);
      // The app runs: a visitor browses the home page without being sent to sign in.
      await page.goto(urls.shop);
      await expect(page.getByTestId('featured-products').filter({ visible: true })).toBeVisible();
      await expect(page).toHaveURL(new RegExp(`^${urls.shop}`));
    });
  });
});
