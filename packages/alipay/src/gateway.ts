import type { KeyObject } from 'node:crypto';
import { ALIPAY_CERT_SN_KEY, ERROR_RESPONSE_KEY, responseKey } from './response';
import { notifySignContent, requestSignContent, signRsa2, verifyRsa2 } from './sign';

/**
 * The gateway's side of the protocol, for the local sandbox: verify what a client sent, sign what we answer and
 * what we notify, byte-compatible with what alipay-sdk and Alipay's Java SDK expect.
 */

/** Merges the query and form parameters of a gateway request; the body wins on a clash, as Alipay's gateway does. */
export function mergeGatewayParams(
  query: Readonly<Record<string, string>>,
  body: Readonly<Record<string, string>>,
): Record<string, string> {
  return { ...query, ...body };
}

/** Verifies a request's RSA2 signature against the app's registered public key. */
export function verifyGatewayRequest(
  params: Readonly<Record<string, string>>,
  appPublicKey: KeyObject,
): boolean {
  const sign = params.sign;
  if (!sign) return false;
  return verifyRsa2(requestSignContent(params), sign, appPublicKey);
}

export interface SignResponseOptions {
  /**
   * Certificate mode: the SN of the Alipay certificate whose key signs, emitted as `alipay_cert_sn` between the node
   * and `sign`, where the Java SDK reads it and alipay-sdk's `getSignStr` still finds the node.
   */
  alipayCertSn?: string | undefined;
}

/**
 * Serialises and signs a response node. The emitted body contains the node's JSON text exactly as signed, so a
 * client that cuts the substring out (as alipay-sdk's getSignStr and our client do) verifies the same bytes.
 */
export function signGatewayResponse(
  method: string,
  node: Readonly<Record<string, unknown>>,
  alipayPrivateKey: KeyObject,
  options: SignResponseOptions = {},
): string {
  return signNode(responseKey(method), node, alipayPrivateKey, options);
}

/** An `error_response` body, for errors raised before the method is known to be valid. */
export function signGatewayErrorResponse(
  node: Readonly<Record<string, unknown>>,
  alipayPrivateKey: KeyObject,
  options: SignResponseOptions = {},
): string {
  return signNode(ERROR_RESPONSE_KEY, node, alipayPrivateKey, options);
}

function signNode(
  key: string,
  node: Readonly<Record<string, unknown>>,
  alipayPrivateKey: KeyObject,
  options: SignResponseOptions,
): string {
  const nodeText = JSON.stringify(node);
  const sign = signRsa2(nodeText, alipayPrivateKey);
  const certSn = options.alipayCertSn
    ? `,${JSON.stringify(ALIPAY_CERT_SN_KEY)}:${JSON.stringify(options.alipayCertSn)}`
    : '';
  return `{${JSON.stringify(key)}:${nodeText}${certSn},"sign":${JSON.stringify(sign)}}`;
}

/**
 * Adds `sign_type=RSA2` and `sign` to a notify's fields (the signature covers neither). Empty fields are left out of
 * the form altogether, as Alipay sends them.
 */
export function signNotify(
  fields: Readonly<Record<string, string>>,
  alipayPrivateKey: KeyObject,
): Record<string, string> {
  const signed: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== '' && key !== 'sign' && key !== 'sign_type') signed[key] = value;
  }
  signed.sign_type = 'RSA2';
  signed.sign = signRsa2(notifySignContent(signed), alipayPrivateKey);
  return signed;
}
