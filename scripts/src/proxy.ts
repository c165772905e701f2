import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { h5SecurityHeaders } from './h5-headers';

/**
 * nginx in front of the shop as production runs it (docs/deploy.md): TLS on the public origins, the shop's and the
 * admin's H5 builds served as files, and `/api/`, `/images/` and `/media/` passed to an upstream of API processes
 * with the forwarded headers the API trusts from TRUSTED_PROXIES. `siteConfig` is the part docs/deploy.md prints
 * (scripts/src/proxy.test.ts keeps the two equal); `startProxy` wraps it in a main configuration of its own and runs
 * Debian's nginx as a child process, for the end-to-end test and the benchmark behind the proxy.
 */

/** One public origin nginx serves: an H5 app's files, its runtime configuration, and the API under it. */
export interface SiteServer {
  /** `server_name` (a host name in production; the tests use 127.0.0.1). */
  serverName: string;
  /** `listen` (443 in production; the tests use free ports of 127.0.0.1: `127.0.0.1:PORT`). */
  listen: string;
  /** The H5 build folder (`apps/shop/dist/h5`, `apps/admin/dist/h5`). */
  root: string;
  /** The JavaScript answered at /runtime-config.js, the app's API origin (this origin). */
  runtimeConfig: string;
  /** The API's origin when the app calls another origin than its own (the end-to-end proxy test's admin). */
  apiOrigin?: string;
}

export interface SiteOptions {
  /** The API processes, `host:port` each. */
  upstreams: readonly string[];
  certificate: string;
  certificateKey: string;
  servers: readonly SiteServer[];
}

/**
 * Idle connections nginx keeps to the API processes close after this (`keepalive_timeout` of the upstream): below the
 * idle grace an API process gives its connections when it drains on SIGTERM (DRAIN_IDLE_GRACE_MS, 5 s, in
 * apps/api/src/server.ts), so during a rolling restart nginx closes its idle connections itself and never sends a
 * request on one the API is closing.
 */
export const UPSTREAM_KEEPALIVE_TIMEOUT = '4s';

/** Larger than the API's largest body (a 5 MB photo, MAX_UPLOAD_BYTES), so the API is the one that refuses. */
const CLIENT_MAX_BODY_SIZE = '8m';

/** The `upstream` and `server` blocks for the `http` context of nginx's configuration. */
export function siteConfig(options: SiteOptions): string {
  const proxied = (path: string) => `    location ${path} {
        proxy_pass http://shop_api;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
    }`;
  // The H5 pages' security headers (h5-headers.ts), the ones `pnpm start` sends too. They are added in the location
  // that answers the pages, not at the server level, so the API's own (helmet's) are not doubled on /api/ answers
  // (an add_header inside a location drops the server's); `always` puts them on error pages too. The runtime
  // configuration is a script, not a page: a policy means nothing there, nosniff does.
  const securityHeaders = (site: SiteServer) =>
    h5SecurityHeaders({ apiOrigin: site.apiOrigin })
      .map(([name, value]) => `        add_header ${name} "${value}" always;`)
      .join('\n');
  const server = (site: SiteServer) => `server {
    listen ${site.listen} ssl;
    server_name ${site.serverName};
    ssl_certificate ${options.certificate};
    ssl_certificate_key ${options.certificateKey};
    ssl_protocols TLSv1.2 TLSv1.3;
    client_max_body_size ${CLIENT_MAX_BODY_SIZE};

    root ${site.root};
    location / {
        try_files $uri /index.html;
${securityHeaders(site)}
    }
    location = /runtime-config.js {
        default_type text/javascript;
        add_header Cache-Control no-store;
        add_header X-Content-Type-Options "nosniff" always;
        return 200 '${site.runtimeConfig.trim().replaceAll("'", "\\'")}';
    }

${['/api/', '/images/', '/media/'].map(proxied).join('\n')}
}`;
  // max_fails=0: a process that is stopping or starting refuses connections, and nginx passes each such request to the
  // next process at once (nothing was sent). With nginx's default passive check (max_fails=1, fail_timeout=10s) a
  // refusal takes the process out of rotation for ten seconds, so a rolling restart that stops the next process
  // within ten seconds of the last one's return leaves nginx no process it will try: 502 for every request.
  return `upstream shop_api {
${options.upstreams.map((address) => `    server ${address} max_fails=0;`).join('\n')}
    keepalive 32;
    keepalive_timeout ${UPSTREAM_KEEPALIVE_TIMEOUT};
}

${options.servers.map(server).join('\n\n')}
`;
}

/** The nginx binary: NGINX_PATH, else `nginx` on PATH, else Debian's /usr/sbin/nginx. */
export function nginxBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NGINX_PATH) {
    if (!existsSync(env.NGINX_PATH)) throw new Error(`NGINX_PATH=${env.NGINX_PATH} does not exist`);
    return env.NGINX_PATH;
  }
  const onPath = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  if (existsSync('/usr/sbin/nginx')) return '/usr/sbin/nginx';
  throw new Error(
    "nginx is not installed: run `bash scripts/bootstrap.sh --browser` (as root it installs Debian's nginx-light), " +
      'or `sudo apt-get install -y nginx-light`, or set NGINX_PATH',
  );
}

/** A throwaway self-signed certificate for 127.0.0.1 and localhost (openssl), valid for two days. */
export function makeCertificate(dir: string): { certificate: string; key: string } {
  const certificate = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      certificate,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`openssl could not make a certificate: ${result.stderr || result.error}`);
  return { certificate, key };
}

const MIME_TYPES = `types {
        text/html html;
        text/css css;
        text/javascript js;
        application/json json;
        image/svg+xml svg;
        image/png png;
        image/jpeg jpg jpeg;
        image/webp webp;
        image/x-icon ico;
        font/woff2 woff2;
        font/woff woff;
        font/ttf ttf;
    }`;

export interface RunningProxy {
  /** The folder of its configuration, certificate, logs and temporary files. */
  dir: string;
  certificate: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Runs nginx in the foreground with `site` in a main configuration of its own under `dir` (pid, logs and temporary
 * files there too, one worker), and resolves once its configuration is accepted and it listens. As root, nginx's
 * worker runs as `nobody`: `dir` is made readable, and the H5 folders must be (a clone's are).
 */
export async function startProxy(
  dir: string,
  site: SiteOptions,
  readyUrls: readonly string[],
): Promise<RunningProxy> {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const config = join(dir, 'nginx.conf');
  writeFileSync(
    config,
    `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events {
    worker_connections 1024;
}
http {
    ${MIME_TYPES}
    default_type application/octet-stream;
    access_log ${join(dir, 'access.log')};
    client_body_temp_path ${join(dir, 'client_body')};
    proxy_temp_path ${join(dir, 'proxy')};
    fastcgi_temp_path ${join(dir, 'fastcgi')};
    uwsgi_temp_path ${join(dir, 'uwsgi')};
    scgi_temp_path ${join(dir, 'scgi')};

${siteConfig(site)
  .split('\n')
  .map((line) => (line ? `    ${line}` : line))
  .join('\n')}
}
`,
  );
  const binary = nginxBinary();
  const check = spawnSync(binary, ['-t', '-q', '-p', dir, '-e', 'stderr', '-c', config], {
    encoding: 'utf8',
  });
  if (check.status !== 0) throw new Error(`nginx refused ${config}:\n${check.stderr}`);
  const out = createWriteStream(join(dir, 'nginx.out'), { flags: 'a' });
  const child: ChildProcess = spawn(binary, ['-p', dir, '-e', 'stderr', '-c', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  child.once('exit', () => out.end());

  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      // SIGQUIT: a graceful stop (requests under way are finished).
      child.kill('SIGQUIT');
    });

  const deadline = Date.now() + 15_000;
  const certificate = readFileSync(site.certificate, 'utf8');
  for (const url of readyUrls) {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(
          `nginx exited (code ${child.exitCode}):\n${readFileSync(join(dir, 'nginx.out'), 'utf8')}`,
        );
      }
      const ok = await fetchWithCa(url, certificate).then(
        (status) => status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`nginx did not answer ${url} within 15 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { dir, certificate: site.certificate, pid: child.pid, stop };
}

/** GET over https trusting `ca`; resolves with the status. */
function fetchWithCa(url: string, ca: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = request(url, { ca, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end();
  });
}
