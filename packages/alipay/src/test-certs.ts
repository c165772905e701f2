/**
 * A throwaway certificate authority for this package's tests, shaped like Alipay's: a root bundle of an RSA-SHA256
 * root, an ECDSA root and an RSA-SHA1 root; an RSA "Class 2" intermediate under the first; app and Alipay
 * certificates under the intermediate, delivered as leaf + intermediate PEM chains as Alipay's `.crt` files are.
 * Issuing uses @peculiar/x509 (Node's crypto cannot create certificates). Not exported from the package.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type Algorithm = webcrypto.Algorithm;
type EcdsaParams = webcrypto.EcdsaParams;
import * as x509 from '@peculiar/x509';
import { generateRsaKeyPair, type RsaKeyPairPem } from './keys';

x509.cryptoProvider.set(webcrypto);

const subtle = webcrypto.subtle;
const RSA = (hash: 'SHA-256' | 'SHA-1') => ({
  name: 'RSASSA-PKCS1-v1_5',
  hash,
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
});
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export interface Issuer {
  name: x509.Name;
  keys: CryptoKeyPair;
  cert: x509.X509Certificate;
}

async function rsaKeys(hash: 'SHA-256' | 'SHA-1' = 'SHA-256'): Promise<CryptoKeyPair> {
  return await subtle.generateKey(RSA(hash), true, ['sign', 'verify']);
}

/** Imports a PKCS#8 / SPKI PEM pair (keys made by node:crypto) for signing with @peculiar/x509. */
export async function importRsaPair(pair: RsaKeyPairPem): Promise<CryptoKeyPair> {
  const body = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s+/g, ''), 'base64');
  const privateKey = await subtle.importKey('pkcs8', body(pair.privateKeyPem), RSA('SHA-256'), true, [
    'sign',
  ]);
  const publicKey = await subtle.importKey('spki', body(pair.publicKeyPem), RSA('SHA-256'), true, ['verify']);
  return { privateKey, publicKey };
}

async function selfSigned(
  name: string,
  keys: CryptoKeyPair,
  algorithm: Algorithm | EcdsaParams,
  serial: string,
) {
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial,
    name,
    keys,
    signingAlgorithm: algorithm,
    notBefore: new Date(Date.now() - YEAR_MS),
    notAfter: new Date(Date.now() + 10 * YEAR_MS),
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  return { name: new x509.Name(name), keys, cert };
}

export interface TestCa {
  root: Issuer;
  intermediate: Issuer;
  /** PEM of the three roots (RSA-SHA256, ECDSA, RSA-SHA1), as alipayRootCert.crt holds several. */
  rootBundlePem: string;
  /** Issues a leaf certificate for a public key; returns the PEM chain leaf + intermediate. */
  issue(
    publicKey: CryptoKey,
    options?: { serial?: string; subject?: string; notBefore?: Date; notAfter?: Date },
  ): Promise<string>;
}

export async function createTestCa(label = 'Test'): Promise<TestCa> {
  const root = await selfSigned(
    `CN=${label} Certification Authority R1, OU=Certification Authority, O=${label} Financial, C=CN`,
    await rsaKeys(),
    RSA('SHA-256'),
    '0a0b0c0d0e0f',
  );
  const ecKeys = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']);
  const ecRoot = await selfSigned(
    `CN=${label} Certification Authority E1, OU=Certification Authority, O=${label} Financial, C=CN`,
    ecKeys,
    { name: 'ECDSA', hash: 'SHA-384' },
    '0e01',
  );
  const legacyRoot = await selfSigned(
    `CN=${label} Legacy Root CA, O=${label} Trust, C=CN`,
    await rsaKeys('SHA-1'),
    RSA('SHA-1'),
    '00d1a2b3c4d5e6f7',
  );
  const intermediateKeys = await rsaKeys();
  const intermediateName = `CN=${label} Certification Authority Class 2 R1, OU=Certification Authority, O=${label} Financial, C=CN`;
  const intermediateCert = await x509.X509CertificateGenerator.create({
    serialNumber: '2019112100000001',
    subject: intermediateName,
    issuer: root.cert.subject,
    publicKey: intermediateKeys.publicKey,
    signingKey: root.keys.privateKey,
    signingAlgorithm: RSA('SHA-256'),
    notBefore: new Date(Date.now() - YEAR_MS),
    notAfter: new Date(Date.now() + 5 * YEAR_MS),
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const intermediate = {
    name: new x509.Name(intermediateName),
    keys: intermediateKeys,
    cert: intermediateCert,
  };
  let serial = 0x20260001;
  return {
    root,
    intermediate,
    rootBundlePem: [root.cert, ecRoot.cert, legacyRoot.cert].map((c) => c.toString('pem')).join('\n'),
    async issue(publicKey, options = {}) {
      serial += 1;
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: options.serial ?? serial.toString(16).padStart(16, '0'),
        subject: options.subject ?? `CN=${label} leaf ${serial}, OU=Open Platform, O=${label} Shop, C=CN`,
        issuer: intermediateCert.subject,
        publicKey,
        signingKey: intermediateKeys.privateKey,
        signingAlgorithm: RSA('SHA-256'),
        notBefore: options.notBefore ?? new Date(Date.now() - 24 * 60 * 60 * 1000),
        notAfter: options.notAfter ?? new Date(Date.now() + 5 * YEAR_MS),
      });
      return `${leaf.toString('pem')}\n${intermediateCert.toString('pem')}\n`;
    },
  };
}

export interface CertIdentity {
  pair: RsaKeyPairPem;
  /** The leaf + intermediate PEM chain certifying `pair`. */
  certPem: string;
}

/** A fresh RSA key pair (node:crypto) and a certificate for it from `ca`. */
export async function certifiedKeyPair(ca: TestCa): Promise<CertIdentity> {
  const pair = generateRsaKeyPair();
  const keys = await importRsaPair(pair);
  return { pair, certPem: await ca.issue(keys.publicKey) };
}

/** A certificate with a chosen issuer and serial (SN tests sign with a throwaway key; nobody verifies them). */
export async function certificateWithIssuer(
  issuer: x509.Name,
  serialHex: string,
  keys: CryptoKeyPair,
  signingAlgorithm: Algorithm = RSA('SHA-256'),
): Promise<string> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex,
    subject: 'CN=leaf',
    issuer,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    signingAlgorithm,
  });
  return cert.toString('pem');
}

export { rsaKeys, x509 };
export type { CryptoKeyPair };
