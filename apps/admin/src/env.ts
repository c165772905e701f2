// The only module that reads process.env (STYLE.md, "Config"). Taro's DefinePlugin replaces each literal
// `process.env.X` below at build time; the values are public (config/index.ts sets local defaults).
// Under Vitest nothing is replaced, so every value falls back to the local default.
export const buildEnv = {
  apiBaseUrl: process.env.TARO_APP_API_URL ?? 'http://127.0.0.1:3000',
};
