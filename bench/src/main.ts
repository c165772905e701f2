import { join } from 'node:path';
import { REPO_ROOT } from '@shop/scripts';
import { parseBenchArgs, USAGE } from './options';
import { formatReport, writeReport } from './report';
import { runBenchmark } from './run';

/**
 * `pnpm bench`: starts the system, runs every scenario, prints the table, writes bench/results/<timestamp>.json and
 * latest.json, and exits 1 when a correctness check failed (a missed performance target is printed, not failed).
 */
const args = parseBenchArgs(process.argv.slice(2).filter((arg) => arg !== '--'));
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const started = performance.now();
const report = await runBenchmark({
  ...args,
  resultsDir: join(REPO_ROOT, 'bench', 'results'),
  log: (line) =>
    console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`),
});
const file = writeReport(report, join(REPO_ROOT, 'bench', 'results'));
console.log(`\n${formatReport(report)}\n\nfigures written to ${file} and bench/results/latest.json`);
process.exit(report.passed ? 0 : 1);
