import { defineConfig } from '@playwright/test';
import baseConfig from './playwright.config';

/**
 * `pnpm screenshots`: the README's pictures (src/screenshots), taken on a system of their own with demo data and
 * written to docs/screenshots/. Separate from playwright.config.ts so that the test run never rewrites them.
 */
export default defineConfig({
  ...baseConfig,
  testDir: './src/screenshots',
  testMatch: '**/*.shots.ts',
  workers: 1,
  timeout: 120_000,
  reporter: [['list']],
  outputDir: 'test-results/screenshots',
});
