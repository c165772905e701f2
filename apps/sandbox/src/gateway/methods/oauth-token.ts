import { formatChinaTime } from '@shop/alipay';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  exchangeAuthCode,
  REFRESH_TOKEN_TTL_SECONDS,
  refreshTokens,
} from '../../oauth/oauth.service';
import { invalidArgument } from '../gateway-error';
import type { MethodHandler } from '../method';

/**
 * alipay.system.oauth.token (https://opendocs.alipay.com/mini/02qkkp). `grant_type`, `code` and `refresh_token` are
 * top-level parameters, not biz_content. Success has no code/msg. A bad code is an `error_response`, as Alipay sends
 * it (alipay-sdk's own comments quote that body).
 */
export const oauthToken: MethodHandler = (deps, call) => {
  const grantType = call.params.grant_type;
  let result;
  if (grantType === 'authorization_code') {
    const code = call.params.code;
    if (!code) throw invalidArgument('isv.code-invalid', '授权码code无效', true);
    result = exchangeAuthCode(deps, call.app.appId, code);
  } else if (grantType === 'refresh_token') {
    const refreshToken = call.params.refresh_token;
    if (!refreshToken) throw invalidArgument('isv.refresh-token-invalid', '刷新令牌refresh_token无效', true);
    result = refreshTokens(deps, call.app.appId, refreshToken);
  } else {
    throw invalidArgument('isv.grant-type-invalid', 'grant_type 参数不正确', true);
  }
  if (!result.ok) throw invalidArgument(result.subCode, result.subMsg, true);
  const { grant } = result;
  return {
    // Open-id mode apps get open_id only (Alipay's default for apps created since 2024).
    ...(grant.openIdMode ? {} : { user_id: grant.buyer.userId }),
    open_id: grant.buyer.openId,
    access_token: grant.accessToken,
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    refresh_token: grant.refreshToken,
    re_expires_in: REFRESH_TOKEN_TTL_SECONDS,
    auth_start: formatChinaTime(grant.authStart),
  };
};
