import { api } from '../api';
import { platform } from '../platform';
import { pages, replace } from './routes';

/**
 * Starts paying an order the way this shopper can (platform.payChannel, DESIGN.md "Ways to pay"):
 * - inside Alipay: the API creates (or re-creates, which is safe) the Alipay trade, the platform opens the payment
 *   sheet (H5: the page leaves for the cashier, which comes back to the result page itself), and the result page
 *   then asks the server. The sheet's result code travels along only as a hint for the message.
 * - a phone browser: the API signs an alipay.trade.wap.pay request and the browser goes to Alipay's mobile cashier;
 *   it comes back to the result page (return_url), which has the API verify Alipay's parameters and then polls.
 *   Quitting the cashier (quit_url) goes back to the order.
 * - a desktop browser: the QR code page (pay-qr), which shows alipay.trade.precreate's code and polls.
 */
export async function payOrder(orderId: string): Promise<void> {
  switch (platform.payChannel) {
    case 'wap': {
      const { url } = await api.startWapPayment(orderId, {
        // No query of our own on return_url: Alipay allows none (its own parameters are added and signed there);
        // the result page finds the order by the verified out_trade_no.
        returnUrl: platform.appUrl(pages.payResult()),
        quitUrl: platform.appUrl(pages.order(orderId)),
      });
      await platform.leaveTo(url);
      return;
    }
    case 'qr':
      replace(pages.payQr(orderId));
      return;
    case 'trade-pay': {
      const { tradeNo } = await api.startPayment(orderId);
      const result = await platform.pay(tradeNo, { returnTo: pages.payResult(orderId) });
      replace(pages.payResult(orderId, result.resultCode));
    }
  }
}
