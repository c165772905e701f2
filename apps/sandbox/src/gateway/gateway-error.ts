/**
 * Gateway error nodes: `code`, `msg`, `sub_code`, `sub_msg` (公共错误码, https://opendocs.alipay.com/common/02km9f).
 * `errorResponse` puts the node under `error_response` instead of `<method>_response`, as Alipay does for errors
 * raised before a method is known (missing or unknown method) and for oauth.token's `isv.code-invalid`.
 */
export interface ErrorNode {
  code: string;
  msg: string;
  sub_code: string;
  sub_msg: string;
}

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly node: ErrorNode,
    readonly errorResponse = false,
  ) {
    super(`${node.code} ${node.sub_code}: ${node.sub_msg}`);
  }
}

/** 40001: a required common parameter is missing (`isv.missing-app-id`, `isv.missing-signature`, ...). */
export function missingArgument(subCode: string, subMsg: string, errorResponse = false): GatewayError {
  return new GatewayError(
    { code: '40001', msg: 'Missing Required Arguments', sub_code: subCode, sub_msg: subMsg },
    errorResponse,
  );
}

/** 40002: a parameter is invalid (`isv.invalid-signature`, `isv.invalid-app-id`, `isv.code-invalid`, ...). */
export function invalidArgument(subCode: string, subMsg: string, errorResponse = false): GatewayError {
  return new GatewayError(
    { code: '40002', msg: 'Invalid Arguments', sub_code: subCode, sub_msg: subMsg },
    errorResponse,
  );
}

/** 40004: a business rule refused the call (`ACQ.*`). */
export function businessFailed(subCode: string, subMsg: string): GatewayError {
  return new GatewayError({ code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg });
}

/** 20000: the service is unavailable; the outcome is unknown to the caller (here: nothing was applied). */
export function serviceUnavailable(): GatewayError {
  return new GatewayError({
    code: '20000',
    msg: 'Service Currently Unavailable',
    sub_code: 'isp.unknow-error',
    sub_msg: '系统繁忙',
  });
}
