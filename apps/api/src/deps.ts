import { randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AlipayClient, loadPublicKey, publicKeyFromCertificate } from '@shop/alipay';
import { createDb } from '@shop/db';
import { ensureDevKeys } from '@shop/dev-identity';
import type { Db } from './db';
import type { Env } from './env';
import { createLogger, type Logger } from './http/logger';
import { createJobLeases, type JobLeases } from './jobs/leases';
import { FieldCipher } from './lib/field-cipher';

/** Everything a route or job needs, built once from the environment. Services receive the parts they use. */
export interface ApiDeps {
  env: Env;
  db: Db;
  alipay: AlipayClient;
  alipayPublicKey: KeyObject;
  cipher: FieldCipher;
  logger: Logger;
  /** The notify_url we give Alipay. */
  notifyUrl: string;
  /** This process's claims on job items (jobs/leases.ts). */
  leases: JobLeases;
}

function readKey(inline: string | undefined, file: string | undefined): string | undefined {
  if (inline) return inline;
  if (file) return readFileSync(file, 'utf8');
  return undefined;
}

/**
 * Development address key: generated once under DATA_DIR/keys so addresses stay readable across restarts.
 * Production must configure ADDRESS_ENCRYPTION_KEYS (env.ts refuses to start without it).
 *
 * Processes started together on one DATA_DIR each write a whole key to a file of their own and link it into place:
 * the link appears with its content complete or not at all, and only the first one succeeds, so every process reads
 * the same key. (Creating the file with the `wx` flag and then writing it let another process read it empty.)
 */
function devAddressKeySpec(dataDir: string): string {
  const file = join(dataDir, 'keys', 'address-encryption.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const draft = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, `dev1:${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(draft, { force: true });
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/** The address cipher of this configuration: ADDRESS_ENCRYPTION_KEYS, or the development key under DATA_DIR. */
export function addressCipher(env: Env): FieldCipher {
  return FieldCipher.fromSpec(env.ADDRESS_ENCRYPTION_KEYS ?? devAddressKeySpec(env.DATA_DIR));
}

/** `publicUrl` is where Alipay and browsers reach this API; notify_url is built from it. */
export function createDeps(
  env: Env,
  publicUrl: string,
  logger: Logger = createLogger(env.LOG_LEVEL),
): ApiDeps {
  let privateKey = readKey(env.ALIPAY_APP_PRIVATE_KEY, env.ALIPAY_APP_PRIVATE_KEY_FILE);
  const certificates = env.ALIPAY_CERTIFICATES;
  let alipayPublic = certificates
    ? publicKeyFromCertificate(certificates.alipayCert).export({ type: 'spki', format: 'pem' }).toString()
    : readKey(env.ALIPAY_PUBLIC_KEY, env.ALIPAY_PUBLIC_KEY_FILE);
  if (!privateKey || !alipayPublic) {
    // Development identities: the sandbox registers the same app key and signs with the matching gateway key.
    const keys = ensureDevKeys(env.DATA_DIR);
    privateKey ??= keys.appPrivatePem;
    alipayPublic ??= keys.alipayPublicPem;
  }
  const notifyUrl = `${publicUrl}/api/alipay/notify`;
  const alipay = new AlipayClient({
    appId: env.ALIPAY_APP_ID,
    privateKey,
    // Certificate mode (公钥证书模式) when the three certificates are configured, public-key mode otherwise.
    ...(certificates
      ? { certificates }
      : {
          alipayPublicKey: alipayPublic,
          alipayPublicKeyNext: readKey(env.ALIPAY_PUBLIC_KEY_NEXT, env.ALIPAY_PUBLIC_KEY_NEXT_FILE),
        }),
    gateway: env.ALIPAY_GATEWAY,
    timeoutMs: env.ALIPAY_TIMEOUT_MS,
    notifyUrl,
    productCode: env.ALIPAY_PRODUCT_CODE,
  });
  const db = createDb(env.DATABASE, { poolSize: env.DATABASE_POOL_SIZE });
  return {
    env,
    db,
    alipay,
    alipayPublicKey: loadPublicKey(alipayPublic, 'Alipay public key'),
    cipher: addressCipher(env),
    logger,
    notifyUrl,
    leases: createJobLeases(db, { leaseMs: env.JOB_LEASE_MS, logger }),
  };
}
