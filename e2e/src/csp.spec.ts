import type { Page, Response } from '@playwright/test';
import { PHONE } from './devices';
import { expect, test } from './fixtures';
import { OWNER } from './support/api';
import { signInAdmin } from './support/admin';
import { shown } from './support/shop';
import { systemUrls } from './system';

/**
 * The H5 apps and the API's documentation page under their content security policies (scripts/src/h5-headers.ts,
 * apps/api/src/http/security.ts): each page is used with every violation the browser reports collected (the
 * `securitypolicyviolation` event and console messages naming the policy), and none may occur. A script injected
 * into the shop's page is blocked and reported, which shows the collection sees violations.
 */

declare global {
  interface Window {
    __cspViolations?: string[];
    __injected?: boolean;
  }
}

/** Violations the page's documents report, and the browser's console lines about the policy. */
async function watchPolicy(page: Page): Promise<() => Promise<string[]>> {
  const consoleLines: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) consoleLines.push(message.text());
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations?.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return async () => [...consoleLines, ...(await page.evaluate(() => window.__cspViolations ?? []))];
}

function expectSecurityHeaders(response: Response | null): string {
  expect(response?.status()).toBe(200);
  const headers = response?.headers() ?? {};
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('no-referrer');
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  return csp;
}

test.describe('content security policy', () => {
  test.describe('the shop', () => {
    test.use(PHONE);

    test('the home page and a product page load with no violation; an injected script does not run', async ({
      page,
    }) => {
      const urls = systemUrls();
      const violations = await watchPolicy(page);
      const csp = expectSecurityHeaders(await page.goto(urls.shop));
      expect(csp).toContain(`connect-src 'self' blob: ${new URL(urls.api).origin}`);
      await expect(shown(page.getByTestId('home-categories'))).toBeVisible();
      const featured = shown(page.getByTestId('featured-products'));
      await expect(featured).toBeVisible();
      // The product drawings come from the API's origin and are allowed to show.
      const image = featured.locator('img').first();
      await expect(image).toBeVisible();
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      await shown(page.getByTestId('product-card')).first().click();
      await expect(page).toHaveURL(/\/pages\/product\/index\?id=/);
      await expect(shown(page.getByTestId('product-title'))).toBeVisible();
      expect(await violations()).toEqual([]);

      // What an injected <script> would do: it is blocked, and the violation is seen.
      await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true';
        document.head.append(script);
      });
      await expect.poll(violations).toContainEqual(expect.stringMatching(/^script-src/));
      expect(await page.evaluate(() => window.__injected)).toBeUndefined();
    });
  });

  test('the admin signs in and shows its dashboard and orders with no violation', async ({ page }) => {
    const urls = systemUrls();
    const violations = await watchPolicy(page);
    expectSecurityHeaders(await page.goto(`${urls.admin}/login`));
    await signInAdmin(page, OWNER);
    await expect(page.getByTestId('current-admin')).toBeVisible();
    await page.getByTestId('nav-orders').click();
    await expect(page.getByTestId('orders-table')).toBeVisible();
    await expect(page.getByTestId('table-total')).toBeVisible();
    expect(await violations()).toEqual([]);
  });

  test("the API's documentation page shows under the API's policy with no violation", async ({ page }) => {
    const urls = systemUrls();
    const violations = await watchPolicy(page);
    const response = await page.goto(`${urls.api}/api/docs`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    await expect(page.getByRole('heading', { level: 2, name: 'orders', exact: true })).toBeVisible();
    // The page's own <style> applies: a method badge is coloured.
    const badge = page.locator('.method.get').first();
    await expect(badge).toHaveCSS('color', 'rgb(255, 255, 255)');
    expect(await violations()).toEqual([]);
  });
});
