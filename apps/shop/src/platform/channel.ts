/**
 * How this shopper can pay, from where the shop runs (DESIGN.md, "Ways to pay"):
 * - `trade-pay`: inside Alipay (the mini-program, or its H5 stand-in opened in Alipay's own browser, whose user agent
 *   says `AlipayClient`): alipay.trade.create, then my.tradePay (H5: the sandbox's cashier sheet).
 * - `wap`: a phone browser outside Alipay: alipay.trade.wap.pay, the gateway's mobile cashier, back on return_url.
 * - `qr`: a desktop browser: alipay.trade.precreate, a QR code the shopper scans with the Alipay app.
 */
export type PayChannel = 'trade-pay' | 'wap' | 'qr';

const IN_ALIPAY = /AlipayClient/i;
// Phones and tablets announce themselves; desktop browsers do not (iPadOS 13+ claims to be a Mac, and gets the QR).
const PHONE = /Android|iPhone|iPod|iPad|Mobile|HarmonyOS|OpenHarmony/i;

export function payChannelFor(userAgent: string): PayChannel {
  if (IN_ALIPAY.test(userAgent)) return 'trade-pay';
  if (PHONE.test(userAgent)) return 'wap';
  return 'qr';
}
