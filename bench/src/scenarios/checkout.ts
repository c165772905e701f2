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

/** In the sell-out run buyers ask for this many times the units on sale. */
export const SELLOUT_DEMAND_FACTOR = 4;

/**
 * Order creation when demand exceeds stock: the same load on SKUs holding a fraction of what the first run sold, and
 * exactly SELLOUT_DEMAND_FACTOR times as many requests as there are units, so the SKUs sell out and the rest of the
 * run is refusals (409 OUT_OF_STOCK) however fast or slow the machine is. The run ends when the last request is sent
 * (at the latest after ten times the usual duration). No warm-up: the process is warm from the previous run, and a
 * warm-up would sell the stock before the measurement.
 */
export async function sellOutScenario(
  settings: LoadSettings,
  buyers: readonly BenchBuyer[],
  skus: BenchSkus,
): Promise<HttpScenario> {
  const unitsOnSale = skus.skuIds.length * skus.initialStock;
  const demand = unitsOnSale * SELLOUT_DEMAND_FACTOR;
  const order = orderRequests(buyers, skus);
  let sent = 0;
  const load = await runLoad({
    ...settings,
    durationSec: settings.durationSec * 10,
    warmupSec: 0,
    next: () => (sent++ < demand ? order() : null),
  });
  const created = load.statuses['201'] ?? 0;
  const refused = load.statuses['409'] ?? 0;
  return {
    id: 'checkout-sellout',
    title: 'checkout, sell-out: POST /api/orders',
    what: `${demand} orders for ${unitsOnSale} units (${skus.skuIds.length} SKUs of ${skus.initialStock})`,
    load,
    unitsPerSec: load.rps,
    unit: 'answers',
    facts: { ordersCreated: created, outOfStockRefusals: refused, unitsOnSale, requests: demand },
  };
}
