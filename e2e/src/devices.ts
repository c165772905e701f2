/**
 * The browsers the shop's H5 build is opened in. Which way the shop pays depends on where it runs
 * (apps/shop/src/platform/channel.ts, from the user agent):
 * - PHONE: a phone-sized viewport whose user agent says AlipayClient, the mini-program's world: alipay.trade.create
 *   and the sandbox cashier standing in for my.tradePay.
 * - PHONE_BROWSER: the same phone in its own browser outside Alipay: mobile web payment (alipay.trade.wap.pay).
 * - DESKTOP: a desktop browser: a QR code (alipay.trade.precreate) to scan with the Alipay app.
 */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  userAgent:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 ' +
    'AlipayClient/10.5.96.6000 Language/zh-Hans',
};

export const PHONE_BROWSER = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
    'Version/17.5 Mobile/15E148 Safari/604.1',
};

export const DESKTOP = {
  viewport: { width: 1280, height: 800 },
};
