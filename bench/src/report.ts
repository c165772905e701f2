import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from './checks';
import type { BenchOptions } from './options';
import type { SigningResult } from './scenarios/signing';
import type { HttpScenario } from './scenarios/types';

/** Everything one run measured, as written to bench/results/<timestamp>.json. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; loadAverageAtStart: number[] };
  options: Pick<
    BenchOptions,
    | 'durationSec'
    | 'warmupSec'
    | 'connections'
    | 'buyers'
    | 'logLevel'
    | 'profile'
    | 'db'
    | 'apiProcesses'
    | 'proxy'
  >;
  ceilingRps: number;
  scenarios: Array<HttpScenario & { ratioToCeiling: number }>;
  signing: SigningResult;
  checks: Check[];
  targets: Target[];
  /** Every correctness check passed (targets do not count). */
  passed: boolean;
}

export interface Target {
  id: string;
  target: string;
  actual: string;
  met: boolean;
}

/**
 * The targets for this 2-core machine. On SQLite: the catalog share and p99, 500 orders/s, 1,000 notifies/s and 400
 * complete purchases/s. On PostgreSQL (its default settings, one API process): 600 orders/s and 300 distinct payments
 * applied per second. Exactly-once and zero oversell on both. A run behind the proxy, with one API process or more,
 * is held to the same targets.
 */
export function evaluateTargets(
  scenarios: BenchReport['scenarios'],
  signing: SigningResult,
  checks: readonly Check[],
  connections: number,
  db: BenchOptions['db'] = 'sqlite',
): Target[] {
  const scenario = (id: string) => scenarios.find((s) => s.id === id)!;
  const passed = (prefix: string) => checks.filter((c) => c.id.startsWith(prefix)).every((c) => c.passed);
  const list = scenario('catalog-list');
  const checkout = scenario('checkout');
  const notify = scenario('notify');
  const purchase = scenarios.find((s) => s.id === 'purchase');
  const applied = notify.facts.paymentsAppliedPerSec ?? 0;
  if (db === 'postgres') {
    return [
      {
        id: 'checkout-rate',
        target: 'checkout >= 600 orders/s (PostgreSQL)',
        actual: `${Math.round(checkout.unitsPerSec)} orders/s`,
        met: checkout.unitsPerSec >= 600,
      },
      {
        id: 'payments-applied-rate',
        target: '>= 300 distinct payments applied/s (PostgreSQL)',
        actual: `${applied} payments/s (${Math.round(notify.unitsPerSec)} notifies/s)`,
        met: applied >= 300,
      },
      {
        id: 'sellout-oversell',
        target: 'zero oversell when demand exceeds stock',
        actual: passed('no-oversell') && passed('orders-equal-stock-taken') ? 'zero oversell' : 'OVERSOLD',
        met: passed('no-oversell') && passed('orders-equal-stock-taken'),
      },
      {
        id: 'notify-exactly-once',
        target: 'notifies take effect exactly once',
        actual:
          passed('paid-exactly-once') && passed('notify-inbox-exactly-once')
            ? 'exactly once'
            : 'NOT exactly once',
        met: passed('paid-exactly-once') && passed('notify-inbox-exactly-once'),
      },
    ];
  }
  return [
    {
      id: 'catalog-list-share',
      target: 'catalog list >= 50% of the ceiling',
      actual: `${percent(list.ratioToCeiling)} of the ceiling`,
      met: list.ratioToCeiling >= 0.5,
    },
    {
      id: 'catalog-list-p99',
      target: 'catalog list p99 < 25 ms at 50 connections',
      actual: `p99 ${ms(list.load.p99Ms)} at ${connections} connections`,
      met: list.load.p99Ms < 25 && connections >= 50,
    },
    {
      id: 'checkout-rate',
      target: 'checkout >= 500 orders/s',
      actual: `${Math.round(checkout.unitsPerSec)} orders/s`,
      met: checkout.unitsPerSec >= 500,
    },
    {
      id: 'sellout-oversell',
      target: 'zero oversell when demand exceeds stock',
      actual: passed('no-oversell') && passed('orders-equal-stock-taken') ? 'zero oversell' : 'OVERSOLD',
      met: passed('no-oversell') && passed('orders-equal-stock-taken'),
    },
    {
      id: 'notify-rate',
      target: 'notifies >= 1,000 verified/s',
      actual: `${Math.round(notify.unitsPerSec)} notifies/s`,
      met: notify.unitsPerSec >= 1000,
    },
    {
      id: 'purchase-rate',
      target: 'purchases (order + trade.create) >= 400/s',
      actual: purchase ? `${Math.round(purchase.unitsPerSec)} purchases/s` : 'not measured',
      met: (purchase?.unitsPerSec ?? 0) >= 400,
    },
    {
      id: 'notify-exactly-once',
      target: 'notifies take effect exactly once',
      actual:
        passed('paid-exactly-once') && passed('notify-inbox-exactly-once')
          ? 'exactly once'
          : 'NOT exactly once',
      met: passed('paid-exactly-once') && passed('notify-inbox-exactly-once'),
    },
    {
      id: 'sign-ratio',
      target: 'sign >= 0.95x alipay-sdk',
      actual: `${signing.signRatio.toFixed(2)}x`,
      met: signing.signRatio >= 0.95,
    },
    {
      id: 'verify-ratio',
      target: 'verify >= 0.95x alipay-sdk',
      actual: `${signing.verifyRatio.toFixed(2)}x`,
      met: signing.verifyRatio >= 0.95,
    },
  ];
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(0)}%`;
}

function ms(value: number): string {
  return `${value < 1 ? value.toFixed(3) : value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * How the API ran: `2 processes behind nginx (TLS)`, `1 process`. Reports written before the proxy existed have
 * neither field: they ran one process, straight.
 */
export function apiSetup(options: { apiProcesses?: number; proxy?: boolean }): string {
  const processes = options.apiProcesses ?? 1;
  return `${processes} process${processes === 1 ? '' : 'es'}${options.proxy ? ' behind nginx (TLS)' : ''}`;
}

/** The printed summary: loads, signing, targets, checks. */
export function formatReport(report: BenchReport): string {
  const loads = table(
    ['scenario', 'req/s', 'p50', 'p99', 'x ceiling', 'API CPU/answer', 'API busy', 'rate of what counts'],
    report.scenarios.map((s) => [
      s.title,
      count(s.load.rps),
      ms(s.load.p50Ms),
      ms(s.load.p99Ms),
      s.ratioToCeiling.toFixed(3),
      s.load.apiCpuMsPerAnswer === null ? 'n/a' : ms(s.load.apiCpuMsPerAnswer),
      s.load.apiCpuShare === null ? 'n/a' : `${percent(s.load.apiCpuShare)}`,
      s.unit === 'answers' ? '' : `${count(s.unitsPerSec)} ${s.unit}/s`,
    ]),
  );
  const signing = table(
    ['signing (one process)', 'ops/s', 'p50', 'p99', 'x alipay-sdk'],
    report.signing.tasks.map((t) => {
      const ratio = t.id.startsWith('ours')
        ? (t.id === 'ours-sign' ? report.signing.signRatio : report.signing.verifyRatio).toFixed(2)
        : '1.00';
      return [t.title, count(t.opsPerSec), ms(t.p50Ms), ms(t.p99Ms), ratio];
    }),
  );
  const targets = table(
    ['target', 'this run', ''],
    report.targets.map((t) => [t.target, t.actual, t.met ? 'met' : 'MISSED']),
  );
  const checks = report.checks
    .map((c) => `  ${c.passed ? 'ok  ' : 'FAIL'} ${c.title}: ${c.detail}`)
    .join('\n');
  const o = report.options;
  const after = report.scenarios.find((s) => s.id === 'ceiling-after');
  const drift = after
    ? `ceiling before ${count(report.ceilingRps)} req/s, after ${count(after.load.rps)} req/s ` +
      `(${((after.load.rps / report.ceilingRps - 1) * 100).toFixed(1)}%)`
    : '';
  const notify = report.scenarios.find((s) => s.id === 'notify');
  const applied =
    notify?.facts.paymentsAppliedPerSec === undefined
      ? ''
      : `notify: ${count(notify.unitsPerSec)} notifies/s acknowledged = ${count(notify.facts.paymentsAppliedPerSec)} distinct payments applied/s`;
  const purchase = report.scenarios.find((s) => s.id === 'purchase');
  const perPurchase =
    purchase?.facts.apiCpuMicrosPerPurchase === undefined
      ? ''
      : `purchase: ${count(purchase.unitsPerSec)} purchases/s, API CPU ${ms(purchase.facts.apiCpuMicrosPerPurchase / 1000)} per purchase (two requests)` +
        (purchase.facts.sandboxCpuMicrosPerPurchase === undefined
          ? ''
          : `, sandbox CPU ${ms(purchase.facts.sandboxCpuMicrosPerPurchase / 1000)} (its trade.create)`);
  // Reports written before the database's CPU was measured have no such field.
  const withDatabaseCpu = report.scenarios.filter((s) => typeof s.load.databaseCpuMsPerAnswer === 'number');
  const databaseCpu =
    withDatabaseCpu.length === 0
      ? ''
      : `PostgreSQL CPU/answer (every server process): ${withDatabaseCpu
          .map((s) => `${s.title} ${ms(s.load.databaseCpuMsPerAnswer!)}`)
          .join(', ')}`;
  return [
    `engine: ${o.db ?? 'sqlite'}; API: ${apiSetup(o)}; ` +
      `${o.durationSec} s per load after ${o.warmupSec} s warm-up, ${o.connections} connections, ${o.buyers} buyers, ` +
      `API LOG_LEVEL=${o.logLevel}; ${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${
        report.machine.node
      }, load average at start ${report.machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
    '',
    loads,
    '',
    [drift, applied, perPurchase, databaseCpu].filter(Boolean).join('\n'),
    '',
    signing,
    '',
    targets,
    '',
    'correctness',
    checks,
    '',
    report.passed ? 'all correctness checks passed' : 'CORRECTNESS CHECKS FAILED',
  ].join('\n');
}

/** Writes <resultsDir>/<timestamp>.json and latest.json; returns the first path. */
export function writeReport(report: BenchReport, resultsDir: string): string {
  mkdirSync(resultsDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const file = join(resultsDir, `${stamp}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, text);
  writeFileSync(join(resultsDir, 'latest.json'), text);
  return file;
}
