import { describeLocation } from '@shop/db';
import { loadEnv } from './env';
import { createLogger } from './http/logger';
import { startApi } from './server';

const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL);
const api = await startApi(env, { seed: true });
logger.info(
  {
    url: api.url,
    database: describeLocation(env.DATABASE),
    engine: env.DATABASE.engine,
    gateway: env.ALIPAY_GATEWAY,
  },
  'API listening',
);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  api.close().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'failed to stop cleanly');
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
