/**
 * Certificate SNs and chains. The SNs are compared with alipay-sdk 4.14.0 in certificate mode (its config's
 * `appCertSn`, `alipayCertSn` and `alipayRootCertSn`, computed by its own antcertutil), byte for byte, over random
 * issuer names and serial numbers.
 */
import { webcrypto } from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AlipayCertificateError,
  certificateChainProblem,
  certificateSignatureOid,
  certificateSn,
  parseCertificates,
  publicKeyFromCertificate,
  rootCertificateSn,
} from './cert';
import { keyToBase64, loadPublicKey } from './keys';
import {
  certificateWithIssuer,
  certifiedKeyPair,
  createTestCa,
  rsaKeys,
  x509,
  type CertIdentity,
  type CryptoKeyPair,
  type TestCa,
} from './test-certs';

let ca: TestCa;
let otherCa: TestCa;
let app: CertIdentity;
let alipay: CertIdentity;
let throwaway: CryptoKeyPair;

beforeAll(async () => {
  [ca, otherCa] = await Promise.all([createTestCa('Test'), createTestCa('Other')]);
  [app, alipay] = await Promise.all([certifiedKeyPair(ca), certifiedKeyPair(ca)]);
  throwaway = await rsaKeys();
}, 60_000);

/** The SNs alipay-sdk computes for a set of certificates. */
function sdkSns(appCert: string, alipayCert: string, rootBundle: string) {
  const sdk = new AlipaySdk({
    appId: '9021000000000001',
    privateKey: app.pair.privateKeyPem,
    keyType: 'PKCS8',
    appCertContent: appCert,
    alipayPublicCertContent: alipayCert,
    alipayRootCertContent: rootBundle,
  });
  return {
    appCertSn: sdk.config.appCertSn,
    alipayCertSn: sdk.config.alipayCertSn,
    alipayRootCertSn: sdk.config.alipayRootCertSn,
    alipayPublicKey: sdk.config.alipayPublicKey,
  };
}

describe('certificate SNs match alipay-sdk', () => {
  it('for the app, Alipay and root certificates of a CA shaped like Alipay’s', () => {
    const sdk = sdkSns(app.certPem, alipay.certPem, ca.rootBundlePem);
    expect(certificateSn(app.certPem)).toBe(sdk.appCertSn);
    expect(certificateSn(alipay.certPem)).toBe(sdk.alipayCertSn);
    expect(rootCertificateSn(ca.rootBundlePem)).toBe(sdk.alipayRootCertSn);
    expect(certificateSn(app.certPem)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('the root SN joins the RSA roots (SHA-256 and SHA-1) with "_" and skips the ECDSA root', () => {
    const roots = parseCertificates(ca.rootBundlePem);
    expect(roots.map((cert) => certificateSignatureOid(cert))).toEqual([
      '1.2.840.113549.1.1.11',
      '1.2.840.10045.4.3.3',
      '1.2.840.113549.1.1.5',
    ]);
    expect(rootCertificateSn(ca.rootBundlePem)).toBe(
      `${certificateSn(roots[0]!)}_${certificateSn(roots[2]!)}`,
    );
  });

  it('Alipay’s public key read from its certificate is the one alipay-sdk reads', () => {
    const sdk = sdkSns(app.certPem, alipay.certPem, ca.rootBundlePem);
    const ours = publicKeyFromCertificate(alipay.certPem);
    expect(keyToBase64(ours)).toBe(keyToBase64(loadPublicKey(sdk.alipayPublicKey)));
    expect(keyToBase64(ours)).toBe(keyToBase64(loadPublicKey(alipay.pair.publicKeyPem)));
  });

  const attributeType = fc.constantFrom(
    '2.5.4.3', // CN
    '2.5.4.6', // C
    '2.5.4.7', // L
    '2.5.4.8', // ST
    '2.5.4.10', // O
    '2.5.4.11', // OU
    '1.2.840.113549.1.9.1', // emailAddress (alipay-sdk names it E)
    '2.5.4.5', // serialNumber (alipay-sdk names it "")
    '0.9.2342.19200300.100.1.25', // domainComponent
    '1.3.6.1.4.1.99999.1', // a private OID
  );
  const printable = fc.string({
    unit: fc.constantFrom(..."Aa Zz09'()+,-./:=?".split('')),
    minLength: 1,
    maxLength: 16,
  });
  const utf8 = fc.string({
    unit: fc.oneof(
      fc.constantFrom('支', '付', '宝', '（', '）', ',', '=', '+', '"', '\\', '<', '#', ';', ' ', 'é'),
      fc.constantFrom(...'abcXYZ019'.split('')),
    ),
    minLength: 1,
    maxLength: 16,
  });
  const attributeValue = fc.oneof(
    printable.map((text) => ({ printableString: text })),
    utf8.map((text) => ({ utf8String: text })),
    fc.string({ unit: fc.constantFrom(...'abc@.-_'.split('')), minLength: 1, maxLength: 12 }).map((text) => ({
      ia5String: text,
    })),
  );
  // One to six RDNs, some of them multi-valued (several attributes in one SET).
  const issuerName = fc.array(
    fc.dictionary(attributeType, fc.array(attributeValue, { minLength: 1, maxLength: 2 }), {
      minKeys: 1,
      maxKeys: 2,
    }),
    { minLength: 1, maxLength: 6 },
  );
  // Serial numbers of 1 to 20 bytes, including ones with the high bit set (negative DER INTEGERs).
  const serialHex = fc
    .uint8Array({ minLength: 1, maxLength: 20 })
    .map((bytes) => Buffer.from(bytes).toString('hex'))
    .filter((hex) => !/^00(?:[0-7]|$)/.test(hex));

  it('for random issuer names and serial numbers (property)', async () => {
    await fc.assert(
      fc.asyncProperty(issuerName, serialHex, async (name, serial) => {
        const pem = await certificateWithIssuer(new x509.Name(name), serial, throwaway);
        const sdk = sdkSns(pem, alipay.certPem, ca.rootBundlePem);
        expect(certificateSn(pem)).toBe(sdk.appCertSn);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('negative serial numbers (not allowed by RFC 5280, issued anyway) read as alipay-sdk reads them', () => {
  // The issuing library always encodes a positive serial, so flip the sign bit in the DER afterwards: the SN does
  // not depend on the signature, and alipay-sdk does not verify one.
  async function withNegativeSerial(serialHex: string): Promise<string> {
    const pem = await certificateWithIssuer(new x509.Name('CN=Negative, C=CN'), serialHex, throwaway);
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s+/g, ''), 'base64');
    const encoded = Buffer.from(
      `02${(serialHex.length / 2).toString(16).padStart(2, '0')}${serialHex}`,
      'hex',
    );
    const at = der.indexOf(encoded);
    expect(at).toBeGreaterThan(0);
    der[at + 2] = (der[at + 2] as number) | 0x80;
    return `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
  }

  it.each([
    ['up to 6 bytes: signed', '7f1e2d'],
    ['7 bytes or more: unsigned', '7f1e2d3c4b5a6978'],
  ])('%s', async (_label, serialHex) => {
    const pem = await withNegativeSerial(serialHex);
    expect(certificateSn(pem)).toBe(sdkSns(pem, alipay.certPem, ca.rootBundlePem).appCertSn);
  });
});

describe('bad certificate input fails clearly', () => {
  it.each([
    ['an empty text', '  '],
    ['a public key PEM', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----'],
    ['a truncated certificate', '-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqh\n-----END CERTIFICATE-----'],
  ])('%s', (_label, input) => {
    expect(() => certificateSn(input)).toThrow(AlipayCertificateError);
  });

  it('a root bundle without an RSA-signed certificate has no root SN', async () => {
    const ec = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const ecOnly = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=EC only',
      keys: ec,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    });
    expect(() => rootCertificateSn(ecOnly.toString('pem'))).toThrow(/no RSA-signed certificate/);
  });
});

describe('certificate chains against the root bundle', () => {
  it('trusts a leaf + intermediate chain the bundle’s root issued, in either order', () => {
    expect(certificateChainProblem(alipay.certPem, ca.rootBundlePem)).toBeNull();
    const [leaf, intermediate] = parseCertificates(alipay.certPem);
    expect(certificateChainProblem([intermediate!, leaf!], parseCertificates(ca.rootBundlePem))).toBeNull();
  });

  it('refuses a chain from another CA, a leaf without its intermediate, and an expired certificate', async () => {
    const foreign = await certifiedKeyPair(otherCa);
    expect(certificateChainProblem(foreign.certPem, ca.rootBundlePem)).toMatch(/no trusted root issued/);
    const [leaf] = parseCertificates(alipay.certPem);
    expect(certificateChainProblem([leaf!], parseCertificates(ca.rootBundlePem))).toMatch(/no trusted root/);
    const expired = await ca.issue(throwaway.publicKey, {
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    expect(certificateChainProblem(expired, ca.rootBundlePem)).toMatch(/is not valid now/);
  });
});
