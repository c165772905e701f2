import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  certificateSn,
  generateRsaKeyPair,
  loadPrivateKey,
  loadPublicKey,
  rootCertificateSn,
} from '@shop/alipay';
import type { Deps } from '../deps';
import { NotFoundError } from '../errors';
import type { AppRecord, CertificateRecord } from '../store/types';
import { createCa, issueLeaf, type IssuedCertificate } from './ca';

/**
 * Certificate mode (公钥证书模式) in the sandbox: its CA (created on first use and kept in SQLite), Alipay's
 * certificates (the first certifies the sandbox's configured Alipay key; a rotation makes a new key and certificate,
 * the old one stays downloadable), and the certificates issued to apps, which switch those apps to certificate mode.
 */

/** `strict` (default) or `lenient` checks of the SNs a certificate-mode request sends; see authenticate.ts. */
export const CERT_CHECKS_SETTING = 'certChecks';
export type CertChecks = 'strict' | 'lenient';

export function certChecks(deps: Deps): CertChecks {
  return deps.store.bills.getSetting(CERT_CHECKS_SETTING) === 'lenient' ? 'lenient' : 'strict';
}

const creating = new WeakMap<object, Promise<void>>();

function record(
  role: CertificateRecord['role'],
  issued: IssuedCertificate,
  now: Date,
  extra: { appId?: string; current?: boolean; keepKey?: boolean } = {},
): Omit<CertificateRecord, 'id'> {
  return {
    role,
    sn: certificateSn(issued.certPem),
    appId: extra.appId ?? null,
    certPem: issued.certPem,
    chainPem: issued.chainPem,
    privateKeyPem: extra.keepKey === false ? null : issued.privateKeyPem,
    current: extra.current ?? true,
    notAfter: issued.notAfter,
    createdAt: now,
  };
}

export function caExists(deps: Deps): boolean {
  return deps.store.certificates.current('intermediate') !== undefined;
}

/** Creates the CA and Alipay's first certificate unless they exist. Concurrent callers share one creation. */
export function ensureCa(deps: Deps): Promise<void> {
  if (caExists(deps)) return Promise.resolve();
  let pending = creating.get(deps.store);
  if (!pending) {
    pending = (async () => {
      const now = deps.clock.now();
      const ca = await createCa(now);
      const alipay = await issueLeaf(
        { certPem: ca.intermediate.certPem, privateKeyPem: ca.intermediate.privateKeyPem as string },
        createPublicKey(deps.alipayPrivateKey),
        '支付宝(中国)网络技术有限公司 (sandbox)',
        'Alipay Open Platform',
        now,
      );
      deps.store.transaction(() => {
        if (caExists(deps)) return;
        for (const root of ca.roots) deps.store.certificates.insert(record('root', root, now));
        deps.store.certificates.insert(record('intermediate', ca.intermediate, now));
        // The first Alipay certificate certifies the configured Alipay key (kept in its key file, not here).
        deps.store.certificates.insert(record('alipay', alipay, now, { keepKey: false }));
      });
      deps.logger.info({ alipayCertSn: alipaySn(deps) }, 'certificate authority created');
    })().finally(() => creating.delete(deps.store));
    creating.set(deps.store, pending);
  }
  return pending;
}

function requireCa(deps: Deps): { intermediate: CertificateRecord; alipay: CertificateRecord } {
  const intermediate = deps.store.certificates.current('intermediate');
  const alipay = deps.store.certificates.current('alipay');
  if (!intermediate || !alipay) throw new Error('the sandbox CA does not exist yet (ensureCa first)');
  return { intermediate, alipay };
}

function alipaySn(deps: Deps): string | undefined {
  return deps.store.certificates.current('alipay')?.sn;
}

/** The root bundle, `alipayRootCert.crt`: RSA-SHA256 root, ECDSA root, RSA-SHA1 root. */
export function rootBundlePem(deps: Deps): string {
  return deps.store.certificates
    .list('root')
    .map((root) => root.certPem)
    .join('\n');
}

const rootSnCache = new Map<string, string>();
export function rootSn(deps: Deps): string {
  const bundle = rootBundlePem(deps);
  let sn = rootSnCache.get(bundle);
  if (!sn) {
    sn = rootCertificateSn(bundle);
    rootSnCache.set(bundle, sn);
  }
  return sn;
}

/** The SNs of every RSA root (the parts `alipay_root_cert_sn` joins with `_`). */
export function rootSnParts(deps: Deps): string[] {
  return rootSn(deps).split('_');
}

const keyCache = new Map<number, KeyObject>();

export interface Signer {
  key: KeyObject;
  /** Certificate mode: the SN of the Alipay certificate the key belongs to, sent as `alipay_cert_sn`. */
  alipayCertSn: string | undefined;
}

/**
 * How the sandbox signs for an app: public-key mode apps (and requests whose app is unknown) get the configured
 * Alipay key; certificate-mode apps the key of Alipay's current certificate, named by its SN.
 */
export function signerFor(deps: Deps, app: AppRecord | undefined): Signer {
  if (!app?.appCertSn) return { key: deps.alipayPrivateKey, alipayCertSn: undefined };
  const current = deps.store.certificates.current('alipay');
  if (!current) return { key: deps.alipayPrivateKey, alipayCertSn: undefined };
  let key = current.privateKeyPem === null ? deps.alipayPrivateKey : keyCache.get(current.id);
  if (!key) {
    key = loadPrivateKey(current.privateKeyPem as string, 'rotated Alipay key');
    keyCache.set(current.id, key);
  }
  return { key, alipayCertSn: current.sn };
}

export interface AppCertificateBundle {
  appId: string;
  appCertSn: string;
  /** `appCertPublicKey_<app id>.crt`: the app certificate and the intermediate. */
  appCertificate: string;
  alipayCertSn: string;
  /** `alipayCertPublicKey_RSA2.crt`: Alipay's current certificate and the intermediate. */
  alipayCertificate: string;
  alipayRootCertSn: string;
  /** `alipayRootCert.crt`. */
  alipayRootCertificate: string;
}

/**
 * Issues a certificate for an app's public key (as Alipay's console does for a CSR) and registers the app in
 * certificate mode with that key. A later certificate replaces the app's earlier one.
 */
export async function issueAppCertificate(
  deps: Deps,
  appId: string,
  publicKey: KeyObject,
  openIdMode: boolean | undefined,
): Promise<AppCertificateBundle> {
  await ensureCa(deps);
  const { intermediate } = requireCa(deps);
  const now = deps.clock.now();
  const issued = await issueLeaf(
    { certPem: intermediate.certPem, privateKeyPem: intermediate.privateKeyPem as string },
    publicKey,
    appId,
    'Alipay Open Platform Sandbox App',
    now,
  );
  const publicKeyPem = loadPublicKey(publicKey).export({ format: 'pem', type: 'spki' }) as string;
  deps.store.transaction(() => {
    const inserted = deps.store.certificates.insert(record('app', issued, now, { appId, keepKey: false }));
    deps.store.certificates.makeCurrent(inserted.id, 'app', appId);
    const existing = deps.store.accounts.findApp(appId);
    deps.store.accounts.upsertApp(
      appId,
      publicKeyPem.trim(),
      openIdMode ?? existing?.openIdMode ?? false,
      now,
      inserted.sn,
    );
  });
  deps.logger.info({ appId, appCertSn: certificateSn(issued.certPem) }, 'app certificate issued');
  return appCertificateBundle(deps, appId);
}

/** The certificates of an app in certificate mode; NotFoundError otherwise. */
export function appCertificateBundle(deps: Deps, appId: string): AppCertificateBundle {
  const app = deps.store.accounts.findApp(appId);
  const cert = deps.store.certificates.current('app', appId);
  if (!app?.appCertSn || !cert || cert.sn !== app.appCertSn) {
    throw new NotFoundError(
      `app ${appId} is not in certificate mode (POST /sandbox/apps/${appId}/certificate)`,
    );
  }
  const { alipay } = requireCa(deps);
  return {
    appId,
    appCertSn: cert.sn,
    appCertificate: cert.chainPem,
    alipayCertSn: alipay.sn,
    alipayCertificate: alipay.chainPem,
    alipayRootCertSn: rootSn(deps),
    alipayRootCertificate: rootBundlePem(deps),
  };
}

/**
 * Rotates Alipay's certificate: a new key and certificate become current for certificate-mode apps; responses name
 * the new SN, and clients fetch it with alipay.open.app.alipaycert.download. Public-key mode is unaffected.
 */
export async function rotateAlipayCertificate(deps: Deps): Promise<CertificateRecord> {
  await ensureCa(deps);
  const { intermediate } = requireCa(deps);
  const now = deps.clock.now();
  const pair = generateRsaKeyPair();
  const issued = await issueLeaf(
    { certPem: intermediate.certPem, privateKeyPem: intermediate.privateKeyPem as string },
    loadPublicKey(pair.publicKeyPem),
    '支付宝(中国)网络技术有限公司 (sandbox)',
    'Alipay Open Platform',
    now,
  );
  const inserted = deps.store.transaction(() => {
    const row = deps.store.certificates.insert({
      ...record('alipay', issued, now),
      privateKeyPem: pair.privateKeyPem,
    });
    deps.store.certificates.makeCurrent(row.id, 'alipay', null);
    return row;
  });
  deps.logger.info({ alipayCertSn: inserted.sn }, 'Alipay certificate rotated');
  return inserted;
}

/** Alipay's certificate with this SN (any, current or rotated out), for alipay.open.app.alipaycert.download. */
export function findAlipayCertificate(deps: Deps, sn: string): CertificateRecord | undefined {
  return deps.store.certificates.findBySn('alipay', sn);
}

export function listAlipayCertificates(deps: Deps): CertificateRecord[] {
  return deps.store.certificates.list('alipay');
}
