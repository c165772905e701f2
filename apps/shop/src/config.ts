import { buildEnv } from './env';

/** Where the shop talks to. */
export interface ShopConfig {
  /** The shop API, e.g. http://127.0.0.1:3000 (no trailing slash). */
  apiBaseUrl: string;
  /** The local Alipay sandbox (H5 sign-in and cashier pages), e.g. http://127.0.0.1:3100. */
  sandboxUrl: string;
  /** The Alipay app id, sent to the H5 authorize page (the mini-program knows its own). */
  alipayAppId: string;
}

declare global {
  interface Window {
    /** Set by /runtime-config.js on H5, before the app loads. */
    __SHOP_CONFIG__?: Partial<ShopConfig>;
  }
}

const ABSOLUTE_HTTP_URL = /^https?:\/\/[^\s/]+/;
const APP_ID = /^\d{16}$/;

function pickText(runtime: unknown, fallback: string): string {
  return typeof runtime === 'string' && runtime.trim() !== '' ? runtime.trim() : fallback;
}

function pickUrl(name: keyof ShopConfig, runtime: unknown, fallback: string): string {
  const value = pickText(runtime, fallback);
  if (!ABSOLUTE_HTTP_URL.test(value))
    throw new Error(`shop config: ${name} must be an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
}

/**
 * The runtime configuration. H5: `window.__SHOP_CONFIG__` (set by /runtime-config.js, so one build can be served
 * against any API) wins field by field; anything missing falls back to the TARO_APP_* values inlined at build time.
 * Alipay: the inlined values only (nothing sets `__SHOP_CONFIG__` on Taro's mini-program `window`).
 */
export function readShopConfig(runtime: Partial<ShopConfig> | undefined = readWindowConfig()): ShopConfig {
  const alipayAppId = pickText(runtime?.alipayAppId, buildEnv.alipayAppId);
  if (!APP_ID.test(alipayAppId))
    throw new Error(`shop config: alipayAppId must be 16 digits, got "${alipayAppId}"`);
  return {
    apiBaseUrl: pickUrl('apiBaseUrl', runtime?.apiBaseUrl, buildEnv.apiBaseUrl),
    sandboxUrl: pickUrl('sandboxUrl', runtime?.sandboxUrl, buildEnv.sandboxUrl),
    alipayAppId,
  };
}

function readWindowConfig(): Partial<ShopConfig> | undefined {
  return typeof window === 'undefined' ? undefined : window.__SHOP_CONFIG__;
}
