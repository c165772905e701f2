import type { Deps } from '../deps';
import { MINUTE_MS } from '../clock';
import { newAuthCode, newToken } from '../ids';
import type { AuthCode, Buyer } from '../store/types';

/**
 * Auth codes and alipay.system.oauth.token (https://opendocs.alipay.com/mini/02qkkp). A code is single-use and
 * short-lived; a reused or expired one gets `isv.code-invalid`. Lifetimes in the token answer are Alipay's.
 */

/** Auth codes live a few minutes here (Alipay documents "minutes to a day"); scaled by the time scale. */
export const AUTH_CODE_TTL_MS = 5 * MINUTE_MS;
export const ACCESS_TOKEN_TTL_SECONDS = 1_296_000;
export const REFRESH_TOKEN_TTL_SECONDS = 2_592_000;

export const AUTH_SCOPES = ['auth_base', 'auth_user'] as const;

export interface TokenGrant {
  buyer: Buyer;
  openIdMode: boolean;
  accessToken: string;
  refreshToken: string;
  authStart: Date;
}

export type TokenResult = { ok: true; grant: TokenGrant } | { ok: false; subCode: string; subMsg: string };

export function issueAuthCode(deps: Deps, input: { appId: string; userId: string; scope: string }): AuthCode {
  const now = deps.clock.now();
  const code: AuthCode = {
    code: newAuthCode(),
    appId: input.appId,
    userId: input.userId,
    scope: input.scope,
    createdAt: now,
    expiresAt: new Date(now.getTime() + (deps.config.authCodeTtlMs ?? deps.clock.scaled(AUTH_CODE_TTL_MS))),
    usedAt: null,
  };
  deps.store.accounts.insertAuthCode(code);
  return code;
}

function grantTokens(deps: Deps, appId: string, buyer: Buyer, now: Date): TokenGrant {
  const accessToken = newToken('authusrB');
  const refreshToken = newToken('authusrR');
  const { accounts } = deps.store;
  accounts.insertToken({
    token: accessToken,
    kind: 'access',
    appId,
    userId: buyer.userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000),
  });
  accounts.insertToken({
    token: refreshToken,
    kind: 'refresh',
    appId,
    userId: buyer.userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000),
  });
  const openIdMode = accounts.findApp(appId)?.openIdMode ?? false;
  return { buyer, openIdMode, accessToken, refreshToken, authStart: now };
}

const CODE_INVALID = { ok: false, subCode: 'isv.code-invalid', subMsg: '授权码code无效' } as const;

/** Exchanges an auth code once. Codes of another app, used codes and expired codes are all `isv.code-invalid`. */
export function exchangeAuthCode(deps: Deps, appId: string, code: string): TokenResult {
  const { store, clock } = deps;
  return store.transaction((): TokenResult => {
    const now = clock.now();
    const found = store.accounts.findAuthCode(code);
    if (!found || found.appId !== appId || found.expiresAt.getTime() <= now.getTime()) return CODE_INVALID;
    if (!store.accounts.useAuthCode(code, now)) return CODE_INVALID;
    const buyer = store.accounts.findBuyer(found.userId);
    if (!buyer) return CODE_INVALID;
    return { ok: true, grant: grantTokens(deps, appId, buyer, now) };
  });
}

/** `grant_type=refresh_token`: a refresh token works once and yields a new pair. */
export function refreshTokens(deps: Deps, appId: string, refreshToken: string): TokenResult {
  const { store, clock } = deps;
  return store.transaction((): TokenResult => {
    const now = clock.now();
    const found = store.accounts.findToken(refreshToken);
    if (!found || found.kind !== 'refresh' || found.appId !== appId || found.revokedAt !== null) {
      return { ok: false, subCode: 'isv.refresh-token-invalid', subMsg: '刷新令牌refresh_token无效' };
    }
    if (found.expiresAt.getTime() <= now.getTime()) {
      return { ok: false, subCode: 'isv.refresh-token-time-out', subMsg: '刷新令牌refresh_token过期' };
    }
    store.accounts.revokeToken(refreshToken, now);
    const buyer = store.accounts.findBuyer(found.userId);
    if (!buyer)
      return { ok: false, subCode: 'isv.refresh-token-invalid', subMsg: '刷新令牌refresh_token无效' };
    return { ok: true, grant: grantTokens(deps, appId, buyer, now) };
  });
}
