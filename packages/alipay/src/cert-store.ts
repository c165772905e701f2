import type { KeyObject, X509Certificate } from 'node:crypto';
import {
  AlipayCertificateError,
  certificateChainProblem,
  certificateSn,
  parseCertificates,
  publicKeyFromCertificate,
  rootCertificateSn,
  type CertificateInput,
} from './cert';
import { keyToBase64, loadPublicKey } from './keys';

/** The three certificates of an app in certificate mode, as PEM text (the `.crt` files) or their bytes. */
export interface AlipayCertificates {
  /** The app's public-key certificate (`appCertPublicKey_<app id>.crt`). */
  appCert: CertificateInput;
  /** Alipay's public-key certificate (`alipayCertPublicKey_RSA2.crt`). */
  alipayCert: CertificateInput;
  /** Alipay's root certificate bundle (`alipayRootCert.crt`). */
  alipayRootCert: CertificateInput;
}

/**
 * The certificate state of a client: the SNs it sends, and Alipay's public keys by `alipay_cert_sn`. Alipay rotates
 * its certificate now and then; a response then names a new SN, and the client fetches that certificate, checks it
 * against the root bundle and keeps it beside the old one (as the Java SDK's `alipayPublicCertMap` does), because
 * responses signed under either may still arrive.
 */
export class AlipayCertStore {
  readonly appCertSn: string;
  readonly rootCertSn: string;
  /** The SN of the configured Alipay certificate. */
  readonly alipayCertSn: string;
  readonly #roots: X509Certificate[];
  readonly #keys = new Map<string, KeyObject>();

  constructor(certificates: AlipayCertificates, appPrivateKey?: KeyObject) {
    const appCert = parseCertificates(certificates.appCert, 'app certificate')[0] as X509Certificate;
    this.appCertSn = certificateSn(appCert);
    if (appPrivateKey) {
      const certified = publicKeyFromCertificate(appCert, 'app certificate');
      if (keyToBase64(certified) !== keyToBase64(loadPublicKey(appPrivateKey))) {
        throw new AlipayCertificateError(
          'the app certificate certifies another key than the app private key (was it issued for another CSR?)',
        );
      }
    }
    this.rootCertSn = rootCertificateSn(certificates.alipayRootCert);
    this.#roots = parseCertificates(certificates.alipayRootCert, 'Alipay root certificate');
    const alipayCert = parseCertificates(certificates.alipayCert, 'Alipay certificate')[0] as X509Certificate;
    this.alipayCertSn = certificateSn(alipayCert);
    this.#keys.set(this.alipayCertSn, publicKeyFromCertificate(alipayCert, 'Alipay certificate'));
  }

  /** Alipay's public key for a certificate SN, if known. */
  keyFor(certSn: string): KeyObject | undefined {
    return this.#keys.get(certSn);
  }

  /** Every known Alipay public key, the configured one first. */
  keys(): KeyObject[] {
    return [...this.#keys.values()];
  }

  knownSns(): string[] {
    return [...this.#keys.keys()];
  }

  /**
   * Adds an Alipay certificate (a PEM chain, leaf first, as `alipay.open.app.alipaycert.download` returns it) after
   * checking that the root bundle issued it and that it is valid now, and, when `expectedSn` is given, that it is
   * the certificate asked for. Returns its SN. Throws AlipayCertificateError otherwise.
   */
  add(chainPem: CertificateInput, expectedSn?: string, now: Date = new Date()): string {
    const chain = parseCertificates(chainPem, 'downloaded Alipay certificate');
    const problem = certificateChainProblem(chain, this.#roots, now);
    if (problem) throw new AlipayCertificateError(`downloaded Alipay certificate is not trusted: ${problem}`);
    const leaf = chain.find((cert) => !chain.some((other) => other !== cert && other.checkIssued(cert)));
    const sn = certificateSn(leaf ?? (chain[0] as X509Certificate));
    if (expectedSn !== undefined && sn !== expectedSn) {
      throw new AlipayCertificateError(`downloaded Alipay certificate has SN ${sn}, expected ${expectedSn}`);
    }
    this.#keys.set(sn, publicKeyFromCertificate(leaf ?? (chain[0] as X509Certificate), 'Alipay certificate'));
    return sn;
  }
}
