export { createApp } from './app';
export { createDeps, type ApiDeps } from './deps';
export { loadEnv, type Env } from './env';
export { startApi, type ApiServer, type StartApiOptions } from './server';
// The one supported way to write a product with its derived columns, for tools that build a catalog (the benchmarks).
export { insertProduct, type NewProduct, type NewSku } from './modules/catalog/product-write';
