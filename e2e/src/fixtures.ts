import { test as base, type Page } from '@playwright/test';

export { expect } from '@playwright/test';

/**
 * Playwright's `test` with the browser's own account of a failure. For every page a test opens, uncaught page errors,
 * console errors and warnings, requests that failed and answers of 400 or more (a refused sign-in, a 429) are
 * recorded; when the test fails they are printed and attached as `browser-log`, so that a CI log says why a page
 * stayed blank, not only that it did.
 */
export const test = base.extend<{ browserLog: string[] }>({
  browserLog: [
    async ({ context }, use, testInfo) => {
      const lines: string[] = [];
      const started = Date.now();
      const note = (page: Page, line: string) =>
        lines.push(`+${((Date.now() - started) / 1000).toFixed(1)}s ${page.url()} ${line}`);
      const watch = (page: Page) => {
        page.on('pageerror', (error) => note(page, `pageerror: ${error.stack ?? error.message}`));
        page.on('console', (message) => {
          if (message.type() === 'error' || message.type() === 'warning') {
            note(page, `console.${message.type()}: ${message.text()}`);
          }
        });
        page.on('requestfailed', (request) =>
          note(
            page,
            `request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`,
          ),
        );
        page.on('response', (response) => {
          if (response.status() >= 400) note(page, `answer ${response.status()}: ${response.url()}`);
        });
      };
      context.pages().forEach(watch);
      context.on('page', watch);

      await use(lines);

      if (testInfo.status !== testInfo.expectedStatus) {
        const body = lines.length > 0 ? lines.join('\n') : '(the browser reported nothing)';
        console.log(`[e2e] browser log of "${testInfo.title}":\n${body}`);
        await testInfo.attach('browser-log', { body, contentType: 'text/plain' });
      }
    },
    { auto: true },
  ],
});
