import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyMigrations, closeDb } from '@shop/db';
import { createApp } from './app';
import { createDeps, type ApiDeps } from './deps';
import type { Env } from './env';
import { apiJobs } from './jobs';
import { startJobs, type JobRunner } from './jobs/scheduler';
import { seedDemoData } from './seed';

export interface CloseOptions {
  /**
   * Drain first (SIGTERM): stop accepting connections, let requests in flight and job items under way finish for at
   * most this long, then cut what is left. Without it, connections are cut at once (tests) and job passes are waited
   * for.
   */
  drainMs?: number;
}

export interface ApiServer {
  url: string;
  deps: ApiDeps;
  jobs: JobRunner;
  /** Stops serving and the jobs, releases this process's job leases and closes the database. */
  close(options?: CloseOptions): Promise<{ clean: boolean }>;
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
  // Requests in flight, so that a drain knows what it waits for.
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let drained: (() => void) | null = null;
  server.on('request', (req, res) => {
    inFlight.add(res);
    // While draining, a request that still arrives on an open keep-alive connection is answered, and the connection
    // closed after it.
    if (draining) res.shouldKeepAlive = false;
    res.once('close', () => {
      inFlight.delete(res);
      if (!draining) return;
      // Its connection is idle once the response is out: close it so the process can exit.
      setImmediate(() => server.closeIdleConnections());
      if (inFlight.size === 0) drained?.();
    });
    void handle(req, res);
  });
  const jobs = startJobs(apiJobs(deps), deps.logger, { enabled: env.JOBS_ENABLED });
  const { logger } = deps;

  const drainRequests = async (deadlineMs: number): Promise<boolean> => {
    draining = true;
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    server.closeIdleConnections();
    if (inFlight.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      new Promise<boolean>((done) => (drained = () => done(true))),
      new Promise<boolean>((done) => (timer = setTimeout(() => done(false), deadlineMs))),
    ]);
    clearTimeout(timer);
    return finished;
  };

  return {
    url: `http://${env.API_HOST}:${port}`,
    deps,
    jobs,
    async close(options = {}) {
      const { drainMs } = options;
      // No new connections from here on: the listening socket closes, and a proxy sends new ones elsewhere.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // No new job items either: the passes under way end after the item they are on.
      deps.leases.stopTaking();
      let clean = true;
      if (drainMs === undefined) {
        server.closeAllConnections();
        await jobs.stop();
      } else {
        logger.info(
          { requestsInFlight: inFlight.size, jobItems: deps.leases.held().length, deadlineMs: drainMs },
          'stopping: no new connections; finishing requests in flight and job items under way',
        );
        const [requestsDone, jobsDone] = await Promise.all([drainRequests(drainMs), jobs.stop(drainMs)]);
        if (!requestsDone) {
          logger.warn(
            { requestsInFlight: inFlight.size },
            'shutdown deadline passed; closing connections with requests still in flight',
          );
        }
        if (!jobsDone) {
          logger.warn(
            { leasesKept: deps.leases.held() },
            'shutdown deadline passed with job items under way; their leases run out by themselves',
          );
        }
        clean = requestsDone && jobsDone;
        server.closeAllConnections();
      }
      await closed;
      const released = await deps.leases.releaseIdle();
      if (drainMs !== undefined) logger.info({ released }, 'requests finished; job leases released');
      await closeDb(deps.db);
      if (drainMs !== undefined) logger.info({ clean }, 'database closed');
      return { clean };
    },
  };
}
