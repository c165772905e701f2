import { createServer, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import { applyMigrations, closeDb } from '@shop/db';
import { createApp } from './app';
import { createDeps, type ApiDeps } from './deps';
import type { Env } from './env';
import { apiJobs } from './jobs';
import { startJobs, type JobRunner } from './jobs/scheduler';
import { AddressKeyMissingError, checkAddressKeys } from './modules/keys/address-keys';
import { seedDemoData } from './seed';

export interface CloseOptions {
  /**
   * Drain first (SIGTERM): stop accepting connections, let requests in flight and job items under way finish for at
   * most this long, then cut what is left. Without it, connections are cut at once (tests) and job passes are waited
   * for.
   */
  drainMs?: number;
  /**
   * While draining, how long connections left idle may stay open for their clients to close them (at most until the
   * drain's deadline). A server that closes an idle keep-alive connection races the client that is just sending a
   * request on it, and a proxy does not resend a POST it already sent (nginx since 1.9.13), so that request fails.
   * A proxy closes its idle upstream connections itself after its keepalive_timeout; with the grace longer than that
   * (docs/deploy.md: nginx's 4 s against 5 s here), the server never closes one under a proxy. 0 closes them at once.
   */
  idleGraceMs?: number;
}

/** The idle grace SIGTERM gives (CloseOptions.idleGraceMs); docs/deploy.md sets nginx's upstream keepalive_timeout below it. */
export const DRAIN_IDLE_GRACE_MS = 5_000;

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
  // Before listening too: an address under a key that is no longer configured could not be shown (or shipped to). A
  // database that does not answer yet is not a refusal: the API starts not ready (GET /readyz says why), as it does
  // without this check, and says the keys were not checked; the next start checks them.
  const keysUnchecked = await checkAddressKeys(env).then(
    () => null,
    (error: unknown) => {
      if (error instanceof AddressKeyMissingError) throw error;
      return error as Error;
    },
  );
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
  // Requests in flight and open connections, so that a drain knows what it waits for.
  const inFlight = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let draining = false;
  let settled: (() => void) | null = null;
  const check = () => {
    if (draining && inFlight.size === 0) settled?.();
  };
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      check();
    });
  });
  server.on('request', (req, res) => {
    inFlight.add(res);
    // While draining, a request that still arrives on an open keep-alive connection is answered with
    // `Connection: close`, so its client (a proxy) takes no further request to this process on it.
    if (draining) res.shouldKeepAlive = false;
    res.once('close', () => {
      inFlight.delete(res);
      check();
    });
    void handle(req, res);
  });
  const jobs = startJobs(apiJobs(deps), deps.logger, { enabled: env.JOBS_ENABLED });
  const { logger } = deps;
  if (keysUnchecked) {
    logger.warn(
      { err: keysUnchecked },
      'address keys not checked at start: the database did not answer; restart once it does to check them',
    );
  }

  /** Resolves once `done()` holds, or with false after `ms`. */
  const until = async (done: () => boolean, ms: number): Promise<boolean> => {
    if (done()) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      new Promise<boolean>((resolve) => {
        settled = () => {
          if (done()) resolve(true);
        };
      }),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
    clearTimeout(timer);
    settled = null;
    return finished;
  };

  /** Answers the requests in flight, then waits (within the grace) for clients to close their idle connections. */
  const drainRequests = async (deadlineMs: number, idleGraceMs: number): Promise<boolean> => {
    const startedAt = Date.now();
    draining = true;
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    if (idleGraceMs === 0) server.closeIdleConnections();
    const answered = await until(() => inFlight.size === 0, deadlineMs);
    if (!answered) return false;
    const left = Math.min(idleGraceMs, deadlineMs - (Date.now() - startedAt));
    // Connections still open are idle now (no request in flight): the clients' own idle timeouts close them.
    if (left > 0) await until(() => sockets.size === 0, left);
    return true;
  };

  return {
    url: `http://${env.API_HOST}:${port}`,
    deps,
    jobs,
    async close(options = {}) {
      const { drainMs, idleGraceMs = 0 } = options;
      // No new connections from here on: the listening socket closes, and a proxy sends new ones elsewhere (a refused
      // connection is safe to retry elsewhere, even for a POST). net.Server's close, not http.Server's: the latter
      // also closes the idle keep-alive connections at once, which is what idleGraceMs avoids.
      const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
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
        const [requestsDone, jobsDone] = await Promise.all([
          drainRequests(drainMs, idleGraceMs),
          jobs.stop(drainMs),
        ]);
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
