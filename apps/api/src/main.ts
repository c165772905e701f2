import { describeLocation } from '@shop/db';
import { loadEnv } from './env';
import { createLogger } from './http/logger';
import { DRAIN_IDLE_GRACE_MS, startApi } from './server';

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
// A parent that started the API with an IPC channel (a supervisor, the tests' process harness) is told where it
// listens: with API_PORT=0 that is the one way to learn the port without racing another program for it.
if (process.send) process.send({ listening: api.url }, () => process.disconnect());

// SIGTERM (a rolling restart, a supervisor) and SIGINT (Ctrl-C): stop accepting connections, finish the requests in
// flight and the job items under way within SHUTDOWN_TIMEOUT_MS, release the job leases, close the database. Exit 0
// when everything finished in time; 1 when the deadline cut something short (it is logged). SIGTERM also leaves idle
// keep-alive connections to their clients for DRAIN_IDLE_GRACE_MS (a proxy closes its own first, so none of its
// requests meets a closing connection); Ctrl-C closes them at once.
let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, deadlineMs: env.SHUTDOWN_TIMEOUT_MS }, 'stopping');
  // Whatever hangs past the deadline (the database, a release), the process still ends.
  setTimeout(() => {
    logger.error('shutdown did not finish in time; exiting');
    process.exit(1);
  }, env.SHUTDOWN_TIMEOUT_MS + 5_000).unref();
  const idleGraceMs = signal === 'SIGTERM' ? DRAIN_IDLE_GRACE_MS : 0;
  api.close({ drainMs: env.SHUTDOWN_TIMEOUT_MS, idleGraceMs }).then(
    ({ clean }) => {
      logger.info({ clean }, 'stopped');
      process.exit(clean ? 0 : 1);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'failed to stop cleanly');
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
