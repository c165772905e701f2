import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyMigrations, closeDb } from '@shop/db';
import { createApp } from './app';
import { createDeps, type ApiDeps } from './deps';
import type { Env } from './env';
import { apiJobs } from './jobs';
import { startJobs, type JobRunner } from './jobs/scheduler';
import { seedDemoData } from './seed';

export interface ApiServer {
  url: string;
  deps: ApiDeps;
  jobs: JobRunner;
  close(): Promise<void>;
}

export interface StartApiOptions {
  /** Apply pending migrations before listening (default true). */
  migrate?: boolean;
  /**
   * Seed the demo data into an empty database when env.SEED_DEMO_DATA is true (default false: tests build what they
   * need with the factories). The demo admins are seeded outside production only.
   */
  seed?: boolean;
}

/** Starts the API in this process: migrate, build dependencies, listen, start jobs. Port 0 picks a free port. */
export async function startApi(env: Env, options: StartApiOptions = {}): Promise<ApiServer> {
  if (options.migrate !== false) await applyMigrations(env.DATABASE);
  // Before listening, so no request ever sees a half-seeded catalog.
  if (options.seed && env.SEED_DEMO_DATA) await seedDemoData(env);
  // Listen first, then build: with port 0 the public URL (and so notify_url) is known only once bound.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.API_PORT, env.API_HOST, () => resolve());
  });
  // Keep-alive longer than typical proxies' idle timeout so the server never closes a connection a client reuses.
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const deps = createDeps(env, env.API_PUBLIC_URL ?? `http://${env.API_HOST}:${port}`);
  const handle = createApp(deps).callback();
  server.on('request', (req, res) => void handle(req, res));
  const jobs = startJobs(apiJobs(deps), deps.logger, { enabled: env.JOBS_ENABLED });
  return {
    url: `http://${env.API_HOST}:${port}`,
    deps,
    jobs,
    async close() {
      await jobs.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await closeDb(deps.db);
    },
  };
}
