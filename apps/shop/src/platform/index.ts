import { readShopConfig } from '../config';
import { buildEnv } from '../env';
import { randomToken } from '../lib/random';
import { createAlipayPlatform, type AlipayMy } from './alipay';
import { createH5Platform } from './h5';
import type { Platform } from './types';

export { PlatformError, type Platform, type PayResult } from './types';

declare const my: AlipayMy;

/** The one place that chooses by build target; everything else uses `platform` through its interface. */
function choosePlatform(): Platform {
  if (buildEnv.platform === 'alipay') return createAlipayPlatform(my);
  const config = readShopConfig();
  return createH5Platform(window, {
    userAgent: (window.navigator as Navigator | undefined)?.userAgent ?? '',
    sandboxUrl: config.sandboxUrl,
    appId: config.alipayAppId,
    randomState: () => randomToken(32),
  });
}

export const platform: Platform = choosePlatform();
