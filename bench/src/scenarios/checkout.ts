import { randomBytes, randomInt } from 'node:crypto';
import type { BenchBuyer, BenchSkus } from '../fixtures';
import { runLoad, type LoadRequest, type LoadSpec } from '../load';
import { cycle, type HttpScenario } from './types';

type LoadSettings = Omit<LoadSpec, 'next' | 'warmupNext'>;

/**
 * A flash sale: every request is a different order (one unit of one of the sale's SKUs, picked at random) from the
 * next buyer in turn, with its own Idempotency-Key, as a shop client sends it.
 */
export function orderRequests(buyers: readonly BenchBuyer[], skus: BenchSkus): () => LoadRequest {
  const buyer = cycle(buyers);
  const run = randomBytes(4).toString('hex');
  let n = 0;
  return () => {
    const who = buyer();
    const skuId = skus.skuIds[randomInt(skus.skuIds.length)]!;
    n++;
    return {
      method: 'POST',
      path: '/api/orders',
      headers: {
        authorization: `Bearer ${who.token}`,
        'content-type': 'application/json',
        'idempotency-key': `bench-${run}-${n}`,
      },
      body: JSON.stringify({ items: [{ skuId, quantity: 1 }], addressId: who.addressId }),
    };
  };
}

/** Order creation with stock to spare: every request should become an order. */
export async function checkoutScenario(
  settings: LoadSettings,
  buyers: readonly BenchBuyer[],
  skus: BenchSkus,
): Promise<HttpScenario> {
  const load = await runLoad({ ...settings, next: orderRequests(buyers, skus) });
  const created = load.statuses['201'] ?? 0;
  return {
    id: 'checkout',
    title: 'checkout: POST /api/orders',
    what: `${buyers.length} buyers ordering ${skus.skuIds.length} SKUs with stock to spare (${skus.initialStock} each)`,
    load,
    unitsPerSec: created / load.elapsedSec,
    unit: 'orders',
    facts: { ordersCreated: created, skus: skus.skuIds.length, stockPerSku: skus.initialStock },
  };
}

/**
 * Order creation when demand exceeds stock: the same load on SKUs holding a fraction of what the buyers will ask for,
 * so they sell out early and the rest of the run is refusals (409 OUT_OF_STOCK). No warm-up: the process is warm from
 * the previous run, and a warm-up would sell the stock before the measurement.
 */
export async function sellOutScenario(
  settings: LoadSettings,
  buyers: readonly BenchBuyer[],
  skus: BenchSkus,
): Promise<HttpScenario> {
  const load = await runLoad({ ...settings, warmupSec: 0, next: orderRequests(buyers, skus) });
  const created = load.statuses['201'] ?? 0;
  const refused = load.statuses['409'] ?? 0;
  return {
    id: 'checkout-sellout',
    title: 'checkout, sell-out: POST /api/orders',
    what: `the same, on ${skus.skuIds.length} SKUs of ${skus.initialStock} each (${
      skus.skuIds.length * skus.initialStock
    } units) while buyers ask for more`,
    load,
    unitsPerSec: load.rps,
    unit: 'answers',
    facts: {
      ordersCreated: created,
      outOfStockRefusals: refused,
      unitsOnSale: skus.skuIds.length * skus.initialStock,
    },
  };
}
