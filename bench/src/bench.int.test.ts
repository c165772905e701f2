import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEngine, testPostgresUrl } from '@shop/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { formatReport, writeReport, type BenchReport } from './report';
import { runBenchmark } from './run';

/**
 * The whole benchmark at a tiny size, so that it cannot rot: every scenario runs against a freshly started system on
 * the test project's engine (SQLite, or a database on the run's PostgreSQL cluster), the JSON holds every figure, and
 * the correctness checks pass. On PostgreSQL it runs a second time as production does (`--api-processes 2`): two API
 * processes behind nginx terminating TLS, every load and setup request over https to the proxy. Speed is not asserted:
 * the targets are for `pnpm bench` on a quiet machine, not for a test run beside the rest of the suite.
 */
const engine = testEngine();
const resultsDir = mkdtempSync(join(tmpdir(), 'bench-results-'));
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

const setups = [
  { name: 'one API process', apiProcesses: 1, proxy: false },
  // As production runs: API processes sharing a PostgreSQL server behind nginx. (SQLite keeps its one process.)
  ...(engine === 'postgresql'
    ? [{ name: 'two API processes behind nginx with TLS', apiProcesses: 2, proxy: true }]
    : []),
];

for (const { name, ...setup } of setups) {
  describe(`pnpm bench, one second per load (${engine}, ${name})`, () => {
    it('measures every scenario, writes the JSON and passes the correctness checks', async () => {
      const report = await runBenchmark({
        ...setup,
        durationSec: 1,
        warmupSec: 0.5,
        connections: 4,
        buyers: 4,
        logLevel: 'warn',
        profile: false,
        dataDir: undefined,
        keepData: false,
        db: engine === 'postgresql' ? 'postgres' : 'sqlite',
        postgresServerUrl: engine === 'postgresql' ? testPostgresUrl() : undefined,
        resultsDir,
        log: () => undefined,
      });
      const file = writeReport(report, resultsDir);
      const json = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
      expect(JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8'))).toEqual(json);

      expect(json.scenarios.map((s) => s.id)).toEqual([
        'ceiling',
        'catalog-list',
        'product-detail',
        'checkout',
        'checkout-sellout',
        'notify',
        'purchase',
        'ceiling-after',
      ]);
      for (const scenario of json.scenarios) {
        expect(scenario.load.rps, scenario.id).toBeGreaterThan(0);
        expect(scenario.unitsPerSec, scenario.id).toBeGreaterThan(0);
        expect(scenario.load.p99Ms, scenario.id).toBeGreaterThanOrEqual(scenario.load.p50Ms);
        expect(scenario.ratioToCeiling, scenario.id).toBeCloseTo(scenario.load.rps / json.ceilingRps, 6);
      }
      expect(json.scenarios.find((s) => s.id === 'checkout')!.facts.ordersCreated).toBeGreaterThan(0);
      expect(
        json.scenarios.find((s) => s.id === 'checkout-sellout')!.facts.outOfStockRefusals,
      ).toBeGreaterThan(0);

      expect(json.signing.tasks.map((t) => t.id)).toEqual([
        'ours-sign',
        'sdk-sign',
        'ours-verify',
        'sdk-verify',
      ]);
      for (const task of json.signing.tasks) expect(task.opsPerSec, task.id).toBeGreaterThan(0);
      expect(json.signing.signRatio).toBeGreaterThan(0);
      expect(json.signing.verifyRatio).toBeGreaterThan(0);

      expect(json.scenarios.find((s) => s.id === 'purchase')!.facts.purchases).toBeGreaterThan(0);
      expect(json.scenarios.find((s) => s.id === 'notify')!.facts.paymentsApplied).toBeGreaterThan(0);
      expect(json.targets).toHaveLength(engine === 'postgresql' ? 4 : 9);
      const failed = json.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.detail}`);
      expect(failed).toEqual([]);
      expect(json.checks.map((c) => c.id)).toEqual(
        expect.arrayContaining([
          'expected-answers',
          'stock-not-negative',
          'paid-exactly-once',
          'notify-inbox-exactly-once',
          'payments-opened',
          'sellout-demand',
        ]),
      );
      expect(json.passed).toBe(true);

      // The run says how the API ran, and the API's CPU is measured over all of its processes.
      expect(json.options).toMatchObject(setup);
      expect(formatReport(json).split('\n')[0]).toContain(
        setup.proxy ? `API: ${setup.apiProcesses} processes behind nginx (TLS)` : 'API: 1 process;',
      );
      for (const scenario of json.scenarios) {
        expect(scenario.load.apiCpuMsPerAnswer, scenario.id).toBeGreaterThan(0);
      }
    }, 300_000);
  });
}
