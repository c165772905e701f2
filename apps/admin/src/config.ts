import { buildEnv } from './env';

/** Where the admin talks to. */
export interface AdminConfig {
  /** The API, e.g. http://127.0.0.1:3000 (no trailing slash). */
  apiBaseUrl: string;
}

declare global {
  interface Window {
    /** Set by /runtime-config.js before the app loads. */
    __ADMIN_CONFIG__?: Partial<AdminConfig>;
  }
}

const ABSOLUTE_HTTP_URL = /^https?:\/\/[^\s/]+/;

function pickUrl(name: keyof AdminConfig, runtime: unknown, fallback: string): string {
  const value = typeof runtime === 'string' && runtime.trim() !== '' ? runtime.trim() : fallback;
  if (!ABSOLUTE_HTTP_URL.test(value))
    throw new Error(`admin config: ${name} must be an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
}

/**
 * The runtime configuration: `window.__ADMIN_CONFIG__` (set by /runtime-config.js, so one build can be served
 * against any API) wins field by field; anything missing falls back to the TARO_APP_* value inlined at build time.
 */
export function readAdminConfig(runtime: Partial<AdminConfig> | undefined = readWindowConfig()): AdminConfig {
  return {
    apiBaseUrl: pickUrl('apiBaseUrl', runtime?.apiBaseUrl, buildEnv.apiBaseUrl),
  };
}

function readWindowConfig(): Partial<AdminConfig> | undefined {
  return typeof window === 'undefined' ? undefined : window.__ADMIN_CONFIG__;
}
