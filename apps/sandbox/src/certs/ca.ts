// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * The sandbox's certificate authority, shaped like Alipay's: a root bundle holding an RSA-SHA256 root (which issues
 * everything), an ECDSA root and a legacy RSA-SHA1 root (Alipay's real `alipayRootCert.crt` also mixes RSA with
 * non-RSA roots, and clients must leave the non-RSA ones out of `alipay_root_cert_sn`); a "Class 2" intermediate
 * under the RSA-SHA256 root; and leaf certificates (Alipay's, the apps') under the intermediate, delivered as
 * leaf + intermediate PEM chains like Alipay's `.crt` files.
 *
 * Issuing uses @peculiar/x509 2.2.0 (pinned): Node's crypto verifies certificates but cannot create them, and of the
 * libraries that install from npm here it is the maintained one that signs with WebCrypto, so it can make the ECDSA
 * root too (node-forge cannot). It also reads and verifies PKCS#10 CSRs, which Alipay's console takes.
 */

x509.cryptoProvider.set(webcrypto);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const subtle = webcrypto.subtle;
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const ORGANIZATION = 'O=Local Alipay Sandbox, C=CN';

const rsa = (hash: 'SHA-256' | 'SHA-1') => ({
  name: 'RSASSA-PKCS1-v1_5',
  hash,
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
});

/** A certificate the CA made: its PEM, its PEM chain (leaf + intermediate), its key when the sandbox keeps one. */
export interface IssuedCertificate {
  certPem: string;
  chainPem: string;
  privateKeyPem: string | null;
  notAfter: Date;
}

export interface NewCa {
  /** In bundle order: RSA-SHA256 root, ECDSA root, RSA-SHA1 root. */
  roots: IssuedCertificate[];
  intermediate: IssuedCertificate;
}

/** A positive random serial of 16 bytes, as hex. */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f;
  return bytes.toString('hex');
}

async function exportPrivatePem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return subtle.importKey('pkcs8', der, rsa('SHA-256'), false, ['sign']);
}

async function importPublicKey(key: KeyObject): Promise<CryptoKey> {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return subtle.importKey('spki', der, rsa('SHA-256'), true, ['verify']);
}

async function root(
  name: string,
  keys: CryptoKeyPair,
  algorithm: object,
  now: Date,
): Promise<IssuedCertificate> {
  const notAfter = new Date(now.getTime() + 20 * YEAR_MS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: newSerial(),
    name,
    keys,
    signingAlgorithm: algorithm,
    notBefore: new Date(now.getTime() - 24 * 60 * 60 * 1000),
    notAfter,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const certPem = cert.toString('pem');
  return { certPem, chainPem: certPem, privateKeyPem: await exportPrivatePem(keys.privateKey), notAfter };
}

/** Creates the roots and the intermediate (a few RSA key generations: about a second). */
export async function createCa(now: Date): Promise<NewCa> {
  const rsaRootKeys = await subtle.generateKey(rsa('SHA-256'), true, ['sign', 'verify']);
  const ecRootKeys = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
    'sign',
    'verify',
  ]);
  // WebCrypto binds the hash to an RSA key, so the SHA-1 root needs a key of its own.
  const legacyRootKeys = await subtle.generateKey(rsa('SHA-1'), true, ['sign', 'verify']);
  const roots = [
    await root(
      `CN=Alipay Sandbox Root CA R1, OU=Certification Authority, ${ORGANIZATION}`,
      rsaRootKeys,
      rsa('SHA-256'),
      now,
    ),
    await root(
      `CN=Alipay Sandbox Root CA E1, OU=Certification Authority, ${ORGANIZATION}`,
      ecRootKeys,
      { name: 'ECDSA', hash: 'SHA-384' },
      now,
    ),
    await root(
      `CN=Alipay Sandbox Legacy Root CA, OU=Certification Authority, ${ORGANIZATION}`,
      legacyRootKeys,
      rsa('SHA-1'),
      now,
    ),
  ];
  const intermediateKeys = await subtle.generateKey(rsa('SHA-256'), true, ['sign', 'verify']);
  const rootCert = new x509.X509Certificate((roots[0] as IssuedCertificate).certPem);
  const notAfter = new Date(now.getTime() + 10 * YEAR_MS);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: `CN=Alipay Sandbox Certification Authority Class 2 R1, OU=Certification Authority, ${ORGANIZATION}`,
    issuer: rootCert.subject,
    publicKey: intermediateKeys.publicKey,
    signingKey: rsaRootKeys.privateKey,
    signingAlgorithm: rsa('SHA-256'),
    notBefore: new Date(now.getTime() - 24 * 60 * 60 * 1000),
    notAfter,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const certPem = cert.toString('pem');
  return {
    roots,
    intermediate: {
      certPem,
      chainPem: certPem,
      privateKeyPem: await exportPrivatePem(intermediateKeys.privateKey),
      notAfter,
    },
  };
}

/**
 * Issues a leaf certificate under the intermediate for an RSA public key; returns it with the chain a `.crt` file
 * holds (leaf, then intermediate).
 */
export async function issueLeaf(
  intermediate: { certPem: string; privateKeyPem: string },
  publicKey: KeyObject,
  commonName: string,
  organizationalUnit: string,
  now: Date,
): Promise<IssuedCertificate> {
  const issuerCert = new x509.X509Certificate(intermediate.certPem);
  const notAfter = new Date(now.getTime() + 5 * YEAR_MS);
  const subject = new x509.Name([
    { '2.5.4.3': [{ utf8String: commonName }] },
    { '2.5.4.11': [{ utf8String: organizationalUnit }] },
    { '2.5.4.10': [{ utf8String: 'Local Alipay Sandbox' }] },
    { '2.5.4.6': [{ printableString: 'CN' }] },
  ]);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject,
    issuer: issuerCert.subject,
    publicKey: await importPublicKey(publicKey),
    signingKey: await importSigningKey(intermediate.privateKeyPem),
    signingAlgorithm: rsa('SHA-256'),
    notBefore: new Date(now.getTime() - 24 * 60 * 60 * 1000),
    notAfter,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const certPem = cert.toString('pem');
  return { certPem, chainPem: `${certPem}\n${intermediate.certPem}\n`, privateKeyPem: null, notAfter };
}

export class CsrError extends Error {
  override readonly name = 'CsrError';
}

/**
 * The public key of a PKCS#10 certificate signing request (what Alipay's key tool makes and its console takes),
 * after checking the request's self-signature. The CA puts its own subject on the certificate, as Alipay does.
 */
export async function publicKeyFromCsr(csrPem: string): Promise<KeyObject> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem.trim());
  } catch (error) {
    throw new CsrError(
      `not a PEM certificate request (-----BEGIN CERTIFICATE REQUEST-----): ${(error as Error).message}`,
    );
  }
  if (!(await csr.verify())) throw new CsrError('the certificate request’s signature does not verify');
  return createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
}
