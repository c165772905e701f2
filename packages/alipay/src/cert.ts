import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { AlipayKeyError, loadPublicKey } from './keys';

/**
 * Public-key certificate mode (公钥证书模式, https://opendocs.alipay.com/open/291/sign): the app signs with its private
 * key as usual, and every request names the app's certificate (`app_cert_sn`) and Alipay's root certificates
 * (`alipay_root_cert_sn`); every response names the Alipay certificate it was signed under (`alipay_cert_sn`).
 *
 * A certificate's "SN" is not its X.509 serial number but MD5 hex of `<issuer DN><decimal serial>`, exactly as the
 * official SDKs compute it (alipay-sdk's `antcertutil.ts`, the Java SDK's `AntCertificationUtil.getCertSN`):
 * - the issuer DN is the issuer's attributes in reverse order, each `<short name>=<value>`, joined by `,`. alipay-sdk
 *   knows the short names CN, C, L, ST, O, OU and E (emailAddress); any other attribute type gets an empty name
 *   (`=value`). Values are the attribute's raw bytes read as UTF-8 and nothing is escaped;
 * - the serial is the INTEGER in decimal. alipay-sdk reads serials of up to 6 bytes as signed numbers and longer
 *   ones as unsigned (it hex-dumps their bytes), so a negative serial longer than 6 bytes (not allowed by RFC 5280,
 *   but it exists in the wild) reads as positive. The Java SDK would differ there; ALIPAY.md makes the Node SDK the
 *   oracle, and the tests compare with it byte for byte.
 * (https://github.com/alipay/alipay-sdk-nodejs-all/blob/master/src/antcertutil.ts and
 * https://github.com/alipay/alipay-sdk-java-all/blob/master/v2/src/main/java/com/alipay/api/internal/util/AntCertificationUtil.java)
 * The root SN joins the SNs of the root bundle's certificates signed with RSA (signature OID 1.2.840.113549.1.1.*)
 * with `_`, in bundle order; Alipay's real bundle also holds ECDSA and SM2 roots, which are skipped.
 *
 * Node's X509Certificate parses and verifies; asn1js (a maintained BER/DER parser) reads the three fields Node does
 * not expose byte for byte: the issuer's raw attribute values, the serial's encoding and the signature algorithm OID.
 * A library that normalises names (escaping, BMPString decoding) would compute a different SN than the SDK.
 */

export class AlipayCertificateError extends Error {
  override readonly name = 'AlipayCertificateError';
}

/** Text or bytes of one or more PEM certificates, as read from Alipay's `.crt` files or pasted inline. */
export type CertificateInput = string | Buffer;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/** Every certificate in a PEM text, in order. Throws AlipayCertificateError when there is none or one is broken. */
export function parseCertificates(input: CertificateInput, what = 'certificate'): X509Certificate[] {
  const text = (typeof input === 'string' ? input : input.toString('utf8')).trim();
  if (text === '') throw new AlipayCertificateError(`${what} is empty`);
  const certs: X509Certificate[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const der = Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64');
    try {
      certs.push(new X509Certificate(der));
    } catch (error) {
      throw new AlipayCertificateError(
        `${what}: block ${certs.length + 1} is not a valid X.509 certificate`,
        {
          cause: error,
        },
      );
    }
  }
  if (certs.length === 0) {
    throw new AlipayCertificateError(
      `${what} holds no "-----BEGIN CERTIFICATE-----" block (expected the PEM text of a .crt file)`,
    );
  }
  return certs;
}

// The attribute types alipay-sdk's X.509 parser (@fidm/x509) names; every other type is named "".
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'E',
};

const RSA_SIGNATURE_OID_PREFIX = '1.2.840.113549.1.1';

interface CertFields {
  serial: Uint8Array;
  signatureOid: string;
  issuer: Array<{ oid: string; value: Uint8Array }>;
}

/** The content octets of a block (its bytes after tag and length). */
function content(block: asn1js.AsnType): Uint8Array {
  const whole = block.valueBeforeDecodeView;
  return whole.subarray(block.idBlock.blockLength + block.lenBlock.blockLength);
}

function children(block: asn1js.AsnType | undefined, what: string): asn1js.AsnType[] {
  const value = (block as asn1js.Constructed | undefined)?.valueBlock?.value;
  if (!Array.isArray(value))
    throw new AlipayCertificateError(`malformed certificate: ${what} is not constructed`);
  return value;
}

function readFields(cert: X509Certificate): CertFields {
  const parsed = asn1js.fromBER(new Uint8Array(cert.raw));
  if (parsed.offset === -1) throw new AlipayCertificateError(`malformed certificate: ${parsed.result.error}`);
  const [tbs, signatureAlgorithm] = children(parsed.result, 'Certificate');
  const tbsFields = children(tbs, 'TBSCertificate');
  // version is [0] EXPLICIT and optional (absent for v1 certificates)
  const first = tbsFields[0];
  const offset = first?.idBlock.tagClass === 3 && first.idBlock.tagNumber === 0 ? 1 : 0;
  const serial = tbsFields[offset];
  const issuer = tbsFields[offset + 2];
  const algorithmOid = children(signatureAlgorithm, 'signatureAlgorithm')[0];
  if (!(serial instanceof asn1js.Integer) || !(algorithmOid instanceof asn1js.ObjectIdentifier) || !issuer) {
    throw new AlipayCertificateError('malformed certificate: unexpected TBSCertificate layout');
  }
  const attributes: CertFields['issuer'] = [];
  for (const rdn of children(issuer, 'issuer')) {
    for (const attribute of children(rdn, 'issuer RDN')) {
      const [type, value] = children(attribute, 'issuer attribute');
      if (!(type instanceof asn1js.ObjectIdentifier) || !value) {
        throw new AlipayCertificateError('malformed certificate: bad issuer attribute');
      }
      attributes.push({ oid: type.getValue(), value: content(value) });
    }
  }
  return { serial: content(serial), signatureOid: algorithmOid.getValue(), issuer: attributes };
}

/** The serial in decimal, read as alipay-sdk reads it (see the module comment). */
function decimalSerial(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new AlipayCertificateError('malformed certificate: empty serial number');
  const hex = Buffer.from(bytes).toString('hex');
  if (bytes.length > 6) return BigInt(`0x${hex}`).toString(10);
  return Buffer.from(bytes).readIntBE(0, bytes.length).toString(10);
}

function issuerPrincipal(fields: CertFields): string {
  const utf8 = new TextDecoder('utf-8');
  return fields.issuer
    .map(({ oid, value }) => `${SHORT_NAMES[oid] ?? ''}=${utf8.decode(value)}`)
    .reverse()
    .join(',');
}

function toCertificate(input: CertificateInput | X509Certificate, what: string): X509Certificate {
  if (input instanceof X509Certificate) return input;
  return parseCertificates(input, what)[0] as X509Certificate;
}

/**
 * The SN of a certificate (the first one of a PEM chain, as the SDKs read `.crt` files): `app_cert_sn` of the app
 * certificate, `alipay_cert_sn` of Alipay's.
 */
export function certificateSn(input: CertificateInput | X509Certificate, what = 'certificate'): string {
  const fields = readFields(toCertificate(input, what));
  return createHash('md5')
    .update(issuerPrincipal(fields) + decimalSerial(fields.serial), 'utf8')
    .digest('hex');
}

/** `alipay_root_cert_sn`: the SNs of the bundle's RSA-signed certificates joined with `_`. */
export function rootCertificateSn(input: CertificateInput, what = 'Alipay root certificate'): string {
  const sns = parseCertificates(input, what)
    .filter((cert) => readFields(cert).signatureOid.startsWith(RSA_SIGNATURE_OID_PREFIX))
    .map((cert) => certificateSn(cert));
  if (sns.length === 0) {
    throw new AlipayCertificateError(`${what} holds no RSA-signed certificate, so it has no root SN`);
  }
  return sns.join('_');
}

/** The OID of the algorithm a certificate is signed with (`1.2.840.113549.1.1.11` is sha256WithRSAEncryption). */
export function certificateSignatureOid(input: CertificateInput | X509Certificate): string {
  return readFields(toCertificate(input, 'certificate')).signatureOid;
}

/** The RSA-2048 public key a certificate certifies (Alipay's public key in certificate mode). */
export function publicKeyFromCertificate(
  input: CertificateInput | X509Certificate,
  what = 'certificate',
): KeyObject {
  const cert = toCertificate(input, what);
  try {
    return loadPublicKey(cert.publicKey, `public key of ${what}`);
  } catch (error) {
    if (error instanceof AlipayKeyError) throw new AlipayCertificateError(error.message, { cause: error });
    throw error;
  }
}

function certificateList(
  input: CertificateInput | readonly X509Certificate[],
  what: string,
): X509Certificate[] {
  return typeof input === 'string' || Buffer.isBuffer(input) ? parseCertificates(input, what) : [...input];
}

const oneLine = (name: string) => name.replaceAll('\n', ', ');

/** Why a certificate chain is not trusted; null when it is. */
export type ChainProblem = string | null;

/**
 * Checks that a certificate (or a chain, leaf first or in any order) was issued, link by link, by one of the root
 * bundle's certificates, and that every certificate of the chain is valid at `now`: what the Java SDK's
 * `AntCertificationUtil.isTrusted` checks before it accepts a certificate downloaded with
 * `alipay.open.app.alipaycert.download`. Returns the reason when it is not trusted.
 */
export function certificateChainProblem(
  chain: CertificateInput | readonly X509Certificate[],
  rootBundle: CertificateInput | readonly X509Certificate[],
  now: Date = new Date(),
): ChainProblem {
  const certs = certificateList(chain, 'certificate chain');
  const roots = certificateList(rootBundle, 'root certificate');
  const validAt = (cert: X509Certificate) =>
    new Date(cert.validFrom).getTime() <= now.getTime() && now.getTime() <= new Date(cert.validTo).getTime();
  const issuedBy = (child: X509Certificate, parent: X509Certificate) =>
    child.checkIssued(parent) && child.verify(parent.publicKey);

  // Walk up from the leaf (the certificate that is issuer of no other in the chain).
  const leaf = certs.find((cert) => !certs.some((other) => other !== cert && issuedBy(other, cert)));
  if (!leaf) return 'the chain has no leaf certificate';
  const seen = new Set<X509Certificate>();
  let current: X509Certificate = leaf;
  for (;;) {
    const cert = current;
    if (!validAt(cert)) return `certificate "${oneLine(cert.subject)}" is not valid now`;
    seen.add(cert);
    const root = roots.find((candidate) => issuedBy(cert, candidate));
    if (root) {
      if (!validAt(root)) return `root certificate "${oneLine(root.subject)}" is not valid now`;
      return seen.size === certs.length ? null : 'the chain holds certificates outside the path to the root';
    }
    const parent = certs.find((candidate) => !seen.has(candidate) && issuedBy(cert, candidate));
    if (!parent) return `no trusted root issued "${oneLine(cert.issuer)}"`;
    current = parent;
  }
}
