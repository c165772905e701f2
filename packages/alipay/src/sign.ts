import { createSign, createVerify, sign as signOneShot, type KeyObject } from 'node:crypto';

/**
 * Canonical strings and RSA2 (SHA256withRSA, PKCS#1 v1.5, base64).
 *
 * Requests: every parameter except `sign` (`sign_type` IS signed), empty values dropped, keys sorted by ASCII,
 * `key=value` joined with `&`, raw (not URL-encoded) values. https://opendocs.alipay.com/common/02kf5q
 * Notifies: the same, but `sign_type` is excluded too, and values are the form-decoded ones (decoded once).
 * https://opendocs.alipay.com/common/02mse7 ("异步通知验签": 第二步 剔除 sign 与 sign_type 参数)
 */

export type SignParams = Readonly<Record<string, string | null | undefined>>;

function canonical(params: SignParams, excluded: ReadonlySet<string>): string {
  const keys = Object.keys(params).filter((key) => {
    if (excluded.has(key)) return false;
    const value = params[key];
    return value !== undefined && value !== null && value !== '';
  });
  // Keys are ASCII, so the default UTF-16 code unit order is ASCII order.
  keys.sort();
  let out = '';
  for (const key of keys) {
    out += `${out === '' ? '' : '&'}${key}=${params[key] as string}`;
  }
  return out;
}

const REQUEST_EXCLUDED = new Set(['sign']);
const NOTIFY_EXCLUDED = new Set(['sign', 'sign_type']);

/** The string Alipay signs for a gateway request: all parameters but `sign`. */
export function requestSignContent(params: SignParams): string {
  return canonical(params, REQUEST_EXCLUDED);
}

/** The string Alipay signs for an async notify: all fields but `sign` and `sign_type`. */
export function notifySignContent(params: SignParams): string {
  return canonical(params, NOTIFY_EXCLUDED);
}

/** RSA2 signature of a UTF-8 string, base64. PKCS#1 v1.5 is deterministic: same key and text, same bytes. */
export function signRsa2(content: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
}

/**
 * The same signature computed on libuv's thread pool: the private-key operation is most of a request's signing cost,
 * and a server that signs a gateway call per request keeps its event loop free for other requests meanwhile.
 */
export function signRsa2Async(content: string, privateKey: KeyObject): Promise<string> {
  return new Promise((resolve, reject) => {
    signOneShot('sha256', Buffer.from(content, 'utf8'), privateKey, (error, signature) => {
      if (error) reject(error);
      else resolve(signature.toString('base64'));
    });
  });
}

/** Verifies an RSA2 signature; a malformed signature is simply invalid, never an exception. */
export function verifyRsa2(content: string, signature: string, publicKey: KeyObject): boolean {
  if (typeof signature !== 'string' || signature === '') return false;
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}
