import type { KeyObject } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AlipayCertStore, type AlipayCertificates } from './cert-store';
import {
  AlipayApiError,
  AlipayConnectionError,
  AlipayOutcomeUnknownError,
  AlipayUnknownCertificateError,
  type AlipayErrorNode,
} from './errors';
import { encodeForm } from './form';
import { loadPrivateKey, loadPublicKey, publicKeyId, type KeyInput } from './keys';
import { fenToYuan, MAX_AMOUNT_FEN, MIN_AMOUNT_FEN, yuanToFen } from './money';
import { ALIPAY_CERT_SN_KEY, ERROR_RESPONSE_KEY, responseKey, topLevelMembers } from './response';
import { notifySignContent, requestSignContent, signRsa2, signRsa2Async, verifyRsa2 } from './sign';
import { formatChinaTime, parseChinaTime } from './time';
import type {
  BillDownloadUrlInput,
  BillDownloadUrlResult,
  OAuthTokenInput,
  OAuthTokenResult,
  PageRequest,
  RefundQueryInput,
  RefundQueryResult,
  TradeCloseResult,
  TradeCreateInput,
  TradeCreateResult,
  TradePrecreateInput,
  TradePrecreateResult,
  TradeQueryResult,
  TradeRef,
  TradeRefundInput,
  TradeRefundResult,
  TemplateMessageSendInput,
  TemplateMessageSendResult,
  TradeStatus,
  WapPayInput,
  WapReturn,
} from './types';
import { TRADE_STATUSES } from './types';

export const ALIPAY_GATEWAY = 'https://openapi.alipay.com/gateway.do';
export const ALIPAY_DEV_SANDBOX_GATEWAY = 'https://openapi-sandbox.dl.alipaydev.com/gateway.do';

interface AlipayClientBaseConfig {
  appId: string;
  /** The app's private key: PKCS#8 or PKCS#1, PEM or bare base64. */
  privateKey: KeyInput;
  /** Defaults to production `https://openapi.alipay.com/gateway.do`. */
  gateway?: string;
  /** Per-call deadline covering connect, send and read; defaults to 10 s. */
  timeoutMs?: number;
  /** Default `notify_url` for trade creation and refunds. */
  notifyUrl?: string;
  /** Default `product_code` for trade creation; `JSAPI_PAY` unless set. */
  productCode?: string;
}

/**
 * Public-key mode (Alipay's public key) or certificate mode (the three certificates, as the PEM text of the `.crt`
 * files Alipay's console hands out; the caller reads the files, this package does no I/O but fetch).
 */
export type AlipayClientConfig = AlipayClientBaseConfig &
  (
    | {
        /** Alipay's public key (bare base64 SPKI from the console, or PEM). */
        alipayPublicKey: KeyInput;
        /**
         * During a switch of Alipay's public key (the app's key pair was replaced in Alipay's console, so Alipay
         * signs with a new key): the other key. Responses, notifies and returns verify under either; the current
         * key is tried first and this one only when that fails.
         */
        alipayPublicKeyNext?: KeyInput | undefined;
        certificates?: undefined;
      }
    | {
        /** Certificate mode (公钥证书模式). */
        certificates: AlipayCertificates;
        alipayPublicKey?: undefined;
        /** Certificate mode rotates through the certificate's SN (alipay_cert_sn), not a second key. */
        alipayPublicKeyNext?: undefined;
      }
  );

/**
 * Protocol parameters travel in the URL query and everything else in the form body, as alipay-sdk's `formatUrl`
 * does; the gateway merges both before verifying.
 */
const QUERY_PARAMS = new Set([
  'app_id',
  'method',
  'format',
  'charset',
  'sign_type',
  'sign',
  'timestamp',
  'version',
  'notify_url',
  'return_url',
  'auth_token',
  'app_auth_token',
  'app_cert_sn',
  'alipay_root_cert_sn',
  'ws_service_url',
]);

const OUT_NO_PATTERN = /^[A-Za-z0-9_]{1,64}$/;
/** How long a kept-alive gateway connection may stay idle when the server does not say. */
const IDLE_SOCKET_MS = 4_000;

const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface ExecOptions {
  bizContent?: Readonly<Record<string, unknown>>;
  /** Top-level API parameters outside biz_content (e.g. `grant_type`, `code`). */
  params?: Readonly<Record<string, string | undefined>>;
  notifyUrl?: string;
  /** Page methods only (`alipay.trade.wap.pay`): where the browser returns. */
  returnUrl?: string;
  timeoutMs?: number;
}

export interface ExecResult {
  /** The parsed response node. */
  node: Record<string, unknown>;
  /** The whole response body as received. */
  responseText: string;
  traceId: string | undefined;
}

export interface BuiltRequest {
  url: string;
  body: string;
  /** Every signed parameter, `sign` included. */
  params: Record<string, string>;
}

function assertOutNo(value: string | undefined, what: string): void {
  if (value !== undefined && !OUT_NO_PATTERN.test(value)) {
    throw new TypeError(
      `${what} must be 1 to 64 letters, digits or underscores, got ${JSON.stringify(value)}`,
    );
  }
}

function assertAmount(fen: number, what: string): void {
  if (!Number.isSafeInteger(fen) || fen < MIN_AMOUNT_FEN || fen > MAX_AMOUNT_FEN) {
    throw new TypeError(
      `${what} must be an integer from ${MIN_AMOUNT_FEN} to ${MAX_AMOUNT_FEN} fen, got ${fen}`,
    );
  }
}

function tradeRefParams(ref: TradeRef): Record<string, string | undefined> {
  if (!ref.outTradeNo && !ref.tradeNo) throw new TypeError('outTradeNo or tradeNo is required');
  assertOutNo(ref.outTradeNo, 'outTradeNo');
  return { out_trade_no: ref.outTradeNo, trade_no: ref.tradeNo };
}

/** Subjects may not contain `/`, `=` or `&` and are at most 256 characters (alipay.trade.create). */
export function sanitizeSubject(subject: string): string {
  const cleaned = subject.replace(/[/=&]/g, ' ').replace(/\s+/g, ' ').trim();
  return Array.from(cleaned).slice(0, 256).join('') || 'order';
}

const WAP_PAY = 'alipay.trade.wap.pay';
const ALIPAY_CERT_DOWNLOAD = 'alipay.open.app.alipaycert.download';

function assertHttpUrl(value: string, what: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`${what} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/** The return_url parameters are malformed, foreign, or not signed by Alipay. */
export class AlipayReturnError extends Error {
  override readonly name = 'AlipayReturnError';
}

/** Reads the (already verified) `return_url` query of alipay.trade.wap.pay; throws AlipayReturnError if malformed. */
export function readWapReturn(query: Readonly<Record<string, string>>): WapReturn {
  if (query.method !== 'alipay.trade.wap.pay.return') {
    throw new AlipayReturnError(`method is ${JSON.stringify(query.method)}, not alipay.trade.wap.pay.return`);
  }
  const required = (field: string): string => {
    const value = query[field];
    if (!value) throw new AlipayReturnError(`${field} is missing`);
    return value;
  };
  let totalFen: number;
  try {
    totalFen = yuanToFen(required('total_amount'));
  } catch (error) {
    if (error instanceof AlipayReturnError) throw error;
    throw new AlipayReturnError(`total_amount is not a yuan amount: ${JSON.stringify(query.total_amount)}`);
  }
  const timestamp = query.timestamp ? parseChinaTime(query.timestamp) : null;
  return {
    outTradeNo: required('out_trade_no'),
    tradeNo: required('trade_no'),
    totalFen,
    appId: required('app_id'),
    sellerId: query.seller_id || undefined,
    timestamp,
  };
}

export class AlipayClient {
  readonly appId: string;
  readonly gateway: string;
  readonly timeoutMs: number;
  readonly notifyUrl: string | undefined;
  readonly productCode: string;
  readonly #privateKey: KeyObject;
  /**
   * Public-key mode: Alipay's key, then the next key during a switch (ALIPAY_PUBLIC_KEY_NEXT), each parsed once.
   * Certificate mode: empty, and #certs holds the keys by SN.
   */
  readonly #alipayPublicKeys: readonly KeyObject[] = [];
  readonly #certs: AlipayCertStore | undefined;
  readonly #downloads = new Map<string, Promise<string>>();
  /**
   * Connections to the gateway are kept open between calls: a new TCP (and TLS) connection per call costs more than
   * the call. Node's agent closes an idle connection a second before the server's announced keep-alive timeout
   * (`Keep-Alive: timeout=N`), and after IDLE_SOCKET_MS when the server announces none, so a call rarely meets a
   * connection the server has just closed; when one does, the call is an unknown outcome like any lost connection.
   */
  readonly #agents = {
    http: new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    https: new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };

  constructor(config: AlipayClientConfig) {
    if (!config.appId) throw new TypeError('appId is required');
    this.appId = config.appId;
    this.#privateKey = loadPrivateKey(config.privateKey, 'app private key');
    if (config.certificates) {
      this.#certs = new AlipayCertStore(config.certificates, this.#privateKey);
    } else {
      if (config.alipayPublicKey === undefined) {
        throw new TypeError(
          'alipayPublicKey (public-key mode) or certificates (certificate mode) is required',
        );
      }
      const current = loadPublicKey(config.alipayPublicKey, 'Alipay public key');
      const next =
        config.alipayPublicKeyNext === undefined
          ? undefined
          : loadPublicKey(config.alipayPublicKeyNext, 'next Alipay public key');
      this.#alipayPublicKeys =
        next && publicKeyId(next) !== publicKeyId(current) ? [current, next] : [current];
    }
    this.gateway = config.gateway ?? ALIPAY_GATEWAY;
    this.timeoutMs = config.timeoutMs ?? 10_000;
    this.notifyUrl = config.notifyUrl;
    this.productCode = config.productCode ?? 'JSAPI_PAY';
  }

  /** `certificate` when configured with certificates (公钥证书模式), else `public-key`. */
  get mode(): 'public-key' | 'certificate' {
    return this.#certs ? 'certificate' : 'public-key';
  }

  /**
   * The ids (publicKeyId) of the Alipay public keys this client verifies with: in public-key mode the current key,
   * then the next one during a switch; in certificate mode the keys of the certificates it holds, the configured
   * one first.
   */
  get alipayPublicKeyIds(): string[] {
    return (this.#certs ? this.#certs.keys() : this.#alipayPublicKeys).map(publicKeyId);
  }

  /** Certificate mode: the SNs sent with every request and the Alipay certificates known; undefined otherwise. */
  get certificateSns(): { appCertSn: string; alipayRootCertSn: string; alipayCertSns: string[] } | undefined {
    const certs = this.#certs;
    if (!certs) return undefined;
    return {
      appCertSn: certs.appCertSn,
      alipayRootCertSn: certs.rootCertSn,
      alipayCertSns: certs.knownSns(),
    };
  }

  /** The request's parameters before signing: empty values dropped. */
  #unsignedParams(method: string, options: ExecOptions, now: Date): Record<string, string> {
    const params: Record<string, string> = {};
    const candidates: Record<string, string | undefined> = {
      app_id: this.appId,
      method,
      format: 'json',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: formatChinaTime(now),
      version: '1.0',
      notify_url: options.notifyUrl,
      return_url: options.returnUrl,
      // Certificate mode: every request names the app certificate and the root it trusts; both are signed.
      // https://opendocs.alipay.com/open/291/sign
      app_cert_sn: this.#certs?.appCertSn,
      alipay_root_cert_sn: this.#certs?.rootCertSn,
      biz_content: options.bizContent ? JSON.stringify(options.bizContent) : undefined,
      ...options.params,
    };
    // Empty values are not sent at all: Alipay's gateway drops them from the sign string, while alipay-sdk would
    // sign `key=`, so sending one could only cause a signature mismatch.
    for (const [key, value] of Object.entries(candidates)) {
      if (value !== undefined && value !== '') params[key] = value;
    }
    return params;
  }

  #signParams(method: string, options: ExecOptions, now: Date): Record<string, string> {
    const params = this.#unsignedParams(method, options, now);
    params.sign = signRsa2(requestSignContent(params), this.#privateKey);
    return params;
  }

  /** The request split into the URL's protocol parameters and the form body. */
  #requestOf(params: Record<string, string>): BuiltRequest {
    const url = new URL(this.gateway);
    const body: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) {
      if (QUERY_PARAMS.has(key)) url.searchParams.set(key, value);
      else body[key] = value;
    }
    return { url: url.toString(), body: encodeForm(body), params };
  }

  /** Builds and signs a request without sending it. */
  buildRequest(method: string, options: ExecOptions = {}, now = new Date()): BuiltRequest {
    return this.#requestOf(this.#signParams(method, options, now));
  }

  /** buildRequest with the signature computed off the event loop (signRsa2Async); what every call sends. */
  async #buildRequestAsync(method: string, options: ExecOptions): Promise<BuiltRequest> {
    const params = this.#unsignedParams(method, options, new Date());
    params.sign = await signRsa2Async(requestSignContent(params), this.#privateKey);
    return this.#requestOf(params);
  }

  /**
   * Builds a signed page request, which the shopper's browser carries to the gateway (alipay-sdk's `pageExec`):
   * as a GET URL, or as a form whose action holds the protocol parameters and whose fields hold the rest.
   */
  buildPageRequest(method: string, options: ExecOptions = {}, now = new Date()): PageRequest {
    const params = this.#signParams(method, options, now);
    const action = new URL(this.gateway);
    const getUrl = new URL(this.gateway);
    const formFields: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) {
      getUrl.searchParams.set(key, value);
      if (QUERY_PARAMS.has(key)) action.searchParams.set(key, value);
      else formFields[key] = value;
    }
    const formAction = action.toString();
    const inputs = Object.entries(formFields)
      .map(
        ([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`,
      )
      .join('');
    const formHtml =
      `<form id="alipaysubmit" name="alipaysubmit" action="${escapeHtml(formAction)}" method="POST" ` +
      `accept-charset="utf-8">${inputs}<input type="submit" value="支付宝支付" style="display:none" /></form>` +
      `<script>document.forms["alipaysubmit"].submit();</script>`;
    return { url: getUrl.toString(), formAction, formFields, formHtml, params };
  }

  /**
   * One POST to the gateway over node:http(s) on the client's keep-alive agent, with a deadline covering connect, send
   * and read. Any failure once the request may have left is an unknown outcome (the caller retries the same call,
   * which Alipay treats idempotently); only a connection that never opened is a definite failure.
   */
  #send(
    method: string,
    request: BuiltRequest,
    timeoutMs: number,
  ): Promise<{ text: string; traceId?: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(request.url);
      const https = url.protocol === 'https:';
      const body = Buffer.from(request.body, 'utf8');
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outgoing.destroy();
        reject(error);
      };
      const outgoing = (https ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          agent: https ? this.#agents.https : this.#agents.http,
          headers: {
            'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
            'content-length': body.length,
            accept: 'application/json',
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => fail(classifyHttpError(method, error)));
          response.on('close', () => {
            if (!response.complete) fail(connectionLost(method, 'the response was cut off'));
          });
          response.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            const header = response.headers.trace_id;
            const traceId = typeof header === 'string' ? header : undefined;
            if (response.statusCode !== 200) {
              reject(
                new AlipayOutcomeUnknownError(method, 'http-status', `HTTP ${response.statusCode}`, {
                  responseText: text,
                  traceId,
                }),
              );
              return;
            }
            resolve(traceId === undefined ? { text } : { text, traceId });
          });
        },
      );
      const timer = setTimeout(
        () =>
          fail(new AlipayOutcomeUnknownError(method, 'timeout', 'no complete response before the deadline')),
        timeoutMs,
      );
      outgoing.on('error', (error) => fail(classifyHttpError(method, error)));
      outgoing.end(body);
    });
  }

  /** Closes the client's idle keep-alive connections (they never keep the process alive; this frees them now). */
  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  /** Sends any gateway method and returns its verified response node; throws AlipayError subclasses. */
  async exec(method: string, options: ExecOptions = {}): Promise<ExecResult> {
    const request = await this.#buildRequestAsync(method, options);
    const { text, traceId } = await this.#send(method, request, options.timeoutMs ?? this.timeoutMs);
    try {
      return this.readResponse(method, text, traceId);
    } catch (error) {
      // Certificate mode: a response under a certificate we do not know yet (Alipay rotated its certificate).
      // Fetch it, check it against the root, keep it, and read the response again.
      if (!(error instanceof AlipayUnknownCertificateError) || !this.#certs) throw error;
      try {
        await this.fetchAlipayCertificate(error.certSn);
      } catch (cause) {
        throw new AlipayUnknownCertificateError(
          method,
          error.certSn,
          `the certificate could not be fetched and trusted: ${(cause as Error).message}`,
          { cause, responseText: text, traceId },
        );
      }
      return this.readResponse(method, text, traceId);
    }
  }

  /**
   * Certificate mode: fetches Alipay's certificate with this SN (`alipay.open.app.alipaycert.download`), checks that
   * the configured root bundle issued it, and keeps it for verifying responses and notifies. Returns the SN.
   * The download's own response may be signed under the very certificate being fetched, so, like the Java SDK, the
   * client trusts its content through the certificate chain, not through the response signature.
   * https://opendocs.alipay.com/open/00fdf1f3_alipay.open.app.alipaycert.download
   */
  fetchAlipayCertificate(certSn: string): Promise<string> {
    const certs = this.#certs;
    if (!certs) return Promise.reject(new TypeError('fetchAlipayCertificate needs certificate mode'));
    if (certs.keyFor(certSn)) return Promise.resolve(certSn);
    let pending = this.#downloads.get(certSn);
    if (!pending) {
      pending = this.#download(certs, certSn).finally(() => this.#downloads.delete(certSn));
      this.#downloads.set(certSn, pending);
    }
    return pending;
  }

  async #download(certs: AlipayCertStore, certSn: string): Promise<string> {
    const method = ALIPAY_CERT_DOWNLOAD;
    const request = await this.#buildRequestAsync(method, { bizContent: { alipay_cert_sn: certSn } });
    const { text, traceId } = await this.#send(method, request, this.timeoutMs);
    const { node, nodeText, sign, certSn: signedUnder } = this.#parseResponse(method, text, traceId);
    if (typeof node.code === 'string' && node.code !== '10000') {
      throw new AlipayApiError(method, node as unknown as AlipayErrorNode, text, traceId);
    }
    const content = node.alipay_cert_content;
    if (typeof content !== 'string' || content === '') {
      throw new AlipayOutcomeUnknownError(method, 'bad-response', 'alipay_cert_content is missing', {
        responseText: text,
        traceId,
      });
    }
    const added = certs.add(Buffer.from(content, 'base64').toString('utf8'), certSn);
    // Now that the certificate is trusted, a response signed under it must verify.
    const key = signedUnder ? certs.keyFor(signedUnder) : undefined;
    if (key && typeof sign === 'string' && !verifyRsa2(nodeText, sign, key)) {
      throw new AlipayOutcomeUnknownError(method, 'bad-signature', 'response signature does not verify', {
        responseText: text,
        traceId,
      });
    }
    return added;
  }

  #parseResponse(
    method: string,
    text: string,
    traceId: string | undefined,
  ): { node: Record<string, unknown>; nodeText: string; sign: unknown; certSn: string | undefined } {
    let members: Map<string, string>;
    try {
      members = topLevelMembers(text);
    } catch (error) {
      throw new AlipayOutcomeUnknownError(method, 'bad-response', 'response is not JSON', {
        cause: error,
        responseText: text,
        traceId,
      });
    }
    const key = responseKey(method);
    const nodeText = members.get(key) ?? members.get(ERROR_RESPONSE_KEY);
    if (nodeText === undefined) {
      throw new AlipayOutcomeUnknownError(method, 'bad-response', `response has no ${key}`, {
        responseText: text,
        traceId,
      });
    }
    let node: Record<string, unknown>;
    let sign: unknown;
    let certSn: unknown;
    try {
      node = JSON.parse(nodeText) as Record<string, unknown>;
      const signText = members.get('sign');
      sign = signText === undefined ? undefined : JSON.parse(signText);
      const snText = members.get(ALIPAY_CERT_SN_KEY);
      certSn = snText === undefined ? undefined : JSON.parse(snText);
    } catch (error) {
      throw new AlipayOutcomeUnknownError(method, 'bad-response', 'response node is not JSON', {
        cause: error,
        responseText: text,
        traceId,
      });
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      throw new AlipayOutcomeUnknownError(method, 'bad-response', 'response node is not an object', {
        responseText: text,
        traceId,
      });
    }
    return { node, nodeText, sign, certSn: typeof certSn === 'string' && certSn !== '' ? certSn : undefined };
  }

  /**
   * Verifies and unpacks a gateway response body (exposed for tests and tools). In certificate mode the response
   * must name the Alipay certificate it is signed under (`alipay_cert_sn`); an SN this client does not know throws
   * AlipayUnknownCertificateError (`exec` then fetches the certificate and tries again).
   */
  readResponse(method: string, text: string, traceId?: string): ExecResult {
    const { node, nodeText, sign, certSn } = this.#parseResponse(method, text, traceId);
    const code = typeof node.code === 'string' ? node.code : undefined;
    const isSuccess = code === undefined || code === '10000';
    if (typeof sign === 'string') {
      if (!this.#verifyResponseSign(method, nodeText, sign, certSn, isSuccess, text, traceId)) {
        throw new AlipayOutcomeUnknownError(method, 'bad-signature', 'response signature does not verify', {
          responseText: text,
          traceId,
        });
      }
    } else if (isSuccess) {
      // A success must be signed; some early gateway errors (error_response) are not.
      throw new AlipayOutcomeUnknownError(
        method,
        'bad-signature',
        'successful response carries no signature',
        {
          responseText: text,
          traceId,
        },
      );
    }
    if (!isSuccess) {
      throw new AlipayApiError(method, node as unknown as AlipayErrorNode, text, traceId);
    }
    return { node, responseText: text, traceId };
  }

  #verifyResponseSign(
    method: string,
    nodeText: string,
    sign: string,
    certSn: string | undefined,
    isSuccess: boolean,
    text: string,
    traceId: string | undefined,
  ): boolean {
    const certs = this.#certs;
    if (!certs) return this.#signerOf(nodeText, sign) !== null;
    if (certSn === undefined) {
      // The Java SDK refuses a successful certificate-mode response without alipay_cert_sn
      // (CHECK_ALIPAY_CERT_SN_EMPTY_ERROR). A signed error without one is checked against every known certificate.
      if (isSuccess) {
        throw new AlipayOutcomeUnknownError(method, 'bad-signature', 'response carries no alipay_cert_sn', {
          responseText: text,
          traceId,
        });
      }
      return certs.keys().some((key) => verifyRsa2(nodeText, sign, key));
    }
    const key = certs.keyFor(certSn);
    if (!key) {
      throw new AlipayUnknownCertificateError(
        method,
        certSn,
        'signed under a certificate this client does not know',
        {
          responseText: text,
          traceId,
        },
      );
    }
    return verifyRsa2(nodeText, sign, key);
  }

  /**
   * Verifies the signature of a form Alipay signed the notify way (an async notify, or the `return_url` query of a
   * page payment): all fields but `sign` and `sign_type`. In public-key mode with Alipay's key; in certificate mode
   * with the certificate the form names in `alipay_cert_sn`, or else any Alipay certificate the client knows (a
   * notify names no certificate as far as Alipay documents it). Throws AlipayUnknownCertificateError when the form
   * names an SN the client does not know (`fetchAlipayCertificate` it, then verify again).
   */
  verifyNotify(fields: Readonly<Record<string, string>>): boolean {
    return this.notifySigner(fields) !== null;
  }

  /**
   * verifyNotify, telling which key verified: its publicKeyId, or null when none did. The same rules and the same
   * errors as verifyNotify.
   */
  notifySigner(fields: Readonly<Record<string, string>>): string | null {
    const sign = fields.sign;
    if (!sign) return null;
    if (fields.sign_type !== undefined && fields.sign_type !== 'RSA2') return null;
    const content = notifySignContent(fields);
    const certs = this.#certs;
    if (!certs) return this.#signerOf(content, sign);
    const named = fields.alipay_cert_sn;
    if (named) {
      const key = certs.keyFor(named);
      if (!key)
        throw new AlipayUnknownCertificateError('notify', named, 'the notify names an unknown certificate');
      return verifyRsa2(content, sign, key) ? publicKeyId(key) : null;
    }
    const key = certs.keys().find((candidate) => verifyRsa2(content, sign, candidate));
    return key ? publicKeyId(key) : null;
  }

  /**
   * Public-key mode: the id of the configured key `sign` verifies under. The current key is tried first, so outside
   * a switch, and for everything Alipay signs before it, a signature costs one verification; the next key is tried
   * only when the current one fails.
   */
  #signerOf(content: string, sign: string): string | null {
    for (const key of this.#alipayPublicKeys) {
      if (verifyRsa2(content, sign, key)) return publicKeyId(key);
    }
    return null;
  }

  async oauthToken(input: OAuthTokenInput): Promise<OAuthTokenResult> {
    const method = 'alipay.system.oauth.token';
    const params =
      input.grantType === 'authorization_code'
        ? { grant_type: 'authorization_code', code: input.code }
        : { grant_type: 'refresh_token', refresh_token: input.refreshToken };
    const { node, responseText } = await this.exec(method, { params });
    const read = new NodeReader(method, node, responseText);
    return {
      userId: read.optionalString('user_id'),
      openId: read.optionalString('open_id'),
      accessToken: read.string('access_token'),
      expiresInSeconds: read.integer('expires_in'),
      refreshToken: read.optionalString('refresh_token'),
      reExpiresInSeconds: read.optionalInteger('re_expires_in'),
      authStart: read.optionalTime('auth_start'),
    };
  }

  async tradeCreate(input: TradeCreateInput): Promise<TradeCreateResult> {
    const method = 'alipay.trade.create';
    assertOutNo(input.outTradeNo, 'outTradeNo');
    assertAmount(input.totalFen, 'totalFen');
    if (!input.buyerId && !input.buyerOpenId) throw new TypeError('buyerId or buyerOpenId is required');
    const { node, responseText } = await this.exec(method, {
      notifyUrl: input.notifyUrl ?? this.notifyUrl,
      bizContent: {
        out_trade_no: input.outTradeNo,
        total_amount: fenToYuan(input.totalFen),
        subject: sanitizeSubject(input.subject),
        product_code: input.productCode ?? this.productCode,
        ...(input.buyerId ? { buyer_id: input.buyerId } : { buyer_open_id: input.buyerOpenId }),
        ...(input.timeExpire ? { time_expire: formatChinaTime(input.timeExpire) } : {}),
        ...(input.body ? { body: input.body } : {}),
      },
    });
    const read = new NodeReader(method, node, responseText);
    return { outTradeNo: read.string('out_trade_no'), tradeNo: read.string('trade_no') };
  }

  async tradeQuery(ref: TradeRef): Promise<TradeQueryResult> {
    const method = 'alipay.trade.query';
    const { node, responseText } = await this.exec(method, { bizContent: tradeRefParams(ref) });
    const read = new NodeReader(method, node, responseText);
    return {
      tradeNo: read.string('trade_no'),
      outTradeNo: read.string('out_trade_no'),
      tradeStatus: read.tradeStatus('trade_status'),
      totalFen: read.amount('total_amount'),
      receiptFen: read.optionalAmount('receipt_amount'),
      buyerPayFen: read.optionalAmount('buyer_pay_amount'),
      buyerUserId: read.optionalString('buyer_user_id'),
      buyerOpenId: read.optionalString('buyer_open_id'),
      sendPayDate: read.optionalTime('send_pay_date'),
    };
  }

  async tradeClose(ref: TradeRef): Promise<TradeCloseResult> {
    const method = 'alipay.trade.close';
    const { node, responseText } = await this.exec(method, { bizContent: tradeRefParams(ref) });
    const read = new NodeReader(method, node, responseText);
    return { tradeNo: read.optionalString('trade_no'), outTradeNo: read.optionalString('out_trade_no') };
  }

  async tradeRefund(input: TradeRefundInput): Promise<TradeRefundResult> {
    const method = 'alipay.trade.refund';
    assertAmount(input.refundFen, 'refundFen');
    assertOutNo(input.outRequestNo, 'outRequestNo');
    const { node, responseText } = await this.exec(method, {
      bizContent: {
        ...tradeRefParams(input),
        refund_amount: fenToYuan(input.refundFen),
        out_request_no: input.outRequestNo,
        ...(input.refundReason ? { refund_reason: input.refundReason } : {}),
      },
    });
    const read = new NodeReader(method, node, responseText);
    return {
      tradeNo: read.string('trade_no'),
      outTradeNo: read.string('out_trade_no'),
      refundFeeFen: read.amount('refund_fee', 0),
      fundChange: read.optionalString('fund_change') === 'Y',
      gmtRefundPay: read.optionalTime('gmt_refund_pay'),
    };
  }

  async refundQuery(input: RefundQueryInput): Promise<RefundQueryResult> {
    const method = 'alipay.trade.fastpay.refund.query';
    assertOutNo(input.outRequestNo, 'outRequestNo');
    const { node, responseText } = await this.exec(method, {
      bizContent: { ...tradeRefParams(input), out_request_no: input.outRequestNo },
    });
    const read = new NodeReader(method, node, responseText);
    const status = read.optionalString('refund_status');
    return {
      tradeNo: read.optionalString('trade_no'),
      outTradeNo: read.optionalString('out_trade_no'),
      outRequestNo: read.optionalString('out_request_no'),
      refundStatus: status === 'REFUND_SUCCESS' ? status : undefined,
      refundFen: read.optionalAmount('refund_amount'),
      totalFen: read.optionalAmount('total_amount'),
    };
  }

  /**
   * alipay.trade.wap.pay: the signed request the shopper's phone browser takes to Alipay's mobile cashier, as a GET
   * URL or an auto-submitting form. Nothing is sent from here: the trade comes into being when the shopper pays.
   * https://opendocs.alipay.com/open/29ae8cb6_alipay.trade.wap.pay
   */
  wapPay(input: WapPayInput, now = new Date()): PageRequest {
    assertOutNo(input.outTradeNo, 'outTradeNo');
    assertAmount(input.totalFen, 'totalFen');
    assertHttpUrl(input.returnUrl, 'returnUrl');
    assertHttpUrl(input.quitUrl, 'quitUrl');
    return this.buildPageRequest(
      WAP_PAY,
      {
        notifyUrl: input.notifyUrl ?? this.notifyUrl,
        returnUrl: input.returnUrl,
        bizContent: {
          out_trade_no: input.outTradeNo,
          total_amount: fenToYuan(input.totalFen),
          subject: sanitizeSubject(input.subject),
          product_code: input.productCode ?? 'QUICK_WAP_WAY',
          quit_url: input.quitUrl,
          ...(input.timeExpire ? { time_expire: formatChinaTime(input.timeExpire) } : {}),
          ...(input.body ? { body: input.body } : {}),
          ...(input.passbackParams ? { passback_params: input.passbackParams } : {}),
        },
      },
      now,
    );
  }

  /**
   * Verifies the query Alipay appends to `return_url` after a mobile web payment and reads it. Signed like a notify
   * (https://opendocs.alipay.com/open/203/105286, 同步通知参数): a forged or foreign one throws AlipayReturnError.
   * The result is a hint for the page shown; only the notify or alipay.trade.query proves payment.
   */
  verifyWapReturn(query: Readonly<Record<string, string>>): WapReturn {
    if (!this.verifyNotify(query))
      throw new AlipayReturnError('the return parameters are not signed by Alipay');
    const wapReturn = readWapReturn(query);
    if (wapReturn.appId !== this.appId) {
      throw new AlipayReturnError(`the return parameters are for app ${wapReturn.appId}, not ${this.appId}`);
    }
    return wapReturn;
  }

  /**
   * alipay.trade.precreate: a QR code for the buyer to scan (当面付, FACE_TO_FACE_PAYMENT). Until a buyer scans it,
   * alipay.trade.query answers ACQ.TRADE_NOT_EXIST; close it with tradeClose({ outTradeNo }).
   * https://opendocs.alipay.com/open/8ad49e4a_alipay.trade.precreate
   */
  async tradePrecreate(input: TradePrecreateInput): Promise<TradePrecreateResult> {
    const method = 'alipay.trade.precreate';
    assertOutNo(input.outTradeNo, 'outTradeNo');
    assertAmount(input.totalFen, 'totalFen');
    const { node, responseText } = await this.exec(method, {
      notifyUrl: input.notifyUrl ?? this.notifyUrl,
      bizContent: {
        out_trade_no: input.outTradeNo,
        total_amount: fenToYuan(input.totalFen),
        subject: sanitizeSubject(input.subject),
        product_code: input.productCode ?? 'FACE_TO_FACE_PAYMENT',
        ...(input.timeExpire ? { time_expire: formatChinaTime(input.timeExpire) } : {}),
        ...(input.body ? { body: input.body } : {}),
      },
    });
    const read = new NodeReader(method, node, responseText);
    return { outTradeNo: read.string('out_trade_no'), qrCode: read.string('qr_code') };
  }

  /**
   * alipay.open.app.mini.templatemessage.send: a subscription message to a shopper who agreed to the template. The
   * keyword values are sent as `data`, a JSON string `{"keyword1":{"value":"..."},...}`. A refusal (no agreement left,
   * a keyword the template lacks, ...) throws AlipayApiError with Alipay's sub code.
   * https://docs.alipay.com/mini/api/templatemessage
   */
  async templateMessageSend(input: TemplateMessageSendInput): Promise<TemplateMessageSendResult> {
    const method = 'alipay.open.app.mini.templatemessage.send';
    if (Boolean(input.toUserId) === Boolean(input.toOpenId)) {
      throw new TypeError('give exactly one of toUserId and toOpenId');
    }
    if (!input.userTemplateId) throw new TypeError('userTemplateId is required');
    if (!input.page) throw new TypeError('page is required');
    const entries = Object.entries(input.data);
    if (entries.length === 0) throw new TypeError('data must name at least one keyword');
    for (const [key, value] of entries) {
      if (key === '' || typeof value !== 'string') {
        throw new TypeError(`data must map keyword names to strings, got ${JSON.stringify(key)}`);
      }
    }
    const { traceId } = await this.exec(method, {
      bizContent: {
        ...(input.toUserId ? { to_user_id: input.toUserId } : { to_open_id: input.toOpenId }),
        user_template_id: input.userTemplateId,
        page: input.page,
        data: JSON.stringify(Object.fromEntries(entries.map(([key, value]) => [key, { value }]))),
      },
    });
    return { traceId };
  }

  async billDownloadUrl(input: BillDownloadUrlInput): Promise<BillDownloadUrlResult> {
    const method = 'alipay.data.dataservice.bill.downloadurl.query';
    if (!/^\d{4}-\d{2}(-\d{2})?$/.test(input.billDate)) {
      throw new TypeError(`billDate must be yyyy-MM-dd or yyyy-MM, got ${JSON.stringify(input.billDate)}`);
    }
    const { node, responseText } = await this.exec(method, {
      bizContent: { bill_type: input.billType, bill_date: input.billDate },
    });
    const read = new NodeReader(method, node, responseText);
    return { billDownloadUrl: read.string('bill_download_url') };
  }
}

/** A node:http error: a connection that never opened is definite; anything later may have reached Alipay. */
function classifyHttpError(method: string, error: Error): Error {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECT_FAILURES.has(code)) {
    return new AlipayConnectionError(method, code, { cause: error });
  }
  return connectionLost(method, error.message || 'connection lost', error);
}

function connectionLost(method: string, message: string, cause?: Error): AlipayOutcomeUnknownError {
  return new AlipayOutcomeUnknownError(method, 'connection-lost', message, cause ? { cause } : {});
}

/** Reads typed fields off a verified response node; a malformed field makes the outcome unknown. */
class NodeReader {
  constructor(
    private readonly method: string,
    private readonly node: Record<string, unknown>,
    private readonly responseText: string,
  ) {}

  private fail(field: string, why: string): never {
    throw new AlipayOutcomeUnknownError(this.method, 'bad-response', `${field} ${why}`, {
      responseText: this.responseText,
    });
  }

  optionalString(field: string): string | undefined {
    const value = this.node[field];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') this.fail(field, 'is not a string');
    return String(value);
  }

  string(field: string): string {
    return this.optionalString(field) ?? this.fail(field, 'is missing');
  }

  optionalInteger(field: string): number | undefined {
    const value = this.optionalString(field);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) this.fail(field, 'is not an integer');
    return Number(value);
  }

  integer(field: string): number {
    return this.optionalInteger(field) ?? this.fail(field, 'is missing');
  }

  optionalAmount(field: string, minFen = 0): number | undefined {
    const value = this.optionalString(field);
    if (value === undefined) return undefined;
    try {
      return yuanToFen(value, { minFen });
    } catch {
      return this.fail(field, `is not a yuan amount: ${value}`);
    }
  }

  amount(field: string, minFen = 0): number {
    return this.optionalAmount(field, minFen) ?? this.fail(field, 'is missing');
  }

  optionalTime(field: string): Date | null {
    const value = this.optionalString(field);
    return value === undefined ? null : parseChinaTime(value);
  }

  tradeStatus(field: string): TradeStatus {
    const value = this.string(field);
    if (!(TRADE_STATUSES as readonly string[]).includes(value)) this.fail(field, `is unknown: ${value}`);
    return value as TradeStatus;
  }
}
