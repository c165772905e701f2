// The only module that reads process.env (STYLE.md, "Config"). Taro's DefinePlugin replaces each literal
// `process.env.X` below at build time; the values are public (config/index.ts sets local defaults).
// Under Vitest nothing is replaced, so every value falls back to the local default.
export const buildEnv = {
  /**
   * The Taro target; src/platform/index.ts is the one place in the app that acts on it (app.config.ts, read at
   * build time, asks for H5's title bar with it).
   */
  platform: process.env.TARO_ENV ?? 'h5',
  apiBaseUrl: process.env.TARO_APP_API_URL ?? 'http://127.0.0.1:3000',
  sandboxUrl: process.env.TARO_APP_SANDBOX_URL ?? 'http://127.0.0.1:3100',
  /** The Alipay app id the H5 sign-in page is asked for (the development app by default). Public by nature. */
  alipayAppId: process.env.TARO_APP_ALIPAY_APP_ID ?? '9021000000000001',
};
