import type { PayChannel } from './channel';

/**
 * What the shop needs from the platform it runs on. One interface, two implementations: the Alipay mini-program
 * (my.getAuthCode / my.tradePay / my.requestSubscribeMessage) and H5 (the sandbox's authorize, cashier and subscribe
 * pages, reached by redirects).
 * `index.ts` picks one; nothing else in the app knows which.
 */
export interface Platform {
  /** How the shopper pays here: my.tradePay, mobile web payment or a QR code (channel.ts). */
  readonly payChannel: PayChannel;
  /** An absolute URL for a path of this app (H5: on this origin), for Alipay to send the browser back to. */
  appUrl(path: string): string;
  /** Leaves the app for a URL (the gateway's mobile cashier). H5 only; never settles. */
  leaveTo(url: string): Promise<never>;
  /**
   * The parameters Alipay added to return_url after a mobile web payment, when this page load is such a return
   * (our own `keep` parameters left out); null otherwise and always on Alipay.
   */
  wapReturnParams(keep: readonly string[]): Record<string, string> | null;
  /**
   * Whether signing in asks the shopper nothing. Alipay's auth_base code is silent, so the shop signs in at
   * launch; on H5 signing in is a visit to the authorize page, so the shop lets the shopper browse first and signs
   * in only when something needs it (README, "Sessions").
   */
  readonly silentSignIn: boolean;
  /**
   * The shopper went to the sign-in page and came back without signing in (H5's back button), this launch. The
   * shop then asks before sending them there again. Always false on Alipay.
   */
  signInAbandoned(): boolean;
  /**
   * A fresh, single-use Alipay auth code (scope auth_base). H5 leaves the page for the authorize page and never
   * settles; the code arrives when the app starts again (see `resumeSignIn`).
   */
  getAuthCode(): Promise<string>;
  /**
   * An auth code brought back by a sign-in redirect, checked against the state we sent, or null when the app did
   * not start from one (always null on Alipay). Throws a PlatformError when the state does not match.
   */
  resumeSignIn(): string | null;
  /**
   * Opens the payment sheet for an Alipay trade. The result code is a hint for the message only (9000 does not
   * prove payment; only the server does). H5 leaves for the cashier and never settles: the cashier returns to
   * `returnTo` (a path of this app, e.g. the payment result page) with `resultCode` added to its query.
   */
  pay(tradeNo: string, options: { returnTo: string }): Promise<PayResult>;
  /**
   * Asks the shopper to agree to subscription messages (one to three templates; ALIPAY.md, "Subscription messages")
   * and resolves with the ids they accepted, in the order asked (empty when they refused or closed the panel).
   * Alipay: my.requestSubscribeMessage, which knows its user. H5 leaves for the sandbox's subscribe page, named the
   * shopper by `alipayUserId`, and never settles: the page comes back to `returnTo` (a path of this app), where
   * `subscribeResult` reads the answer.
   */
  requestSubscribeMessage(
    templateIds: readonly string[],
    options: { returnTo: string; alipayUserId: string | null },
  ): Promise<string[]>;
  /**
   * The template ids the shopper accepted on the subscribe page, when this page load is the return from it (empty
   * when they refused), once; null otherwise and always on Alipay.
   */
  subscribeResult(): string[] | null;
}

export interface PayResult {
  /** my.tradePay's resultCode: 9000, 8000, 4000, 6001, 6002, 6004 (ALIPAY.md, "Trades"). */
  resultCode: string;
}

export type PlatformErrorCode =
  'USER_CANCELLED' | 'NO_RESULT' | 'NETWORK' | 'STATE_MISMATCH' | 'UNAVAILABLE' | 'FAILED';

/** A platform call that failed, with a message fit for the shopper. */
export class PlatformError extends Error {
  readonly code: PlatformErrorCode;
  readonly detail: string | undefined;

  constructor(code: PlatformErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'PlatformError';
    this.code = code;
    this.detail = detail;
  }
}

/** A promise for code that has handed the page to a redirect: nothing after it may run. */
export function leavingPage<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}
