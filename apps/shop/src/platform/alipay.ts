import { PlatformError, type Platform } from './types';

/**
 * The Alipay mini-program: the native sign-in and payment sheet through the `my` global. Calls `my` directly rather
 * than Taro's wrappers so the success/fail callbacks and their codes are exactly the documented ones.
 * https://opendocs.alipay.com/mini/api/openapi-authorize and https://opendocs.alipay.com/mini/api/openapi-pay
 */

interface AlipayFail {
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
  };
}
