import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keyToBase64, loadPrivateKey, loadPublicKey } from '@shop/alipay';
import { ensureDevKeys } from '@shop/dev-identity';
import { pino, type Logger } from 'pino';
import { createApp } from './app';
import { seedDevBuyers } from './buyers';
import { createClock } from './clock';
import { resolveConfig, type SandboxConfig, type StartSandboxOptions } from './config';
import type { Deps } from './deps';
import { loadEnv } from './env';
import { registerDevTemplates } from './messages/messages.service';
import { NotifySender } from './notify/sender';
import { Store } from './store/store';
import { ExpirySweeper } from './trades/expiry-sweeper';

export type { StartSandboxOptions } from './config';
export { SANDBOX_SELLER_ID } from './notify/notify-fields';
export { RETRY_DELAYS_MS, MAX_ATTEMPTS } from './notify/schedule';

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>` (the public URL when one is configured). */
  url: string;
  /** Where it listens, `http://<host>:<port>`, whatever the public URL. */
  address: string;
  /** `<url>/gateway.do`: the `gateway` option for AlipayClient or alipay-sdk. */
  gatewayUrl: string;
  config: SandboxConfig;
  /** Stops the server, the notify sender and the sweeper, and closes the database. Pending notifies stay queued. */
  close(): Promise<void>;
}

interface Identity {
  alipayPrivatePem: string;
  appPublicPem: string | undefined;
}

/** Configured key files win; otherwise the development keys under `<dataDir>/keys/` (generated on first start). */
function loadIdentity(config: SandboxConfig): Identity {
  const appPublic = config.appPublicKeyFile && readFileSync(config.appPublicKeyFile, 'utf8');
  if (config.alipayPrivateKeyFile) {
    return {
      alipayPrivatePem: readFileSync(config.alipayPrivateKeyFile, 'utf8'),
      appPublicPem: appPublic || undefined,
    };
  }
  const dev = ensureDevKeys(config.dataDir);
  return { alipayPrivatePem: dev.alipayPrivatePem, appPublicPem: appPublic || dev.appPublicPem };
}

/** Starts the sandbox in-process (tests use port 0 and a temp data dir). */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const config = resolveConfig(loadEnv(), options);
  // ISO times in UTC, as the API logs them, so the two logs read side by side.
  const logger: Logger = pino({
    name: 'sandbox',
    level: config.logLevel,
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  const identity = loadIdentity(config);
  const store = Store.open(config.dbFile);
  const clock = createClock(config.timeScale);
  let publicUrl = config.publicUrl ?? '';
  const deps: Deps = {
    store,
    clock,
    config,
    logger,
    alipayPrivateKey: loadPrivateKey(identity.alipayPrivatePem, 'sandbox (Alipay) private key'),
    // The sender and sweeper are created just below; signals only fire once requests arrive.
    signals: { notifyQueued: () => sender.wake(), tradeOpened: () => sweeper.wake() },
    publicUrl: () => publicUrl,
  };
  const sender = new NotifySender(deps);
  const sweeper = new ExpirySweeper(deps);

  // The development app is (re-)registered from its key file on every start, so the sandbox and the API agree even
  // after the keys were regenerated; seeded buyers are created once and keep their balances.
  // An app switched to certificate mode for the same key stays in certificate mode.
  if (identity.appPublicPem) {
    const existing = store.accounts.findApp(config.appId);
    const sameKey =
      existing !== undefined &&
      keyToBase64(loadPublicKey(existing.publicKeyPem)) === keyToBase64(loadPublicKey(identity.appPublicPem));
    if (!(sameKey && existing?.appCertSn))
      store.accounts.upsertApp(config.appId, identity.appPublicPem.trim(), false, clock.now());
  } else logger.warn('no app public key configured: register apps with POST /sandbox/apps');
  const seeded = seedDevBuyers(deps);
  // The development app's subscription message templates, kept in step with @shop/dev-identity on every start.
  registerDevTemplates(deps);

  const handle = createApp(deps, { releaseHeld: () => sender.releaseHeld() }).callback();
  const server = createServer((req, res) => void handle(req, res));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    store.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  publicUrl ||= url;
  sender.start();
  sweeper.start();
  logger.info(
    { url: publicUrl, dbFile: config.dbFile, timeScale: config.timeScale, seededBuyers: seeded },
    'sandbox listening',
  );

  let closing: Promise<void> | undefined;
  return {
    url: publicUrl,
    address: url,
    gatewayUrl: `${publicUrl}/gateway.do`,
    config: { ...config, port },
    close: () =>
      (closing ??= (async () => {
        sweeper.stop();
        await sender.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        store.close();
        logger.info('sandbox stopped');
      })()),
  };
}
