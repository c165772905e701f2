import type { BenchBuyer, BenchSkus } from '../fixtures';
import { runLoad, type ConnectionContext, type LoadSpec } from '../load';
import { orderRequests } from './checkout';
import type { HttpScenario } from './types';

type LoadSettings = Omit<LoadSpec, 'next' | 'warmupNext' | 'steps'>;

/**
 * The whole purchase a shopper makes: an order (`POST /api/orders`), then its Alipay trade
 * (`POST /api/orders/:id/payment`, which writes the payment intent, calls alipay.trade.create at the sandbox, verifies
 * the signed answer and opens the payment). Each connection sends the two in turn; the payment step uses the order
 * id the first answer carried. A purchase counts when its payment step answers 200 with a trade number.
 */
export async function purchaseScenario(
  settings: LoadSettings,
  buyers: readonly BenchBuyer[],
  skus: BenchSkus,
): Promise<HttpScenario> {
  const order = orderRequests(buyers, skus);
  let purchases = 0;
  let counting = false;
  const steps = [
    {
      next: (context: ConnectionContext) => {
        const request = order();
        context.token = request.headers?.authorization;
        return request;
      },
      onResponse: (status: number, body: string, context: ConnectionContext) => {
        if (status === 201) context.orderId = (JSON.parse(body) as { id: string }).id;
      },
    },
    {
      next: (context: ConnectionContext) =>
        typeof context.orderId === 'string'
          ? {
              method: 'POST' as const,
              path: `/api/orders/${context.orderId}/payment`,
              headers: { authorization: String(context.token) },
            }
          : null,
      onResponse: (status: number, body: string) => {
        if (counting && status === 200 && (JSON.parse(body) as { tradeNo?: string }).tradeNo) purchases++;
      },
    },
  ];
  if (settings.warmupSec > 0)
    await runLoad({ ...settings, durationSec: settings.warmupSec, warmupSec: 0, steps });
  counting = true;
  const load = await runLoad({ ...settings, warmupSec: 0, steps });
  const cpuPerPurchase =
    load.apiCpuMsPerAnswer === null || purchases === 0
      ? null
      : (load.apiCpuMsPerAnswer * load.responses) / purchases;
  const sandboxCpuPerPurchase =
    load.sandboxCpuMsPerAnswer === null || purchases === 0
      ? null
      : (load.sandboxCpuMsPerAnswer * load.responses) / purchases;
  return {
    id: 'purchase',
    title: 'purchase: POST /api/orders + /payment',
    what: `${buyers.length} buyers each ordering one unit and opening its Alipay trade at the sandbox`,
    load,
    unitsPerSec: purchases / load.elapsedSec,
    unit: 'purchases',
    facts: {
      purchases,
      ...(cpuPerPurchase === null ? {} : { apiCpuMicrosPerPurchase: Math.round(cpuPerPurchase * 1000) }),
      ...(sandboxCpuPerPurchase === null
        ? {}
        : { sandboxCpuMicrosPerPurchase: Math.round(sandboxCpuPerPurchase * 1000) }),
    },
  };
}
