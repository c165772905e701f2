import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './src/chromium';
import { POSTGRES_PROJECT } from './src/system';

const DESKTOP_VIEWPORT = { width: 1440, height: 900 };

export default defineConfig({
  testDir: './src',
  testMatch: '**/*.spec.ts',
  globalSetup: './src/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // Recording a trace costs about a fifth of the run on two cores (86 s against 108 s for four specs), and a CI
    // run keeps only its log: `pnpm e2e --trace retain-on-failure` records one locally (README, When a test fails).
    trace: 'off',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  // Shop specs switch to a phone viewport with `test.use(PHONE)` (src/devices.ts). Every spec runs against the API on
  // SQLite; the postgres project runs the flows that pay, recover a payment and refund again against a second system
  // whose API is on PostgreSQL (src/global-setup.ts), and systemUrls() and startOwnSystem() pick by project.
  projects: [
    // proxy.spec.ts runs two API processes behind nginx, which production runs on PostgreSQL: that project only.
    { name: 'chromium', testIgnore: ['**/proxy.spec.ts'], use: { viewport: DESKTOP_VIEWPORT } },
    {
      name: POSTGRES_PROJECT,
      testMatch: [
        '**/shopper-buys.spec.ts',
        '**/lost-notify.spec.ts',
        '**/merchant-refund.spec.ts',
        '**/proxy.spec.ts',
      ],
      use: { viewport: DESKTOP_VIEWPORT },
    },
  ],
});
