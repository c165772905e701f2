import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
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

/** How the sandbox and the API are told where they live and where the others are: `pnpm start` and `pnpm dev` alike. */
export function serviceEnv(dataDir: string, host: string, ports: Ports, urls: Urls) {
  return {
    sandbox: {
      DATA_DIR: dataDir,
      SANDBOX_HOST: host,
      SANDBOX_PORT: String(ports.sandbox),
      SANDBOX_PUBLIC_URL: urls.sandbox,
    },
    api: {
      DATA_DIR: dataDir,
      API_HOST: host,
      API_PORT: String(ports.api),
      API_PUBLIC_URL: urls.api,
      ALIPAY_GATEWAY: `${urls.sandbox}/gateway.do`,
      CORS_ORIGINS: [urls.shop, urls.admin].join(','),
    },
  };
}

export interface SystemOptions {
  dataDir: string;
  host?: string;
  /** A 0 picks a free port. */
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

async function resolvePorts(ports: Ports): Promise<Ports> {
  const pick = async (port: number) => (port === 0 ? getPort({ host: DEFAULT_HOST }) : port);
  return {
    api: await pick(ports.api),
    sandbox: await pick(ports.sandbox),
    shop: await pick(ports.shop),
    admin: await pick(ports.admin),
  };
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

interface Service {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** The id the service names in its /healthz answer (API_INSTANCE_ID, SANDBOX_INSTANCE_ID). */
  instanceId: string;
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
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(out, { end: false });
    if (echo)
      stream.on('data', (chunk: Buffer) => process.stdout.write(prefixLines(name, chunk.toString('utf8'))));
  }
  child.once('exit', () => out.end());
  return { name, child, logFile, instanceId };
}

function prefixLines(name: string, text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `[${name}] ${line}\n`)
    .join('');
}

async function waitForHealth(service: Service, url: string, timeoutMs = 60_000): Promise<void> {
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

/** Serves a built H5 app: static files, single-page fallback to index.html, and a generated /runtime-config.js. */
function serveH5(
  dir: string,
  runtimeConfig: string,
  host: string,
  port: number,
  apiOrigin: string,
): Promise<Server> {
  if (!existsSync(join(dir, 'index.html'))) {
    return Promise.reject(
      new Error(`${dir} has no index.html; build it first (pnpm --filter <app> build:h5)`),
    );
  }
  try {
    assertInlineScriptsAllowed(readFileSync(join(dir, 'index.html'), 'utf8'), join(dir, 'index.html'));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  const assets = sirv(dir, { single: true, etag: true, dev: false, gzip: false });
  // The same security headers nginx adds in production (h5-headers.ts), on every answer.
  const headers = h5SecurityHeaders({ apiOrigin });
  const server = createServer((req, res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    if (req.url?.split('?')[0] === '/runtime-config.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(runtimeConfig);
      return;
    }
    assets(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const ports = await resolvePorts(options.ports);
  const apiCount = options.apiProcesses ?? 1;
  if (!Number.isInteger(apiCount) || apiCount < 1)
    throw new Error(`apiProcesses must be 1 or more, got ${apiCount}`);
  if (apiCount > 1 && !options.proxy)
    throw new Error('more than one API process needs the proxy in front (proxy: true)');
  const apiPorts = [ports.api];
  while (apiPorts.length < apiCount) apiPorts.push(await getPort({ host: DEFAULT_HOST }));
  const direct = urlsOf(host, ports);
  // Behind the proxy, the public origins are nginx's: the shop's (its API and notify_url too) and the admin's.
  const urls: Urls = options.proxy
    ? {
        ...direct,
        api: `https://${host}:${ports.shop}`,
        shop: `https://${host}:${ports.shop}`,
        admin: `https://${host}:${ports.admin}`,
      }
    : direct;
  const env = serviceEnv(dataDir, host, ports, urls);
  const serveApps = options.serveH5 !== false;

  if (serveApps && options.build) {
    log('building the shop and admin H5 apps ...');
    const buildLog = join(logDir, 'build.log');
    await Promise.all([
      run('pnpm', ['--filter', 'shop', 'build:h5'], { logFile: buildLog }),
      run('pnpm', ['--filter', 'admin', 'build:h5'], { logFile: buildLog }),
    ]);
  }

  const services: Service[] = [];
  const servers: Server[] = [];
  let proxy: RunningProxy | null = null;
  const stop = async () => {
    await proxy?.stop();
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((r) => {
            s.closeAllConnections();
            s.close(() => r());
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
  try {
    const sandboxId = `sandbox-${randomUUID()}`;
    const sandbox = startService({
      name: 'sandbox',
      entry: { source: 'apps/sandbox/src/main.ts', built: BUILT_ENTRIES.sandbox },
      runtime,
      // Alipay trusts public CAs; the sandbox trusts the proxy's throwaway certificate to post notifies to it.
      env: {
        ...env.sandbox,
        ...(tls ? { NODE_EXTRA_CA_CERTS: tls.certificate } : {}),
        ...options.sandboxEnv,
        SANDBOX_INSTANCE_ID: sandboxId,
      },
      instanceId: sandboxId,
      logDir,
      echo: options.echoLogs ?? false,
    });
    services.push(sandbox);
    await waitForHealth(sandbox, `${urls.sandbox}/healthz`);

    const startApiProcess = async (index: number): Promise<Service> => {
      const name = apiCount === 1 ? 'api' : `api-${index + 1}`;
      const apiId = `${name}-${randomUUID()}`;
      const port = apiPorts[index] as number;
      const service = startService({
        name,
        entry: { source: 'apps/api/src/main.ts', built: BUILT_ENTRIES.api },
        runtime,
        env: {
          ...env.api,
          API_PORT: String(port),
          ...(options.proxy ? { TRUSTED_PROXIES: host } : {}),
          ...options.apiEnv,
          API_INSTANCE_ID: apiId,
        },
        instanceId: apiId,
        logDir,
        echo: options.echoLogs ?? false,
        nodeArgs: options.apiNodeArgs,
      });
      await waitForHealth(service, `http://${host}:${port}/healthz`, 120_000);
      return service;
    };
    // One after the other: the first migrates (and seeds) the database, the others find it ready.
    for (let index = 0; index < apiCount; index++) {
      let service = await startApiProcess(index);
      services.push(service);
      handles.push({
        url: `http://${host}:${apiPorts[index]}`,
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
        restart: async () => {
          const next = await startApiProcess(index);
          services[services.indexOf(service)] = next;
          service = next;
        },
      });
    }

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
          upstreams: apiPorts.map((port) => `${host}:${port}`),
          certificate: tls.certificate,
          certificateKey: tls.key,
          servers: [
            site(urls.shop, 'apps/shop/dist/h5', configs.shop),
            site(urls.admin, 'apps/admin/dist/h5', configs.admin),
          ],
        },
        [`${urls.shop}/api/ping`, `${urls.admin}/api/ping`],
      );
    } else if (serveApps) {
      servers.push(
        await serveH5(join(REPO_ROOT, 'apps/shop/dist/h5'), configs.shop, host, ports.shop, urls.api),
        await serveH5(join(REPO_ROOT, 'apps/admin/dist/h5'), configs.admin, host, ports.admin, urls.api),
      );
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
