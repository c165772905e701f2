import type { KeyObject } from 'node:crypto';
import {
  AlipayApiError,
  AlipayConnectionError,
  AlipayOutcomeUnknownError,
  type AlipayErrorNode,
} from './errors';
import { encodeForm } from './form';
import { loadPrivateKey, loadPublicKey, type KeyInput } from './keys';
import { fenToYuan, MAX_AMOUNT_FEN, MIN_AMOUNT_FEN, yuanToFen } from './money';
import { ERROR_RESPONSE_KEY, responseKey, topLevelMembers } from './response';
import { requestSignContent, signRsa2, verifyRsa2 } from './sign';
import { formatChinaTime, parseChinaTime } from './time';
import type {
  BillDownloadUrlInput,
  BillDownloadUrlResult,
  OAuthTokenInput,
  OAuthTokenResult,
  RefundQueryInput,
  RefundQueryResult,
  TradeCloseResult,
  TradeCreateInput,
  TradeCreateResult,
  TradeQueryResult,
  TradeRef,
  TradeRefundInput,
  TradeRefundResult,
  TradeStatus,
} from './types';
import { TRADE_STATUSES } from './types';

export const ALIPAY_GATEWAY = 'https://openapi.alipay.com/gateway.do';
export const ALIPAY_DEV_SANDBOX_GATEWAY = 'https://openapi-sandbox.dl.alipaydev.com/gateway.do';

export interface AlipayClientConfig {
  appId: string;
  /** The app's private key: PKCS#8 or PKCS#1, PEM or bare base64. */
  privateKey: KeyInput;
  /** Alipay's public key (bare base64 SPKI from the console, or PEM). */
  alipayPublicKey: KeyInput;
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
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface ExecOptions {
  bizContent?: Readonly<Record<string, unknown>>;
  /** Top-level API parameters outside biz_content (e.g. `grant_type`, `code`). */
  params?: Readonly<Record<string, string | undefined>>;
  notifyUrl?: string;
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

export class AlipayClient {
  readonly appId: string;
  readonly gateway: string;
  readonly timeoutMs: number;
  readonly notifyUrl: string | undefined;
  readonly productCode: string;
  readonly #privateKey: KeyObject;
  readonly #alipayPublicKey: KeyObject;

  constructor(config: AlipayClientConfig) {
    if (!config.appId) throw new TypeError('appId is required');
    this.appId = config.appId;
    this.#privateKey = loadPrivateKey(config.privateKey, 'app private key');
    this.#alipayPublicKey = loadPublicKey(config.alipayPublicKey, 'Alipay public key');
    this.gateway = config.gateway ?? ALIPAY_GATEWAY;
    this.timeoutMs = config.timeoutMs ?? 10_000;
    this.notifyUrl = config.notifyUrl;
    this.productCode = config.productCode ?? 'JSAPI_PAY';
  }

  /** Builds and signs a request without sending it. */
  buildRequest(method: string, options: ExecOptions = {}, now = new Date()): BuiltRequest {
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
      biz_content: options.bizContent ? JSON.stringify(options.bizContent) : undefined,
      ...options.params,
    };
    // Empty values are not sent at all: Alipay's gateway drops them from the sign string, while alipay-sdk would
    // sign `key=`, so sending one could only cause a signature mismatch.
    for (const [key, value] of Object.entries(candidates)) {
      if (value !== undefined && value !== '') params[key] = value;
    }
    params.sign = signRsa2(requestSignContent(params), this.#privateKey);

    const url = new URL(this.gateway);
    const body: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) {
      if (QUERY_PARAMS.has(key)) url.searchParams.set(key, value);
      else body[key] = value;
    }
    return { url: url.toString(), body: encodeForm(body), params };
  }

  /** Sends any gateway method and returns its verified response node; throws AlipayError subclasses. */
  async exec(method: string, options: ExecOptions = {}): Promise<ExecResult> {
    const request = this.buildRequest(method, options);
    let response: Response;
    let text: string;
    try {
      response = await fetch(request.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
          accept: 'application/json',
        },
        body: request.body,
        signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw classifyFetchError(method, error);
    }
    const traceId = response.headers.get('trace_id') ?? undefined;
    if (response.status !== 200) {
      throw new AlipayOutcomeUnknownError(method, 'http-status', `HTTP ${response.status}`, {
        responseText: text,
        traceId,
      });
    }
    return this.readResponse(method, text, traceId);
  }

  /** Verifies and unpacks a gateway response body (exposed for tests and tools). */
  readResponse(method: string, text: string, traceId?: string): ExecResult {
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
    try {
      node = JSON.parse(nodeText) as Record<string, unknown>;
      const signText = members.get('sign');
      sign = signText === undefined ? undefined : JSON.parse(signText);
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
    const code = typeof node.code === 'string' ? node.code : undefined;
    const isSuccess = code === undefined || code === '10000';
    if (typeof sign === 'string') {
      if (!verifyRsa2(nodeText, sign, this.#alipayPublicKey)) {
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

function classifyFetchError(method: string, error: unknown): Error {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new AlipayOutcomeUnknownError(method, 'timeout', 'no complete response before the deadline', {
      cause: error,
    });
  }
  const code = err.cause?.code;
  if (code && CONNECT_FAILURES.has(code)) {
    return new AlipayConnectionError(method, code, { cause: error });
  }
  return new AlipayOutcomeUnknownError(
    method,
    'connection-lost',
    err.cause?.message ?? err.message ?? 'connection lost',
    { cause: error },
  );
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
