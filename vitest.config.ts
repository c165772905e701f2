import { defineConfig } from 'vitest/config';

// Two tiers run by `pnpm test`: unit tests beside the code (*.test.ts) and integration tests that start real
// servers on fresh SQLite files (*.int.test.ts). End-to-end flows live in e2e/ and run under Playwright.
export default defineConfig({
  test: {
    reporters: ['verbose'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'scripts/src/**/*.test.ts',
            'bench/**/*.test.ts',
            // Pure helpers of the end-to-end specs (the English detector); the specs themselves run under Playwright.
            'e2e/src/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'packages/*/src/**/*.int.test.ts',
            'apps/*/src/**/*.int.test.ts',
            'prisma/**/*.int.test.ts',
            'bench/**/*.int.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
