import { describe, expect, it } from 'vitest';
import { payChannelFor } from './channel';

describe('payChannelFor', () => {
  it('inside Alipay pays with tradePay, phone browsers with wap.pay, desktop browsers with a QR code', () => {
    const cases: Array<[string, string]> = [
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AlipayClient/10.5.96.6000',
        'trade-pay',
      ],
      [
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
        'wap',
      ],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
        'wap',
      ],
      [
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
        'qr',
      ],
      [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
        'qr',
      ],
      ['', 'qr'],
    ];
    for (const [userAgent, channel] of cases) expect(payChannelFor(userAgent), userAgent).toBe(channel);
  });
});
