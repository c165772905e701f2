/**
 * Errors from the gateway client. Callers switch on `outcome`:
 * - `failed`: Alipay definitely did not apply the call (a business or argument error, or the request never left).
 * - `unknown`: the call may have been applied (timeout or dropped connection after sending, `20000` system error,
 *   an unreadable or wrongly signed response). Query before retrying, and retry only with the same idempotency keys
 *   (out_trade_no, out_request_no).
 */

export type AlipayOutcome = 'failed' | 'unknown';

export abstract class AlipayError extends Error {
  abstract readonly outcome: AlipayOutcome;
  readonly method: string;
  constructor(method: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.method = method;
  }
}

export interface AlipayErrorNode {
  code: string;
  msg: string;
  sub_code?: string;
  sub_msg?: string;
}

/** The gateway answered with an error node (`code` other than 10000). */
export class AlipayApiError extends AlipayError {
  override readonly name = 'AlipayApiError';
  readonly code: string;
  readonly msg: string;
  readonly subCode: string | undefined;
  readonly subMsg: string | undefined;
  readonly traceId: string | undefined;
  readonly outcome: AlipayOutcome;
  /** The raw response body, for the record. */
  readonly responseText: string;

  constructor(method: string, node: AlipayErrorNode, responseText: string, traceId?: string) {
    super(
      method,
      `${method} failed: ${node.code} ${node.msg}` +
        (node.sub_code ? ` (${node.sub_code}${node.sub_msg ? `: ${node.sub_msg}` : ''})` : '') +
        (traceId ? ` [trace ${traceId}]` : ''),
    );
    this.code = node.code;
    this.msg = node.msg;
    this.subCode = node.sub_code;
    this.subMsg = node.sub_msg;
    this.traceId = traceId;
    this.responseText = responseText;
    // 20000 "Service Currently Unavailable" (isp.unknow-error): Alipay's docs say to query or retry; the call may
    // have taken effect. https://opendocs.alipay.com/common/02km9f
    this.outcome = node.code === '20000' ? 'unknown' : 'failed';
  }
}

export type UnknownOutcomeReason =
  'timeout' | 'connection-lost' | 'http-status' | 'bad-response' | 'bad-signature' | 'unknown-certificate';

/** The request was (or may have been) sent, and we cannot tell whether Alipay applied it. */
export class AlipayOutcomeUnknownError extends AlipayError {
  override readonly name: string = 'AlipayOutcomeUnknownError';
  readonly outcome = 'unknown' as const;
  readonly reason: UnknownOutcomeReason;
  readonly responseText: string | undefined;
  readonly traceId: string | undefined;
  constructor(
    method: string,
    reason: UnknownOutcomeReason,
    message: string,
    options: { cause?: unknown; responseText?: string; traceId?: string } = {},
  ) {
    super(method, `${method}: outcome unknown (${reason}): ${message}`, { cause: options.cause });
    this.reason = reason;
    this.responseText = options.responseText;
    this.traceId = options.traceId;
  }
}

/**
 * Certificate mode: a response (or notify) names an `alipay_cert_sn` the client does not know, and the certificate
 * could not be fetched with `alipay.open.app.alipaycert.download` and verified against the configured root (or the
 * caller asked without fetching). The response is not trusted, so the outcome of the call is unknown.
 */
export class AlipayUnknownCertificateError extends AlipayOutcomeUnknownError {
  override readonly name = 'AlipayUnknownCertificateError';
  readonly certSn: string;
  constructor(
    method: string,
    certSn: string,
    message: string,
    options: { cause?: unknown; responseText?: string; traceId?: string } = {},
  ) {
    super(method, 'unknown-certificate', `alipay_cert_sn ${certSn}: ${message}`, options);
    this.certSn = certSn;
  }
}

/** The request never reached the gateway (connection refused, DNS failure): nothing was applied. */
export class AlipayConnectionError extends AlipayError {
  override readonly name = 'AlipayConnectionError';
  readonly outcome = 'failed' as const;
  constructor(method: string, message: string, options?: { cause?: unknown }) {
    super(method, `${method}: could not reach the gateway: ${message}`, options);
  }
}

export function isAlipayError(error: unknown): error is AlipayError {
  return error instanceof AlipayError;
}
