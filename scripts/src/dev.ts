import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { DEFAULT_HOST, DEFAULT_PORTS } from '@shop/dev-identity';
import { assertPortsFree, systemPorts } from './ports';
import { REPO_ROOT, serviceEnv, urlsOf } from './system';

/**
 * `pnpm dev`: the same four parts as `pnpm start`, each restarting or rebuilding on change: the sandbox and the API
 * under `tsx watch`, the shop and admin H5 apps on Taro's dev servers (which serve their default runtime config,
 * pointing at the default API and sandbox ports). Output is prefixed with the part's name. A port another program
 * holds stops it before anything starts, naming the port and its variable.
 */
const env = process.env;
const host = env.HOST ?? DEFAULT_HOST;
const dataDir = resolve(REPO_ROOT, env.DATA_DIR ?? '.data');
const ports = {
  api: Number(env.API_PORT ?? DEFAULT_PORTS.api),
  sandbox: Number(env.SANDBOX_PORT ?? DEFAULT_PORTS.sandbox),
  shop: Number(env.SHOP_PORT ?? DEFAULT_PORTS.shop),
  admin: Number(env.ADMIN_PORT ?? DEFAULT_PORTS.admin),
};
for (const [name, value] of Object.entries(ports)) {
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`pnpm dev failed: ${name.toUpperCase()}_PORT must be a port number (0 to 65535)`);
    process.exit(1);
  }
}
await assertPortsFree(host, systemPorts(ports)).catch((error: unknown) => {
  console.error(`pnpm dev failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const urls = urlsOf(host, ports);
const serviceEnvs = serviceEnv(dataDir, host, ports, urls);

const parts: Array<{ name: string; command: string; args: string[]; env: Record<string, string> }> = [
  {
    name: 'sandbox',
    command: 'pnpm',
    args: ['exec', 'tsx', 'watch', 'apps/sandbox/src/main.ts'],
    env: serviceEnvs.sandbox,
  },
  {
    name: 'api',
    command: 'pnpm',
    args: ['exec', 'tsx', 'watch', 'apps/api/src/main.ts'],
    env: serviceEnvs.api,
  },
  {
    name: 'shop',
    command: 'pnpm',
    args: ['--filter', 'shop', 'dev:h5'],
    env: { SHOP_H5_PORT: String(ports.shop), TARO_APP_API_URL: urls.api, TARO_APP_SANDBOX_URL: urls.sandbox },
  },
  {
    name: 'admin',
    command: 'pnpm',
    args: ['--filter', 'admin', 'dev:h5'],
    env: { ADMIN_H5_PORT: String(ports.admin), TARO_APP_API_URL: urls.api },
  },
];

const children: ChildProcess[] = parts.map((part) => {
  const child = spawn(part.command, part.args, {
    cwd: REPO_ROOT,
    env: { ...env, ...part.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => `[${part.name}] ${line}\n`)
      .join('');
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  child.once('exit', (code) => console.log(`[${part.name}] exited with ${code}`));
  return child;
});

console.log(`
  Development mode (watching)
  Shop (H5)      ${urls.shop}
  Admin (H5)     ${urls.admin}
  API            ${urls.api}
  Alipay sandbox ${urls.sandbox}
  Data: ${dataDir}. Press Ctrl-C to stop.
`);

const stop = () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
