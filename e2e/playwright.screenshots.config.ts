import { defineConfig } from '@playwright/test';
import baseConfig from './playwright.config';
import { POSTGRES_PROJECT } from './src/system';

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
  // The pictures come from the system on SQLite; without the postgres project, global setup starts no cluster.
  projects: baseConfig.projects?.filter((project) => project.name !== POSTGRES_PROJECT),
});
