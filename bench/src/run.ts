import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { OrderView } from '@shop/contract';
import { runChecks, type Check } from './checks';
import { signInBuyers, writeBenchSkus, type BenchBuyer, type BenchSkus } from './fixtures';
import { requestJson, type HttpClient } from './http';
import type { BenchOptions } from './options';
import { apiSetup, evaluateTargets, type BenchReport } from './report';
import { checkoutScenario, sellOutScenario } from './scenarios/checkout';
import { notifyScenario, prepareTrades, type PendingOrder } from './scenarios/notify';
import { purchaseScenario } from './scenarios/purchase';
import { catalogListScenario, ceilingScenario, productDetailScenario } from './scenarios/reads';
import { signingScenario } from './scenarios/signing';
import type { HttpScenario } from './scenarios/types';
import { startBenchSystem } from './system';

/** SKUs on sale at once in each checkout run. */
const SALE_SKUS = 20;

/** In the sell-out run the SKUs hold this fraction of what the first run sold in the same time. */
const SELLOUT_SUPPLY_FRACTION = 0.25;

/** Runs every scenario against a freshly started system, then the correctness checks. */
export async function runBenchmark(options: BenchOptions): Promise<BenchReport> {
  const log = options.log;
  const startedAt = new Date().toISOString();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.versions.node,
    loadAverageAtStart: loadavg(),
  };
  log(`starting the sandbox and the API on a fresh data folder (API: ${apiSetup(options)}) ...`);
  const profileDir = options.profile
    ? join(options.resultsDir, 'profiles', startedAt.replace(/[:.]/g, '-'))
    : null;
  const system = await startBenchSystem({ ...options, profileDir });
  log(`API ${system.apiUrl}, sandbox ${system.sandboxUrl}, data ${system.dataDir}`);
  try {
    const settings = {
      url: system.apiUrl,
      connections: options.connections,
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      apiPids: system.apiPids,
      databasePid: system.databasePid,
    };

    // While the API is idle, so that the two libraries compete only with each other for this process's core.
    log('signing: @shop/alipay against alipay-sdk ...');
    const signing = await signingScenario(system.keys, options.durationSec);

    const scenarios: HttpScenario[] = [];
    log('ceiling ...');
    scenarios.push(await ceilingScenario(settings));
    log('catalog list ...');
    scenarios.push(await catalogListScenario(settings, system.db));
    log('product detail ...');
    scenarios.push(await productDetailScenario(settings, system.db));

    log(`signing in ${options.buyers} buyers ...`);
    const buyers = await signInBuyers(
      system.http,
      { api: system.apiUrl, sandbox: system.sandboxUrl },
      options.buyers,
    );
    const plenty = await writeBenchSkus(system.db, 'A', {
      count: SALE_SKUS,
      stock: 1_000_000,
      priceFen: 9_900,
    });
    log('checkout ...');
    const checkout = await checkoutScenario(settings, buyers, plenty);
    scenarios.push(checkout);

    const units = Math.floor((checkout.facts.ordersCreated ?? 0) * SELLOUT_SUPPLY_FRACTION);
    const scarce = await writeBenchSkus(system.db, 'B', {
      count: SALE_SKUS,
      stock: Math.max(1, Math.floor(units / SALE_SKUS)),
      priceFen: 9_900,
    });
    log(`checkout, sell-out (${scarce.initialStock} units per SKU) ...`);
    const sellOut = await sellOutScenario(settings, buyers, scarce);
    scenarios.push(sellOut);

    log('notify (each queued order is paid for through the API and the sandbox first) ...');
    const notify = await notifyScenario(settings, system.db, system.http, (count) =>
      prepareTrades(
        system.db,
        system.http,
        system.apiUrl,
        system.keys.alipayPrivate,
        buyers,
        count,
        (buyer) => placeOrder(system.http, system.apiUrl, buyer, plenty),
      ),
    );
    scenarios.push(notify.scenario);

    log('purchase (an order, then its Alipay trade at the sandbox) ...');
    scenarios.push(await purchaseScenario({ ...settings, sandboxPid: system.sandboxPid }, buyers, plenty));

    // The ceiling again: how far the machine's plain HTTP capacity drifted while the loads ran.
    log('ceiling, after the loads ...');
    const after = await ceilingScenario(settings);
    scenarios.push({ ...after, id: 'ceiling-after', title: 'ceiling after the loads: GET /api/ping' });

    log('checking the database ...');
    const checks: Check[] = [
      ...(await runChecks(system.db, {
        scenarios,
        skuSets: { 'checkout with stock to spare': plenty, 'sell-out': scarce },
        delivered: notify.delivered,
      })),
      {
        id: 'sellout-demand',
        title: 'sell-out: buyers asked for more than was on sale',
        passed: (sellOut.facts.outOfStockRefusals ?? 0) > 0,
        detail: `${sellOut.facts.outOfStockRefusals ?? 0} requests refused OUT_OF_STOCK`,
      },
    ];

    const ceilingRps = scenarios[0]!.load.rps;
    const withRatios = scenarios.map((s) => ({ ...s, ratioToCeiling: s.load.rps / ceilingRps }));
    return {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine,
      options: {
        durationSec: options.durationSec,
        warmupSec: options.warmupSec,
        connections: options.connections,
        buyers: options.buyers,
        logLevel: options.logLevel,
        profile: options.profile,
        db: options.db,
        apiProcesses: options.apiProcesses,
        proxy: options.proxy,
      },
      ceilingRps,
      scenarios: withRatios,
      signing,
      checks,
      targets: evaluateTargets(withRatios, signing, checks, options.connections, options.db),
      passed: checks.every((c) => c.passed),
    };
  } finally {
    log('stopping ...');
    await system.stop();
    if (profileDir) log(`API CPU profile in ${profileDir}`);
  }
}

async function placeOrder(
  http: HttpClient,
  apiUrl: string,
  buyer: BenchBuyer,
  skus: BenchSkus,
): Promise<PendingOrder> {
  const order = await requestJson<OrderView>(http, apiUrl, 'POST', '/api/orders', 201, {
    token: buyer.token,
    body: { items: [{ skuId: skus.skuIds[0], quantity: 1 }], addressId: buyer.addressId },
  });
  return {
    id: order.id,
    userId: buyer.userId,
    totalFen: order.totalFen,
    subject: order.subject,
    createdAt: new Date(order.createdAt),
  };
}
