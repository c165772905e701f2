import { defineConfig } from 'vitest/config';
import { ProjectCounts } from './scripts/src/project-counts';

// The tiers run by `pnpm test`: unit tests beside the code (*.test.ts), and integration tests that start real servers
// on fresh databases (*.int.test.ts), run twice: on SQLite, and on PostgreSQL in a private cluster started for the
// run (prisma/src/testing/postgres-setup.ts). Tests of one engine's own mechanics are named *.sqlite.int.test.ts or
// *.postgres.int.test.ts. The payment module's integration tests run once more with the API in Alipay's certificate
// mode (公钥证书模式), on SQLite. End-to-end flows live in e2e/ and run under Playwright.
//
// Integration files share their worker's modules (isolate: false): each file starts its own servers on its own
// database and closes them, so nothing a file needs lives in module state, and loading the API, the sandbox and
// Prisma once per worker instead of once per file takes about a third off the tier. What a process does keep across
// files (its Prometheus counters) is read as differences by the tests that read it.
const integration = { testTimeout: 60_000, hookTimeout: 120_000, isolate: false };

export default defineConfig({
  test: {
    // The summary counts every project of a run together; ProjectCounts adds a line per project (engine, mode).
    reporters: ['verbose', new ProjectCounts()],
    // Integration test files spend most of their time waiting (on their servers, the sandbox's timers, the database),
    // so four run at once even on two cores: the tier takes about two thirds of the time it takes with two.
    maxWorkers: 4,
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
            'scripts/src/**/*.int.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/*.postgres.int.test.ts'],
          provide: { databaseEngine: 'sqlite' },
          ...integration,
        },
      },
      {
        test: {
          // Everything that touches the shop's database, on PostgreSQL. The sandbox keeps its own SQLite file on one
          // host (it is never deployed), and the Alipay protocol package has no database, so they run once, above.
          name: 'integration-postgres',
          include: [
            'apps/api/src/**/*.int.test.ts',
            'prisma/**/*.int.test.ts',
            'bench/**/*.int.test.ts',
            // The API built for production, run with plain node on PostgreSQL.
            'scripts/src/build.int.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/*.sqlite.int.test.ts'],
          globalSetup: ['prisma/src/testing/postgres-setup.ts'],
          provide: { databaseEngine: 'postgresql' },
          ...integration,
        },
      },
      {
        test: {
          // The same payment tests with the app in certificate mode at the sandbox and the API configured with the
          // three certificates (apps/api/src/testing/harness.ts, testAlipayMode()).
          name: 'integration-cert',
          include: ['apps/api/src/modules/payment/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', '**/*.postgres.int.test.ts'],
          provide: { databaseEngine: 'sqlite', alipayMode: 'certificate' },
          ...integration,
        },
      },
    ],
  },
});
