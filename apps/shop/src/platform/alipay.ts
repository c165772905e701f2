import { PlatformError, type Platform } from './types';

/**
 * The Alipay mini-program: the native sign-in, payment sheet and subscription panel through the `my` global. Calls
 * `my` directly rather than Taro's wrappers so the success/fail callbacks and their codes are exactly the documented
 * ones. https://opendocs.alipay.com/mini/api/openapi-authorize, https://opendocs.alipay.com/mini/api/openapi-pay and
 * https://opendocs.alipay.com/mini/api/requestSubscribeMessage
 */

interface AlipayFail {
  /** The documented code (my.requestSubscribeMessage says `errorCode`; older APIs `error`). */
  errorCode?: number | string;
  error?: number | string;
  errorMessage?: string;
}

/** The part of `my` this adapter calls (injected, so tests pass a stub). */
export interface AlipayMy {
  getAuthCode(options: {
    scopes: string | string[];
    success: (res: { authCode?: string }) => void;
    fail: (err: AlipayFail) => void;
  }): void;
  tradePay(options: {
    tradeNO: string;
    success: (res: { resultCode?: string | number }) => void;
    fail: (err: AlipayFail) => void;
  }): void;
  /** Absent on base libraries older than 1.25.7 / 2.7.10. */
  requestSubscribeMessage?(options: {
    entityIds: string[];
    success: (res: unknown) => void;
    fail: (err: AlipayFail) => void;
  }): void;
}

/** my.getAuthCode fail codes (ALIPAY.md, "Sign-in"): 11 cancelled, 3 no result, 12 network. */
export function authCodeError(err: AlipayFail): PlatformError {
  const code = Number(err.error);
  const detail = `${String(err.error ?? '?')} ${err.errorMessage ?? ''}`.trim();
  if (code === 11) return new PlatformError('USER_CANCELLED', '你取消了支付宝授权', detail);
  if (code === 3) return new PlatformError('NO_RESULT', '支付宝没有返回授权结果，请重试', detail);
  if (code === 12) return new PlatformError('NETWORK', '网络异常，支付宝授权失败，请检查网络后重试', detail);
  return new PlatformError('FAILED', '支付宝授权失败，请稍后重试', detail);
}

/** my.tradePay fails (rather than resolving with a resultCode) when the sheet cannot open at all. */
export function tradePayError(err: AlipayFail): PlatformError {
  const detail = `${String(err.error ?? '?')} ${err.errorMessage ?? ''}`.trim();
  if (Number(err.error) === 12) return new PlatformError('NETWORK', '网络异常，无法打开支付宝收银台', detail);
  return new PlatformError('UNAVAILABLE', '无法打开支付宝收银台，请稍后重试', detail);
}

/** my.requestSubscribeMessage's fail code for a shopper who closed the panel: a refusal, not a fault. */
const SUBSCRIBE_CANCELLED = 11;

/** The asked ids that `accepted` says yes to, each once, in the order asked. */
function askedAnd(requested: readonly string[], accepted: (id: string) => boolean): string[] {
  return [...new Set(requested)].filter(accepted);
}

/**
 * The template ids my.requestSubscribeMessage's success answer accepts. The documented answer carries them twice:
 * `result.subscribeEntityIds` (this request's accepted templates; `currentSubscribedEntityIds`, the newly accepted
 * ones, on some clients) and a key per template id whose value is 'accept' or 'reject', which the documentation
 * calls less reliable. The lists win when present; `result.subscribedEntityIds` is never read, since it also names
 * templates accepted before, whose one-time agreements were counted then. Only ids that were asked for count.
 */
export function acceptedTemplateIds(requested: readonly string[], answer: unknown): string[] {
  if (!answer || typeof answer !== 'object') return [];
  const fields = answer as Record<string, unknown>;
  if (typeof fields.behavior === 'string' && fields.behavior !== 'subscribe') return [];
  const result = fields.result;
  if (result && typeof result === 'object') {
    const lists = result as Record<string, unknown>;
    for (const key of ['subscribeEntityIds', 'currentSubscribedEntityIds']) {
      const list = lists[key];
      if (Array.isArray(list)) return askedAnd(requested, (id) => list.includes(id));
    }
  }
  return askedAnd(requested, (id) => fields[id] === 'accept');
}

/** my.requestSubscribeMessage failed for a reason other than the shopper closing it (its codes: 10, 15, 203 ...). */
export function subscribeError(err: AlipayFail): PlatformError {
  const code = err.errorCode ?? err.error;
  const detail = `${String(code ?? '?')} ${err.errorMessage ?? ''}`.trim();
  return new PlatformError('FAILED', '订阅通知失败，请稍后重试', detail);
}

export function createAlipayPlatform(my: AlipayMy): Platform {
  return {
    payChannel: 'trade-pay',
    appUrl: (path) => path,
    leaveTo: () => Promise.reject(new PlatformError('UNAVAILABLE', '支付宝小程序中请直接付款')),
    wapReturnParams: () => null,
    silentSignIn: true,
    signInAbandoned: () => false,
    getAuthCode: () =>
      new Promise<string>((resolve, reject) => {
        my.getAuthCode({
          scopes: 'auth_base',
          success: (res) =>
            res.authCode
              ? resolve(res.authCode)
              : reject(new PlatformError('NO_RESULT', '支付宝没有返回授权结果，请重试')),
          fail: (err) => reject(authCodeError(err)),
        });
      }),
    resumeSignIn: () => null,
    pay: (tradeNo) =>
      new Promise((resolve, reject) => {
        my.tradePay({
          tradeNO: tradeNo,
          success: (res) => resolve({ resultCode: String(res.resultCode ?? '') }),
          fail: (err) => reject(tradePayError(err)),
        });
      }),
    requestSubscribeMessage: (templateIds) =>
      new Promise<string[]>((resolve, reject) => {
        if (templateIds.length === 0) {
          resolve([]);
          return;
        }
        if (typeof my.requestSubscribeMessage !== 'function') {
          reject(new PlatformError('UNAVAILABLE', '当前支付宝版本不支持订阅通知，请升级支付宝'));
          return;
        }
        my.requestSubscribeMessage({
          entityIds: [...templateIds],
          success: (res) => resolve(acceptedTemplateIds(templateIds, res)),
          fail: (err) =>
            Number(err.errorCode ?? err.error) === SUBSCRIBE_CANCELLED
              ? resolve([])
              : reject(subscribeError(err)),
        });
      }),
    subscribeResult: () => null,
  };
}
