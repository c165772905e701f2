import Taro from '@tarojs/taro';

import { readShopConfig } from '../config';
import { platform } from '../platform';
import { createApiClient, type SessionStore, type StoredSession } from './client';
import { shopApi } from './shop';
import { taroTransport } from './transport';

export { ApiError, errorCode, errorMessage, needsSignIn, ShopError, type ApiErrorCode } from './errors';

const SESSION_KEY = 'shop.session';
const SIGNED_OUT_KEY = 'shop.signedOut';

/** The session in Taro storage (localStorage on H5, the mini-program's storage on Alipay). */
const taroSessions: SessionStore = {
  read() {
    const value = Taro.getStorageSync<StoredSession | ''>(SESSION_KEY);
    return value && typeof value === 'object' && typeof value.token === 'string' ? value : null;
  },
  write: (session) => Taro.setStorageSync(SESSION_KEY, session),
  clear: () => Taro.removeStorageSync(SESSION_KEY),
  isSignedOut: () => Taro.getStorageSync<boolean | ''>(SIGNED_OUT_KEY) === true,
  setSignedOut: (value) =>
    value ? Taro.setStorageSync(SIGNED_OUT_KEY, true) : Taro.removeStorageSync(SIGNED_OUT_KEY),
};

export const client = createApiClient({
  baseUrl: readShopConfig().apiBaseUrl,
  transport: taroTransport,
  sessions: taroSessions,
  getAuthCode: () => platform.getAuthCode(),
  resumeSignIn: () => platform.resumeSignIn(),
  silentSignIn: platform.silentSignIn,
  signInAbandoned: () => platform.signInAbandoned(),
});

export const api = shopApi(client);
