import { payChannelFor } from './channel';
import { leavingPage, PlatformError, type Platform } from './types';

/**
 * H5 (browser): Alipay's native sheets do not exist, so the sandbox's pages stand in for them, reached by full-page
 * redirects exactly like Alipay's H5 web authorization and cashier (DESIGN.md, "The money path"):
 * - sign-in: `/oauth/authorize?app_id&scope=auth_base&redirect_uri&state` comes back to redirect_uri with
 *   `auth_code` and `state`. The state is random, kept in sessionStorage with the page to resume, and must match
 *   on return, so a link forged by another site cannot sign the shopper in as someone else.
 * - payment: `/cashier?trade_no&return_url` comes back to return_url with `resultCode` and `trade_no`.
 * - subscription messages: `/sandbox/subscribe?app_id&buyer_id&template_ids&return_url` comes back to return_url
 *   with `subscribe_result`, the accepted template ids joined by commas (empty when refused). The ids asked for are
 *   kept in sessionStorage: a return counts only when this tab asked, and only for ids it asked for.
 */

/** The browser objects this adapter touches (injected, so tests pass stubs). */
export interface H5Window {
  location: { origin: string; pathname: string; search: string; assign(url: string): void; reload(): void };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string | null): void };
  sessionStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  addEventListener(type: 'pageshow', listener: (event: { persisted: boolean }) => void): void;
}

export interface H5PlatformOptions {
  /** The browser's user agent, which decides how the shopper pays (channel.ts). */
  userAgent?: string;
  sandboxUrl: string;
  appId: string;
  randomState(): string;
}

/** sessionStorage key of the sign-in in progress: `{ state, returnTo }`. */
export const SIGN_IN_STORAGE_KEY = 'shop.h5.signIn';

/** Query parameters the authorize page adds to redirect_uri. */
const AUTH_RETURN_PARAMS = ['auth_code', 'state', 'app_id', 'scope', 'source'];

/** sessionStorage key of the subscription request in progress: `{ templateIds }`. */
export const SUBSCRIBE_STORAGE_KEY = 'shop.h5.subscribe';

/** The query parameter the subscribe page adds to return_url. */
const SUBSCRIBE_RESULT_PARAM = 'subscribe_result';

function readAskedTemplates(win: H5Window): string[] | null {
  try {
    const value = JSON.parse(win.sessionStorage.getItem(SUBSCRIBE_STORAGE_KEY) ?? 'null') as unknown;
    if (value && typeof value === 'object') {
      const { templateIds } = value as Record<string, unknown>;
      if (Array.isArray(templateIds) && templateIds.every((id) => typeof id === 'string')) return templateIds;
    }
  } catch {
    // unreadable: treated like no request in progress
  }
  return null;
}

interface PendingSignIn {
  state: string;
  returnTo: string;
}

function readPending(win: H5Window): PendingSignIn | null {
  try {
    const value = JSON.parse(win.sessionStorage.getItem(SIGN_IN_STORAGE_KEY) ?? 'null') as unknown;
    if (value && typeof value === 'object') {
      const { state, returnTo } = value as Record<string, unknown>;
      if (typeof state === 'string' && typeof returnTo === 'string') return { state, returnTo };
    }
  } catch {
    // unreadable: treated like no sign-in in progress
  }
  return null;
}

/** The query string without the given parameters, with its `?` (or empty). */
function withoutParams(search: string, names: readonly string[]): string {
  const params = new URLSearchParams(search);
  for (const name of names) params.delete(name);
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}

export function createH5Platform(win: H5Window, options: H5PlatformOptions): Platform {
  // Taken off the URL once, when the app starts (before the router reads it), so no page sees the code and a
  // reload or a shared link cannot replay it.
  const params = new URLSearchParams(win.location.search);
  const authCode = params.get('auth_code');
  let returned: { code: string; state: string | null } | null = null;
  let abandoned = false;
  if (authCode !== null) {
    returned = { code: authCode, state: params.get('state') };
    const clean = `${win.location.pathname}${withoutParams(win.location.search, AUTH_RETURN_PARAMS)}`;
    win.history.replaceState(win.history.state, '', clean);
  } else if (readPending(win)) {
    // A sign-in was started and the app starts again without a code: the shopper came back from the authorize
    // page without agreeing (the back button). Sending them straight back there would trap them; ask first.
    win.sessionStorage.removeItem(SIGN_IN_STORAGE_KEY);
    abandoned = true;
  }
  // Back from Alipay's mobile cashier: return_url's signed parameters, read once here, exactly as they arrived, before
  // the router rewrites the address (its re-encoding would turn the signature's `+` into a space), and taken off it
  // so a reload or a shared link does not carry them.
  let wapReturn: Record<string, string> | null = null;
  if (params.get('method') === 'alipay.trade.wap.pay.return' && params.get('sign')) {
    wapReturn = {};
    for (const [key, value] of params) wapReturn[key] = value;
    const ours = new URLSearchParams();
    for (const key of ['orderId']) {
      const value = params.get(key);
      if (value !== null) ours.set(key, value);
    }
    const rest = ours.toString();
    win.history.replaceState(win.history.state, '', `${win.location.pathname}${rest ? `?${rest}` : ''}`);
  }
  // Back from the subscribe page: the accepted ids, read once here and taken off the URL like the auth code, so a
  // reload or a shared link does not agree again. A return this tab did not ask for (a link from elsewhere) counts
  // for nothing; a request left without an answer (the back button) is forgotten.
  let subscribed: string[] | null = null;
  const subscribeAnswer = params.get(SUBSCRIBE_RESULT_PARAM);
  const asked = readAskedTemplates(win);
  if (subscribeAnswer !== null) {
    const clean = `${win.location.pathname}${withoutParams(win.location.search, [SUBSCRIBE_RESULT_PARAM])}`;
    win.history.replaceState(win.history.state, '', clean);
    if (asked) {
      const accepted = subscribeAnswer.split(',');
      subscribed = asked.filter((id) => accepted.includes(id));
    }
  }
  if (asked) win.sessionStorage.removeItem(SUBSCRIBE_STORAGE_KEY);
  // Back from the authorize page, a browser may restore this page from its back-forward cache, frozen mid-redirect
  // (a spinner that never ends). Start it afresh instead, which also notices the abandoned sign-in above.
  win.addEventListener('pageshow', (event) => {
    if (event.persisted) win.location.reload();
  });

  const resumeSignIn = (): string | null => {
    if (!returned) return null;
    const { code, state } = returned;
    returned = null;
    const pending = readPending(win);
    win.sessionStorage.removeItem(SIGN_IN_STORAGE_KEY);
    if (!pending || state === null || pending.state !== state || code === '') {
      throw new PlatformError('STATE_MISMATCH', '登录校验未通过，请重新登录');
    }
    return code;
  };

  return {
    payChannel: payChannelFor(options.userAgent ?? ''),
    appUrl: (path) => `${win.location.origin}${path}`,
    leaveTo(url) {
      win.location.assign(url);
      return leavingPage();
    },
    wapReturnParams(keep) {
      if (!wapReturn) return null;
      const fields: Record<string, string> = {};
      for (const [key, value] of Object.entries(wapReturn)) if (!keep.includes(key)) fields[key] = value;
      return fields;
    },
    silentSignIn: false,
    signInAbandoned: () => abandoned,
    resumeSignIn,
    getAuthCode() {
      try {
        const code = resumeSignIn();
        if (code) return Promise.resolve(code);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      const state = options.randomState();
      const returnTo = `${win.location.pathname}${win.location.search}`;
      win.sessionStorage.setItem(SIGN_IN_STORAGE_KEY, JSON.stringify({ state, returnTo }));
      const query = new URLSearchParams({
        app_id: options.appId,
        scope: 'auth_base',
        redirect_uri: `${win.location.origin}${returnTo}`,
        state,
      });
      win.location.assign(`${options.sandboxUrl}/oauth/authorize?${query.toString()}`);
      return leavingPage<string>();
    },
    pay(tradeNo, { returnTo }) {
      const query = new URLSearchParams({
        trade_no: tradeNo,
        return_url: `${win.location.origin}${returnTo}`,
      });
      win.location.assign(`${options.sandboxUrl}/cashier?${query.toString()}`);
      return leavingPage();
    },
    requestSubscribeMessage(templateIds, { returnTo, alipayUserId }) {
      if (templateIds.length === 0) return Promise.resolve([]);
      if (!alipayUserId) {
        return Promise.reject(new PlatformError('UNAVAILABLE', '没有支付宝用户信息，暂时无法订阅通知'));
      }
      win.sessionStorage.setItem(SUBSCRIBE_STORAGE_KEY, JSON.stringify({ templateIds }));
      const query = new URLSearchParams({
        app_id: options.appId,
        buyer_id: alipayUserId,
        template_ids: templateIds.join(','),
        return_url: `${win.location.origin}${returnTo}`,
      });
      win.location.assign(`${options.sandboxUrl}/sandbox/subscribe?${query.toString()}`);
      return leavingPage();
    },
    subscribeResult() {
      const accepted = subscribed;
      subscribed = null;
      return accepted;
    },
  };
}
