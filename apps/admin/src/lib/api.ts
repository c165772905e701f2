import { readAdminConfig } from '../config';
import { type ApiError, createApiClient } from './api-client';
import { redirectToLogin } from './nav';
import { createSessionStore } from './session';

/** The app's one session store and API client, wired to the browser. */
export const sessionStore = createSessionStore(window.localStorage);

export const api = createApiClient({
  baseUrl: readAdminConfig().apiBaseUrl,
  fetch: (url, init) => window.fetch(url, init),
  getToken: () => sessionStore.read()?.token ?? null,
  onUnauthorized: (_error: ApiError) => {
    sessionStore.clear();
    redirectToLogin();
  },
});

/** An image path from the API (`/images/...`) as a URL the browser can load. */
export function apiAsset(path: string): string {
  return /^https?:\/\//.test(path) ? path : `${readAdminConfig().apiBaseUrl}${path}`;
}
