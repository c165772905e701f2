import { describe, expect, it } from 'vitest';
import type { Check } from './checks';
import type { LoadResult } from './load';
import { apiSetup, evaluateTargets, type BenchReport } from './report';
import type { SigningResult } from './scenarios/signing';

function load(rps: number, p99Ms: number): LoadResult {
  return {
    responses: rps * 10,
    startedAtMs: 0,
    endedAtMs: 10_000,
    elapsedSec: 10,
    rps,
    p50Ms: p99Ms / 2,
    p90Ms: p99Ms,
    p99Ms,
    maxMs: p99Ms,
    statuses: {},
    errors: 0,
    timeouts: 0,
    apiCpuMsPerAnswer: null,
    apiCpuShare: null,
    sandboxCpuMsPerAnswer: null,
    sandboxCpuShare: null,
    databaseCpuMsPerAnswer: null,
  };
}

function scenario(id: string, rps: number, unitsPerSec: number, p99Ms: number, ceiling: number) {
  return {
    id,
    title: id,
    what: '',
    load: load(rps, p99Ms),
    unitsPerSec,
    unit: 'answers',
    facts: {},
    ratioToCeiling: rps / ceiling,
  };
}

const signing = (signRatio: number, verifyRatio: number): SigningResult => ({
  tasks: [],
  signRatio,
  verifyRatio,
});
const check = (id: string, passed: boolean): Check => ({ id, title: id, passed, detail: '' });

function scenarios(
  listRps: number,
  listP99: number,
  orders: number,
  notifies: number,
  purchases: number,
  paymentsApplied = 0,
): BenchReport['scenarios'] {
  const notify = scenario('notify', notifies * 5, notifies, 50, 10_000);
  return [
    scenario('ceiling', 10_000, 10_000, 5, 10_000),
    scenario('catalog-list', listRps, listRps, listP99, 10_000),
    scenario('checkout', orders, orders, 50, 10_000),
    { ...notify, facts: { paymentsAppliedPerSec: paymentsApplied } },
    scenario('purchase', purchases * 2, purchases, 50, 10_000),
  ];
}

const allPassed = [
  'no-oversell:a',
  'orders-equal-stock-taken:a',
  'paid-exactly-once',
  'notify-inbox-exactly-once',
].map((id) => check(id, true));

describe('evaluateTargets', () => {
  it('meets each target at its threshold', () => {
    const targets = evaluateTargets(
      scenarios(5_000, 24.9, 500, 1_000, 400),
      signing(0.95, 0.95),
      allPassed,
      50,
    );
    expect(targets.filter((t) => !t.met)).toEqual([]);
  });

  it('misses each target just below its threshold, and the p99 target below 50 connections', () => {
    const failing = [check('no-oversell:a', false), check('paid-exactly-once', false)];
    const targets = evaluateTargets(scenarios(4_999, 25, 499, 999, 399), signing(0.94, 0.94), failing, 50);
    expect(targets.filter((t) => t.met)).toEqual([]);
    const fewConnections = evaluateTargets(
      scenarios(9_000, 1, 900, 2_000, 900),
      signing(2, 2),
      allPassed,
      10,
    );
    expect(fewConnections.filter((t) => !t.met).map((t) => t.id)).toEqual(['catalog-list-p99']);
  });

  it('on PostgreSQL: 600 orders/s and 300 distinct payments applied/s, whatever the notify rate', () => {
    const met = evaluateTargets(
      scenarios(1, 100, 600, 10, 1, 300),
      signing(0.1, 0.1),
      allPassed,
      50,
      'postgres',
    );
    expect(met.filter((t) => !t.met)).toEqual([]);
    const failing = [check('orders-equal-stock-taken:a', false), check('notify-inbox-exactly-once', false)];
    const missed = evaluateTargets(
      scenarios(1, 100, 599, 5_000, 1, 299),
      signing(2, 2),
      failing,
      50,
      'postgres',
    );
    expect(missed.filter((t) => t.met)).toEqual([]);
    expect(missed.map((t) => t.id)).toEqual([
      'checkout-rate',
      'payments-applied-rate',
      'sellout-oversell',
      'notify-exactly-once',
    ]);
  });

  it('reports a purchase scenario that did not run as not measured, and missed', () => {
    const withoutPurchase = scenarios(5_000, 1, 500, 1_000, 400).filter((s) => s.id !== 'purchase');
    const purchase = evaluateTargets(withoutPurchase, signing(1, 1), allPassed, 50).find(
      (t) => t.id === 'purchase-rate',
    );
    expect(purchase).toMatchObject({ actual: 'not measured', met: false });
  });
});

describe('apiSetup', () => {
  it('says how many API processes ran and whether nginx was in front', () => {
    expect(apiSetup({ apiProcesses: 2, proxy: true })).toBe('2 processes behind nginx (TLS)');
    expect(apiSetup({ apiProcesses: 1, proxy: true })).toBe('1 process behind nginx (TLS)');
    expect(apiSetup({ apiProcesses: 1, proxy: false })).toBe('1 process');
    // A report written before either field existed ran one process, straight.
    expect(apiSetup({})).toBe('1 process');
  });
});
