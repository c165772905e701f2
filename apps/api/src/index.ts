export { createApp } from './app';
export { createDeps, type ApiDeps } from './deps';
export { loadEnv, type Env } from './env';
export { startApi, type ApiServer, type StartApiOptions } from './server';
