import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DEFAULT_HOST } from '@shop/dev-identity';
import getPort from 'get-port';
import sirv from 'sirv';
import { makeCertificate, startProxy, type RunningProxy } from './proxy';
import { assertInlineScriptsAllowed, h5SecurityHeaders } from './h5-headers';

/**
 * Starts the whole system as `pnpm start` runs it: the sandbox and the API as child processes (their builds under
 * plain node, or their TypeScript through tsx), and the shop and admin H5 builds served as static files with a
 * runtime config that points them at this API and sandbox. The end-to-end tests and the benchmarks start it the same
 * way, on free ports and a fresh data folder.
 */

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The export condition that sends a workspace package's name to its build (`dist/`) instead of its sources. */
export const DIST_CONDITION = 'shop-dist';

/** The entry points `pnpm build` writes (scripts/src/build.ts) and `pnpm start` runs. */
export const BUILT_ENTRIES = {
  api: join(REPO_ROOT, 'apps/api/dist/main.js'),
  sandbox: join(REPO_ROOT, 'apps/sandbox/dist/main.js'),
};

/** Node's arguments that run a built entry point: the export condition, and stack traces in TypeScript lines. */
export const BUILT_NODE_ARGS: readonly string[] = [`--conditions=${DIST_CONDITION}`, '--enable-source-maps'];

export interface Ports {
  api: number;
  sandbox: number;
  shop: number;
  admin: number;
}

export type Urls = Record<keyof Ports, string>;

export function urlsOf(host: string, ports: Ports): Urls {
  return {
    api: `http://${host}:${ports.api}`,
    sandbox: `http://${host}:${ports.sandbox}`,
    shop: `http://${host}:${ports.shop}`,
    admin: `http://${host}:${ports.admin}`,
  };
}

/** How the sandbox is told where it lives. Without a public URL (a port of 0) it takes the address it listens on. */
export function sandboxEnv(dataDir: string, host: string, port: number, publicUrl: string | null) {
  return {
    DATA_DIR: dataDir,
    SANDBOX_HOST: host,
    SANDBOX_PORT: String(port),
    ...(publicUrl ? { SANDBOX_PUBLIC_URL: publicUrl } : {}),
  };
}

/**
 * How the API is told where it lives and where the others are. Without a public URL (a port of 0, no proxy) it takes
 * the address it listens on, notify_url included.
 */
export function apiEnv(
  dataDir: string,
  host: string,
  port: number,
  where: { publicUrl: string | null; sandboxUrl: string; appOrigins: readonly string[] },
) {
  return {
    DATA_DIR: dataDir,
    API_HOST: host,
    API_PORT: String(port),
    ...(where.publicUrl ? { API_PUBLIC_URL: where.publicUrl } : {}),
    ALIPAY_GATEWAY: `${where.sandboxUrl}/gateway.do`,
    CORS_ORIGINS: where.appOrigins.join(','),
  };
}

/** How the sandbox and the API are told where they live and where the others are, on fixed ports (`pnpm dev`). */
export function serviceEnv(dataDir: string, host: string, ports: Ports, urls: Urls) {
  return {
    sandbox: sandboxEnv(dataDir, host, ports.sandbox, urls.sandbox),
    api: apiEnv(dataDir, host, ports.api, {
      publicUrl: urls.api,
      sandboxUrl: urls.sandbox,
      appOrigins: [urls.shop, urls.admin],
    }),
  };
}

export interface SystemOptions {
  dataDir: string;
  host?: string;
  /**
   * A 0 is a free port. The sandbox, the API processes and the H5 servers listen on port 0 and say which port they
   * got (the child processes over an IPC channel), so no other program can take it between a check and the listen.
   * Only nginx's two ports (`proxy`) are picked free beforehand, since the API's public URL must name them: at random
   * below the kernel's ephemeral range, where nothing else of a test run binds.
   */
  ports: Ports;
  /** Build the H5 apps before serving them (otherwise the existing dist/h5 folders are served). */
  build?: boolean;
  /** Serve the H5 builds (false for API-only uses such as benchmarks). */
  serveH5?: boolean;
  apiEnv?: Record<string, string>;
  sandboxEnv?: Record<string, string>;
  /** Extra Node flags for the API process, e.g. `--cpu-prof` (which NODE_OPTIONS does not accept). */
  apiNodeArgs?: string[];
  /**
   * How the API and the sandbox run: `built` runs `pnpm build`'s JavaScript with plain node (what `pnpm start`
   * does), `source` their TypeScript through tsx (the default, for tests and benchmarks of the working tree).
   */
  runtime?: 'built' | 'source';
  /** Echo child logs to this process's output (otherwise they go to <dataDir>/logs only). */
  echoLogs?: boolean;
  /** Delete the data folder (databases, keys, logs) once stopped: for throwaway systems such as test runs. */
  removeDataDirOnStop?: boolean;
  /**
   * How many API processes to run on the one database (default 1). More than one needs `proxy`: the first listens on
   * `ports.api`, the others on free ports.
   */
  apiProcesses?: number;
  /**
   * Run as production does (docs/deploy.md): nginx terminates TLS on `ports.shop` and `ports.admin`, serves both H5
   * builds and passes /api/, /images/ and /media/ to the API processes, whose public URL (notify_url included) is the
   * shop's https origin and which trust the proxy's forwarded headers (TRUSTED_PROXIES). The certificate is a
   * throwaway one the sandbox trusts (NODE_EXTRA_CA_CERTS); clients find it at `RunningSystem.certificate`.
   */
  proxy?: boolean;
  log?: (line: string) => void;
}

/** One API process of a running system, to stop and start again (a rolling restart). */
export interface ApiProcessHandle {
  /** Its own address, straight to the process (not through the proxy). */
  url: string;
  pid(): number | undefined;
  instanceId(): string;
  logFile: string;
  /** Sends `signal` and resolves with how the process ended. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts it again on the same port (a new instance id) and waits until it is healthy. */
  restart(): Promise<void>;
}

export interface RunningSystem {
  urls: Urls;
  dataDir: string;
  logDir: string;
  /** The child processes' ids (the benchmarks read the API's CPU time from /proc); `api` is the first API process. */
  pids: { api: number | undefined; apis: (number | undefined)[]; sandbox: number | undefined };
  /** The API processes, each on its own port. */
  apis: ApiProcessHandle[];
  /** With `proxy`: the PEM file of the proxy's throwaway certificate, for clients to trust. */
  certificate: string | null;
  stop(): Promise<void>;
}

/** Runs a command to completion, streaming its output to a log file; rejects with the log's tail on failure. */
export function run(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; logFile: string },
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const out = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.once('error', reject);
    child.once('exit', (code) => {
      out.end();
      if (code === 0) resolvePromise();
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} failed (exit ${code}); log: ${options.logFile}\n${tail(options.logFile)}`,
          ),
        );
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Where a child process started with an IPC channel says it listens: apps/api's and apps/sandbox's main.ts send
 * `{ listening: url }` once they do, which with a port of 0 is the one race-free way to learn the port. Rejects, with
 * `output()`, once `ended` settles (the child is gone) or after `timeoutMs` without a word.
 */
export function reportedAddress(
  child: ChildProcess,
  options: { name: string; timeoutMs: number; ended: Promise<unknown>; output: () => string },
): Promise<string> {
  const { name, timeoutMs, ended, output } = options;
  return new Promise((resolveAddress, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not listen within ${timeoutMs} ms:\n${output()}`)),
      timeoutMs,
    ).unref();
    child.on('message', (message: { listening?: unknown }) => {
      if (typeof message.listening !== 'string') return;
      clearTimeout(timer);
      resolveAddress(message.listening);
    });
    void ended.then(() => {
      clearTimeout(timer);
      reject(
        new Error(
          `${name} exited (code ${child.exitCode ?? child.signalCode}) before it listened:\n${output()}`,
        ),
      );
    });
  });
}

interface Service {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** The id the service names in its /healthz answer (API_INSTANCE_ID, SANDBOX_INSTANCE_ID). */
  instanceId: string;
  /**
   * Where it listens, as it says over its IPC channel once it does (apps/api/src/main.ts, apps/sandbox/src/main.ts);
   * rejects, with the end of its log, when it exits first.
   */
  listening: Promise<string>;
  /** When it must have answered its health check (Date.now() milliseconds). */
  startupDeadline: number;
}

/** The shop's and the admin's runtime configuration, pointing them at the API and the sandbox. */
function runtimeConfigs(urls: Urls): { shop: string; admin: string } {
  return {
    shop: `window.__SHOP_CONFIG__ = ${JSON.stringify({ apiBaseUrl: urls.api, sandboxUrl: urls.sandbox })};\n`,
    admin: `window.__ADMIN_CONFIG__ = ${JSON.stringify({ apiBaseUrl: urls.api })};\n`,
  };
}

function startService(options: {
  name: string;
  entry: { source: string; built: string };
  runtime: 'built' | 'source';
  env: Record<string, string>;
  instanceId: string;
  logDir: string;
  echo: boolean;
  nodeArgs?: readonly string[] | undefined;
  /** How long it may take, from now, to listen and answer its health check. */
  startupTimeoutMs: number;
}): Service {
  const { name, entry, runtime, env, instanceId, logDir, echo } = options;
  const nodeArgs = options.nodeArgs ?? [];
  if (runtime === 'built' && !existsSync(entry.built)) {
    throw new Error(`${entry.built} is missing: run pnpm build first`);
  }
  const logFile = join(logDir, `${name}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  const args =
    runtime === 'built'
      ? [...BUILT_NODE_ARGS, ...nodeArgs, entry.built]
      : [...nodeArgs, '--import', 'tsx', entry.source];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.pipe(out, { end: false });
    if (echo)
      stream.on('data', (chunk: Buffer) => process.stdout.write(prefixLines(name, chunk.toString('utf8'))));
  }
  // 'close' comes once the child's output has ended, and the log is flushed before an early end is reported, so
  // the report carries what the child printed last (EADDRINUSE, a bad setting).
  const logged = new Promise<void>((resolveLogged) => child.once('close', () => out.end(resolveLogged)));
  const listening = reportedAddress(child, {
    name,
    timeoutMs: options.startupTimeoutMs,
    ended: logged,
    output: () => tail(logFile),
  });
  // Not every caller waits for it (a fixed port is checked by its health answer first).
  listening.catch(() => undefined);
  return {
    name,
    child,
    logFile,
    instanceId,
    listening,
    startupDeadline: Date.now() + options.startupTimeoutMs,
  };
}

function prefixLines(name: string, text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `[${name}] ${line}\n`)
    .join('');
}

/**
 * Waits until `service` answers its health check, and returns its address: on `fixedUrl` when its port was given
 * (polled from the start, so another program answering there is caught before ours fails to bind), else where it
 * says it listens.
 */
async function waitUntilUp(service: Service, fixedUrl: string | null): Promise<string> {
  const url = fixedUrl ?? (await service.listening);
  await waitForHealth(service, `${url}/healthz`, Math.max(service.startupDeadline - Date.now(), 1_000));
  return url;
}

async function waitForHealth(service: Service, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) {
      throw new Error(
        `${service.name} exited (code ${service.child.exitCode}) before it was healthy:\n${tail(service.logFile)}`,
      );
    }
    let answer: { status: number; instance: unknown } | undefined;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      const body = (await res.json().catch(() => ({}))) as { instance?: unknown };
      answer = { status: res.status, instance: body.instance };
    } catch {
      // not listening yet
    }
    // Whoever answers must be the process just started: another program on the port would answer in its place
    // while ours dies with EADDRINUSE. (An error answer naming no instance may be ours, not ready yet: if it is
    // another program's, our process exits and the check above reports it.)
    const foreign =
      answer !== undefined &&
      answer.instance !== service.instanceId &&
      (answer.status === 200 || answer.instance !== undefined);
    if (foreign) {
      throw new Error(
        `${url} is answered by another program, not the ${service.name} just started ` +
          `(which names itself ${service.instanceId}): is its port taken?\n${tail(service.logFile)}`,
      );
    }
    if (answer && answer.status === 200) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(
    `${service.name} was not healthy at ${url} within ${timeoutMs} ms:\n${tail(service.logFile)}`,
  );
}

function stopService(service: Service, timeoutMs = 10_000): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}

/** What an H5 server answers besides its files, known once the API and the sandbox are up. */
interface H5Site {
  runtimeConfig: string;
  headers: Array<[string, string]>;
}

interface H5Server {
  server: Server;
  url: string;
  /** Starts answering: until then every request gets 503 (the API's address is not known yet). */
  open(site: H5Site): void;
}

/**
 * Serves a built H5 app: static files, single-page fallback to index.html, and a generated /runtime-config.js. It
 * listens first (on `port`, 0 for a free one), so its origin is known to the API's CORS setting, and answers once
 * `open` gives it the runtime configuration.
 */
async function serveH5(dir: string, host: string, port: number): Promise<H5Server> {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`${dir} has no index.html; build it first (pnpm --filter <app> build:h5)`);
  }
  assertInlineScriptsAllowed(readFileSync(join(dir, 'index.html'), 'utf8'), join(dir, 'index.html'));
  const assets = sirv(dir, { single: true, etag: true, dev: false, gzip: false });
  let site: H5Site | null = null;
  const server = createServer((req, res) => {
    if (!site) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
      res.end('starting');
      return;
    }
    // The same security headers nginx adds in production (h5-headers.ts), on every answer.
    for (const [name, value] of site.headers) res.setHeader(name, value);
    if (req.url?.split('?')[0] === '/runtime-config.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(site.runtimeConfig);
      return;
    }
    assets(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${bound}`,
    open: (next) => {
      site = next;
    },
  };
}

/**
 * A free port for a server that cannot report the one it got (nginx), picked at random below the kernel's ephemeral
 * range (net.ipv4.ip_local_port_range). Every other part of a test run listens on port 0, and the kernel hands out
 * ports of that range alone, for port 0 and for outgoing connections; so the port stays free until nginx binds it
 * unless another program asks for that very number.
 */
async function freePortOutsideEphemeralRange(host: string): Promise<number> {
  let ephemeralLow = 32_768; // Linux's default, where /proc cannot say
  try {
    const first = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    if (Number.isInteger(first)) ephemeralLow = first;
  } catch {
    // not Linux
  }
  const low = 10_000;
  const high = Math.max(low + 1_000, ephemeralLow) - 1;
  const candidates = Array.from({ length: 20 }, () => low + Math.floor(Math.random() * (high - low + 1)));
  return getPort({ host, port: candidates });
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const { ports } = options;
  const apiCount = options.apiProcesses ?? 1;
  if (!Number.isInteger(apiCount) || apiCount < 1)
    throw new Error(`apiProcesses must be 1 or more, got ${apiCount}`);
  if (apiCount > 1 && !options.proxy)
    throw new Error('more than one API process needs the proxy in front (proxy: true)');
  const serveApps = options.serveH5 !== false;
  const fixedUrl = (port: number) => (port === 0 ? null : `http://${host}:${port}`);

  if (serveApps && options.build) {
    log('building the shop and admin H5 apps ...');
    const buildLog = join(logDir, 'build.log');
    await Promise.all([
      run('pnpm', ['--filter', 'shop', 'build:h5'], { logFile: buildLog }),
      run('pnpm', ['--filter', 'admin', 'build:h5'], { logFile: buildLog }),
    ]);
  }

  const services: Service[] = [];
  const h5Servers: H5Server[] = [];
  let proxy: RunningProxy | null = null;
  const stop = async () => {
    await proxy?.stop();
    await Promise.all(
      h5Servers.map(
        ({ server }) =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      ),
    );
    // The API processes first (they may be mid-call to the sandbox), then the sandbox.
    const apis = services.filter((service) => service.name !== 'sandbox');
    await Promise.all(apis.map((service) => stopService(service)));
    for (const service of services.filter((s) => s.name === 'sandbox')) await stopService(service);
    if (options.removeDataDirOnStop) rmSync(dataDir, { recursive: true, force: true });
  };

  const proxyDir = join(dataDir, 'proxy');
  const tls = options.proxy ? (mkdirSync(proxyDir, { recursive: true }), makeCertificate(proxyDir)) : null;
  const runtime = options.runtime ?? 'source';
  const handles: ApiProcessHandle[] = [];
  let urls: Urls;
  try {
    // The H5 origins first: the API's CORS setting names them. nginx (proxy) cannot say which port it got, so its
    // two are picked free here; without H5 servers nothing listens on them, and they only fill CORS_ORIGINS.
    let appOrigins: { shop: string; admin: string };
    if (tls || !serveApps) {
      const pick = async (port: number) => (port === 0 ? freePortOutsideEphemeralRange(host) : port);
      const [shopPort, adminPort] = [await pick(ports.shop), await pick(ports.admin)];
      const scheme = tls ? 'https' : 'http';
      appOrigins = { shop: `${scheme}://${host}:${shopPort}`, admin: `${scheme}://${host}:${adminPort}` };
    } else {
      h5Servers.push(await serveH5(join(REPO_ROOT, 'apps/shop/dist/h5'), host, ports.shop));
      h5Servers.push(await serveH5(join(REPO_ROOT, 'apps/admin/dist/h5'), host, ports.admin));
      appOrigins = { shop: h5Servers[0]!.url, admin: h5Servers[1]!.url };
    }

    const sandboxId = `sandbox-${randomUUID()}`;
    const sandbox = startService({
      name: 'sandbox',
      entry: { source: 'apps/sandbox/src/main.ts', built: BUILT_ENTRIES.sandbox },
      runtime,
      // Alipay trusts public CAs; the sandbox trusts the proxy's throwaway certificate to post notifies to it.
      env: {
        ...sandboxEnv(dataDir, host, ports.sandbox, fixedUrl(ports.sandbox)),
        ...(tls ? { NODE_EXTRA_CA_CERTS: tls.certificate } : {}),
        ...options.sandboxEnv,
        SANDBOX_INSTANCE_ID: sandboxId,
      },
      instanceId: sandboxId,
      logDir,
      echo: options.echoLogs ?? false,
      startupTimeoutMs: 60_000,
    });
    services.push(sandbox);
    const sandboxUrl = await waitUntilUp(sandbox, fixedUrl(ports.sandbox));

    // Behind the proxy, the API's public origin (notify_url too) is the shop's.
    const apiPublicUrl = tls ? appOrigins.shop : null;
    /** Starts API process `index` on `port` (0: one it picks) and returns it once healthy, with its address. */
    const startApiProcess = async (
      index: number,
      port: number,
    ): Promise<{ service: Service; url: string }> => {
      const name = apiCount === 1 ? 'api' : `api-${index + 1}`;
      const apiId = `${name}-${randomUUID()}`;
      const service = startService({
        name,
        entry: { source: 'apps/api/src/main.ts', built: BUILT_ENTRIES.api },
        runtime,
        env: {
          ...apiEnv(dataDir, host, port, {
            publicUrl: apiPublicUrl ?? fixedUrl(port),
            sandboxUrl,
            appOrigins: [appOrigins.shop, appOrigins.admin],
          }),
          ...(tls ? { TRUSTED_PROXIES: host } : {}),
          ...options.apiEnv,
          API_INSTANCE_ID: apiId,
        },
        instanceId: apiId,
        logDir,
        echo: options.echoLogs ?? false,
        nodeArgs: options.apiNodeArgs,
        startupTimeoutMs: 120_000,
      });
      try {
        return { service, url: await waitUntilUp(service, fixedUrl(port)) };
      } catch (error) {
        await stopService(service);
        throw error;
      }
    };
    // One after the other: the first migrates (and seeds) the database, the others find it ready. The first listens
    // on `ports.api`, the others where they please.
    for (let index = 0; index < apiCount; index++) {
      const started = await startApiProcess(index, index === 0 ? ports.api : 0);
      let { service } = started;
      services.push(service);
      const { url } = started;
      handles.push({
        url,
        pid: () => service.child.pid,
        instanceId: () => service.instanceId,
        get logFile() {
          return service.logFile;
        },
        kill: (signal) =>
          new Promise((resolveExit) => {
            const { child } = service;
            if (child.exitCode !== null || child.signalCode !== null) {
              resolveExit({ code: child.exitCode, signal: child.signalCode });
              return;
            }
            child.once('exit', (code, sig) => resolveExit({ code, signal: sig }));
            child.kill(signal);
          }),
        // Where the last one listened: the proxy's upstream and the sandbox's notify retries name that address.
        restart: async () => {
          const next = (await startApiProcess(index, Number(new URL(url).port))).service;
          services[services.indexOf(service)] = next;
          service = next;
        },
      });
    }

    const direct = handles[0]!.url;
    urls = {
      api: tls ? appOrigins.shop : direct,
      sandbox: sandboxUrl,
      shop: appOrigins.shop,
      admin: appOrigins.admin,
    };
    const configs = runtimeConfigs(urls);
    if (tls) {
      const site = (origin: string, root: string, runtimeConfig: string) => ({
        serverName: host,
        listen: `${host}:${new URL(origin).port}`,
        root: join(REPO_ROOT, root),
        runtimeConfig,
        // Here the admin's API is the shop's origin; in production each app's origin serves the API itself.
        ...(new URL(urls.api).origin === new URL(origin).origin ? {} : { apiOrigin: urls.api }),
      });
      proxy = await startProxy(
        proxyDir,
        {
          upstreams: handles.map((handle) => new URL(handle.url).host),
          certificate: tls.certificate,
          certificateKey: tls.key,
          servers: [
            site(urls.shop, 'apps/shop/dist/h5', configs.shop),
            site(urls.admin, 'apps/admin/dist/h5', configs.admin),
          ],
        },
        [`${urls.shop}/api/ping`, `${urls.admin}/api/ping`],
      );
    } else {
      const headers = h5SecurityHeaders({ apiOrigin: urls.api });
      h5Servers[0]?.open({ runtimeConfig: configs.shop, headers });
      h5Servers[1]?.open({ runtimeConfig: configs.admin, headers });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    urls,
    dataDir,
    logDir,
    pids: {
      api: handles[0]?.pid(),
      apis: handles.map((handle) => handle.pid()),
      sandbox: services.find((s) => s.name === 'sandbox')?.child.pid,
    },
    apis: handles,
    certificate: tls?.certificate ?? null,
    stop,
  };
}
