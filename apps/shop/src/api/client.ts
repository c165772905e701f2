import type { SessionResponse, ShopUser } from '@shop/contract';

import { ApiError, errorFromResponse } from './errors';

/**
 * The HTTP client every page uses. It owns the shopper's session: it signs in when a request needs a session and
 * there is none, and when the API refuses the token it sent (401 SESSION_EXPIRED, or UNAUTHENTICATED for a token it
 * no longer knows) it signs in ONCE and retries the request ONCE. Concurrent refusals share that one sign-in; a
 * retry that is refused again is an error, never another sign-in, so a broken sign-in cannot loop.
 * Browsing (the catalog) never needs a session. Where signing in asks nobody (Alipay's auth_base) it happens at
 * launch; where it is a visit to a sign-in page (H5), it happens only when a request needs it or the shopper asks,
 * and not again on its own once the shopper came back from that page without signing in.
 * The transport is injected (Taro.request in the app, a plain function in the tests).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

/** Sends one request; resolves with any HTTP answer, rejects only when there was none (network). */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

export interface StoredSession {
  token: string;
  expiresAt: string;
  user: ShopUser;
}

/** Where the session lives between launches (Taro storage in the app). */
export interface SessionStore {
  read(): StoredSession | null;
  write(session: StoredSession): void;
  clear(): void;
  /** Set after "退出登录": no silent sign-in until the shopper asks for one. */
  isSignedOut(): boolean;
  setSignedOut(value: boolean): void;
}

export interface ApiClientOptions {
  baseUrl: string;
  transport: Transport;
  sessions: SessionStore;
  /** A fresh Alipay auth code (the platform adapter). */
  getAuthCode: () => Promise<string>;
  /** An auth code a sign-in redirect brought back (H5), or null. */
  resumeSignIn?: () => string | null;
  /**
   * Signing in asks nobody (Alipay's auth_base): done at launch. False where it shows the shopper a page (H5): done
   * only when needed. Default true.
   */
  silentSignIn?: boolean;
  /** The shopper left the sign-in page without signing in (H5): no sign-in starts by itself until they ask. */
  signInAbandoned?: () => boolean;
}

export type QueryValue = string | number | boolean | undefined | null;

export interface RequestOptions {
  method?: HttpMethod;
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Needs the shopper's session. */
  auth?: boolean;
}

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  /**
   * At launch: use a code a redirect brought back, else, where signing in is silent, sign in when there is no
   * session.
   */
  start(): Promise<void>;
  /** Sign in now (the "登录" button), clearing a sign-out. */
  signIn(): Promise<void>;
  /** Resolves once signed in: at once with a session, else by signing in as `signIn` does (a tap that needs it). */
  ensureSignedIn(): Promise<void>;
  /** A sign-in is running (the launch's, or one a request started). */
  isSigningIn(): boolean;
  signOut(): Promise<void>;
  user(): ShopUser | null;
  isSignedOut(): boolean;
  /** Called whenever the session changes (signed in, out, or replaced). */
  subscribe(listener: () => void): () => void;
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const parts = Object.entries(query)
    .filter(
      (entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== null,
    )
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function isSessionRefusal(response: HttpResponse): boolean {
  if (response.status !== 401) return false;
  const code = (response.body as { error?: { code?: unknown } } | null)?.error?.code;
  return code === 'SESSION_EXPIRED' || code === 'UNAUTHENTICATED';
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const { baseUrl, transport, sessions } = options;
  const silent = options.silentSignIn ?? true;
  const listeners = new Set<() => void>();
  let signingIn: Promise<void> | null = null;

  const notify = () => listeners.forEach((listener) => listener());

  async function send(path: string, request: RequestOptions, token: string | null): Promise<HttpResponse> {
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    if (request.body !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await transport({
        method: request.method ?? 'GET',
        url: `${baseUrl}${path}${queryString(request.query)}`,
        headers,
        body: request.body,
      });
    } catch (cause) {
      throw new ApiError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : 'network error');
    }
  }

  function ok<T>(response: HttpResponse): T {
    if (response.status >= 200 && response.status < 300) return response.body as T;
    throw errorFromResponse(response.status, response.body);
  }

  async function exchange(authCode: string): Promise<void> {
    const session = ok<SessionResponse>(
      await send('/api/session', { method: 'POST', body: { authCode } }, null),
    );
    sessions.write({ token: session.token, expiresAt: session.expiresAt, user: session.user });
    sessions.setSignedOut(false);
    notify();
  }

  /** Runs one sign-in at a time: callers that arrive while one is running share it. */
  function shared(run: () => Promise<void>): Promise<void> {
    if (!signingIn) {
      signingIn = run().finally(() => {
        signingIn = null;
        notify();
      });
      notify();
    }
    return signingIn;
  }

  const signInSilently = () => shared(async () => exchange(await options.getAuthCode()));

  async function authorized<T>(path: string, request: RequestOptions): Promise<T> {
    if (signingIn) await signingIn;
    let session = sessions.read();
    if (!session) {
      if (sessions.isSignedOut()) throw new ApiError(401, 'SIGNED_OUT', 'signed out');
      if (!silent && options.signInAbandoned?.()) {
        throw new ApiError(401, 'SIGN_IN_REQUIRED', 'the shopper left the sign-in page without signing in');
      }
      await signInSilently();
      session = sessions.read();
      if (!session) throw new ApiError(401, 'UNAUTHENTICATED', 'sign-in gave no session');
    }
    const first = await send(path, request, session.token);
    if (!isSessionRefusal(first)) return ok<T>(first);

    // The token we sent was refused. If it is still the stored one, this request starts the (shared) sign-in;
    // if another request has already replaced it, or is replacing it, use that one.
    if (sessions.read()?.token === session.token) {
      sessions.clear();
      await signInSilently();
    } else if (signingIn) {
      await signingIn;
    }
    const fresh = sessions.read();
    if (!fresh) return ok<T>(first);
    return ok<T>(await send(path, request, fresh.token));
  }

  return {
    request<T>(path: string, request: RequestOptions = {}) {
      return request.auth ? authorized<T>(path, request) : send(path, request, null).then((r) => ok<T>(r));
    },
    async start() {
      const returned = options.resumeSignIn?.() ?? null;
      if (returned) return shared(() => exchange(returned));
      if (silent && !sessions.read() && !sessions.isSignedOut()) return signInSilently();
    },
    signIn() {
      sessions.setSignedOut(false);
      return signInSilently();
    },
    async ensureSignedIn() {
      if (signingIn) await signingIn.catch(() => undefined);
      if (sessions.read()) return;
      sessions.setSignedOut(false);
      await signInSilently();
    },
    isSigningIn: () => signingIn !== null,
    async signOut() {
      const session = sessions.read();
      sessions.clear();
      sessions.setSignedOut(true);
      notify();
      // Revoke the token on the server too; the shopper is signed out locally whatever it answers.
      if (session) await send('/api/session', { method: 'DELETE' }, session.token).catch(() => undefined);
    },
    user: () => sessions.read()?.user ?? null,
    isSignedOut: () => sessions.isSignedOut(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
