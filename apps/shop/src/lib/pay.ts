import { api } from '../api';
import { platform } from '../platform';
import { pages, replace } from './routes';

/**
 * Starts paying an order: the API creates (or re-creates, which is safe) the Alipay trade, the platform opens the
 * payment sheet (H5: the page leaves for the cashier, which comes back to the result page itself), and the result
 * page then asks the server. The sheet's result code travels along only as a hint for the message.
 */
export async function payOrder(orderId: string): Promise<void> {
  const { tradeNo } = await api.startPayment(orderId);
  const result = await platform.pay(tradeNo, { returnTo: pages.payResult(orderId) });
  replace(pages.payResult(orderId, result.resultCode));
}
