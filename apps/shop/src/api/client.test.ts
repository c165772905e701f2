import { describe, expect, it } from 'vitest';

import { createApiClient, type HttpRequest, type HttpResponse, type StoredSession } from './client';
import { ApiError } from './errors';

const BASE = 'http://api.test';
const user = { id: 'u1', nickname: null, alipayUserId: '2088000000000001' };

function memorySessions(initial: StoredSession | null = null) {
  let session = initial;
  let signedOut = false;
  return {
    read: () => session,
    write: (next: StoredSession) => void (session = next),
    clear: () => void (session = null),
    isSignedOut: () => signedOut,
    setSignedOut: (value: boolean) => void (signedOut = value),
  };
}

const stored = (token: string): StoredSession => ({ token, expiresAt: '2030-01-01T00:00:00.000Z', user });

const json = (status: number, body: unknown): HttpResponse => ({ status, body });
const refusal = (code: string) => json(401, { error: { code, message: 'no', details: null } });

/**
 * A fake API as a plain function: POST /api/session trades a code for token `t<n>`; other paths answer through
 * `route` with the bearer token the request carried. Every request is recorded. Answers come a tick later, so
 * requests started together are in flight together, like real ones.
 */
function fakeApi(route: (request: HttpRequest, token: string | null) => HttpResponse) {
  const requests: HttpRequest[] = [];
  let sessionsIssued = 0;
  const transport = async (request: HttpRequest): Promise<HttpResponse> => {
    requests.push(request);
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (request.url === `${BASE}/api/session` && request.method === 'POST') {
      sessionsIssued += 1;
      return json(201, { token: `t${sessionsIssued}`, expiresAt: '2030-01-01T00:00:00.000Z', user });
    }
    const auth = request.headers.Authorization;
    return route(request, auth ? auth.replace(/^Bearer /, '') : null);
  };
  const count = (path: string) => requests.filter((r) => r.url.startsWith(`${BASE}${path}`)).length;
  return { transport, requests, count };
}

function codes() {
  let issued = 0;
  const getAuthCode = () => Promise.resolve(`code${++issued}`);
  return { getAuthCode, issued: () => issued };
}

describe('the API client: sessions', () => {
  it('sends public requests without a token and never signs in for them', async () => {
    const api = fakeApi((_r, token) => json(200, { items: [], token }));
    const auth = codes();
    const client = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(),
      ...auth,
    });
    await expect(client.request('/api/categories')).resolves.toEqual({ items: [], token: null });
    expect(auth.issued()).toBe(0);
  });

  it('signs in before the first request that needs a session', async () => {
    const api = fakeApi((_r, token) =>
      token === 't1' ? json(200, { ok: true }) : refusal('UNAUTHENTICATED'),
    );
    const auth = codes();
    const sessions = memorySessions();
    const client = createApiClient({ baseUrl: BASE, transport: api.transport, sessions, ...auth });
    await expect(client.request('/api/cart', { auth: true })).resolves.toEqual({ ok: true });
    expect(auth.issued()).toBe(1);
    expect(api.requests[0]?.body).toEqual({ authCode: 'code1' });
    expect(sessions.read()?.token).toBe('t1');
  });

  it('answers concurrent SESSION_EXPIRED refusals with one sign-in and one retry each', async () => {
    const api = fakeApi((request, token) =>
      token === 't1' ? json(200, { path: request.url }) : refusal('SESSION_EXPIRED'),
    );
    const auth = codes();
    const client = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(stored('expired')),
      ...auth,
    });
    const results = await Promise.all(
      ['/api/cart', '/api/orders', '/api/addresses'].map((path) => client.request(path, { auth: true })),
    );
    expect(results).toEqual([
      { path: `${BASE}/api/cart` },
      { path: `${BASE}/api/orders` },
      { path: `${BASE}/api/addresses` },
    ]);
    expect(auth.issued()).toBe(1);
    expect(api.count('/api/session')).toBe(1);
    for (const path of ['/api/cart', '/api/orders', '/api/addresses']) expect(api.count(path)).toBe(2);
    const retried = api.requests.filter((r) => r.headers.Authorization === 'Bearer t1');
    expect(retried).toHaveLength(3);
  });

  it('treats UNAUTHENTICATED for a stored token like an expired session', async () => {
    const api = fakeApi((_r, token) => (token === 't1' ? json(200, 'ok') : refusal('UNAUTHENTICATED')));
    const auth = codes();
    const client = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(stored('revoked')),
      ...auth,
    });
    await expect(client.request('/api/cart', { auth: true })).resolves.toBe('ok');
    expect(auth.issued()).toBe(1);
  });

  it('does not loop when the retry is refused again: one sign-in, one retry, then the error', async () => {
    const api = fakeApi(() => refusal('SESSION_EXPIRED'));
    const auth = codes();
    const client = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(stored('expired')),
      ...auth,
    });
    const error = await client.request('/api/cart', { auth: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('SESSION_EXPIRED');
    expect(auth.issued()).toBe(1);
    expect(api.count('/api/session')).toBe(1);
    expect(api.count('/api/cart')).toBe(2);
  });

  it('does not loop for concurrent requests whose retries are refused again either', async () => {
    const api = fakeApi(() => refusal('SESSION_EXPIRED'));
    const auth = codes();
    const client = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(stored('expired')),
      ...auth,
    });
    const outcomes = await Promise.allSettled(
      [1, 2, 3].map(() => client.request('/api/orders', { auth: true })),
    );
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(auth.issued()).toBe(1);
    expect(api.count('/api/orders')).toBe(6);
  });

  it('surfaces a failed sign-in and tries again on the next request', async () => {
    const api = fakeApi(() => json(200, 'ok'));
    let attempts = 0;
    const getAuthCode = () =>
      ++attempts === 1 ? Promise.reject(new Error('你取消了支付宝授权')) : Promise.resolve('code');
    const client = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(),
      getAuthCode,
    });
    await expect(client.request('/api/cart', { auth: true })).rejects.toThrow('你取消了支付宝授权');
    await expect(client.request('/api/cart', { auth: true })).resolves.toBe('ok');
    expect(attempts).toBe(2);
  });

  it('after sign-out, refuses session requests without signing in until asked to', async () => {
    const api = fakeApi((_r, token) => (token ? json(200, 'ok') : refusal('UNAUTHENTICATED')));
    const auth = codes();
    const sessions = memorySessions(stored('t0'));
    const client = createApiClient({ baseUrl: BASE, transport: api.transport, sessions, ...auth });
    await client.signOut();
    expect(api.requests.at(-1)).toMatchObject({ method: 'DELETE', headers: { Authorization: 'Bearer t0' } });
    await expect(client.request('/api/cart', { auth: true })).rejects.toMatchObject({ code: 'SIGNED_OUT' });
    expect(auth.issued()).toBe(0);
    await client.signIn();
    await expect(client.request('/api/cart', { auth: true })).resolves.toBe('ok');
    expect(auth.issued()).toBe(1);
  });

  it('at launch, uses a code a redirect brought back, or signs in when there is no session', async () => {
    const api = fakeApi(() => json(200, 'ok'));
    const auth = codes();
    const returned = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(stored('old')),
      getAuthCode: auth.getAuthCode,
      resumeSignIn: () => 'from-redirect',
    });
    await returned.start();
    expect(api.requests[0]?.body).toEqual({ authCode: 'from-redirect' });
    expect(auth.issued()).toBe(0);

    const fresh = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(),
      ...auth,
    });
    await fresh.start();
    expect(auth.issued()).toBe(1);

    const kept = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(stored('t9')),
      ...auth,
    });
    await kept.start();
    expect(auth.issued()).toBe(1);
  });
});

describe('the API client: browse first, sign in when it matters (H5)', () => {
  const h5 = (
    api: ReturnType<typeof fakeApi>,
    auth: ReturnType<typeof codes>,
    sessions = memorySessions(),
    abandoned = false,
  ) =>
    createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions,
      ...auth,
      silentSignIn: false,
      signInAbandoned: () => abandoned,
    });

  it('does not sign in at launch: the visitor browses the catalog without a session', async () => {
    const api = fakeApi((_r, token) => json(200, { token }));
    const auth = codes();
    const client = h5(api, auth);
    await client.start();
    await expect(client.request('/api/products')).resolves.toEqual({ token: null });
    expect(auth.issued()).toBe(0);
    expect(client.user()).toBeNull();
    expect(client.isSigningIn()).toBe(false);
  });

  it('still takes the code a sign-in redirect brought back at launch', async () => {
    const api = fakeApi(() => json(200, 'ok'));
    const auth = codes();
    const client = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(),
      ...auth,
      silentSignIn: false,
      resumeSignIn: () => 'from-redirect',
    });
    await client.start();
    expect(api.requests[0]?.body).toEqual({ authCode: 'from-redirect' });
    expect(client.user()).toEqual(user);
  });

  it('signs in when a request needs a session (the cart, the orders)', async () => {
    const api = fakeApi((_r, token) => (token === 't1' ? json(200, 'cart') : refusal('UNAUTHENTICATED')));
    const auth = codes();
    const client = h5(api, auth);
    await expect(client.request('/api/cart', { auth: true })).resolves.toBe('cart');
    expect(auth.issued()).toBe(1);
  });

  it('after the shopper left the sign-in page, asks instead of sending them back there, until they tap 登录', async () => {
    const api = fakeApi((_r, token) => (token === 't1' ? json(200, 'cart') : refusal('UNAUTHENTICATED')));
    const auth = codes();
    const client = h5(api, auth, memorySessions(), true);
    await expect(client.request('/api/cart', { auth: true })).rejects.toMatchObject({
      code: 'SIGN_IN_REQUIRED',
    });
    expect(auth.issued()).toBe(0);
    await client.signIn();
    expect(auth.issued()).toBe(1);
    await expect(client.request('/api/cart', { auth: true })).resolves.toBe('cart');
  });

  it('ensureSignedIn signs in for a tap that needs it (加入购物车), and only once', async () => {
    const api = fakeApi(() => json(200, 'ok'));
    const auth = codes();
    const sessions = memorySessions();
    sessions.setSignedOut(true);
    const client = h5(api, auth, sessions, true);
    const seen: boolean[] = [];
    client.subscribe(() => seen.push(client.isSigningIn()));
    await Promise.all([client.ensureSignedIn(), client.ensureSignedIn()]);
    expect(auth.issued()).toBe(1);
    expect(client.isSignedOut()).toBe(false);
    expect(seen[0]).toBe(true);
    expect(client.isSigningIn()).toBe(false);
    await client.ensureSignedIn();
    expect(auth.issued()).toBe(1);
  });
});

describe('the API client: errors', () => {
  it('carries the server code, message and details', async () => {
    const api = fakeApi(() =>
      json(409, {
        error: { code: 'OUT_OF_STOCK', message: 'Not enough stock', details: { skuId: 's1', available: 2 } },
      }),
    );
    const client = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(stored('t')),
      ...codes(),
    });
    const error = (await client
      .request('/api/cart/items/s1', { method: 'PUT', body: { quantity: 5 }, auth: true })
      .catch((e: unknown) => e)) as ApiError;
    expect(error).toMatchObject({ status: 409, code: 'OUT_OF_STOCK', message: 'Not enough stock' });
    expect(error.details).toEqual({ skuId: 's1', available: 2 });
    expect(api.requests[0]).toMatchObject({
      method: 'PUT',
      url: `${BASE}/api/cart/items/s1`,
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
    });
  });

  it('reports a request that got no answer as NETWORK_ERROR', async () => {
    const client = createApiClient({
      baseUrl: BASE,
      transport: () => Promise.reject(new Error('offline')),
      sessions: memorySessions(),
      ...codes(),
    });
    await expect(
      client.request('/api/products', { query: { q: '杯 子', cursor: undefined } }),
    ).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      status: 0,
    });
  });

  it('builds query strings, skipping empty values', async () => {
    const api = fakeApi(() => json(200, {}));
    const client = createApiClient({
      baseUrl: BASE,
      transport: api.transport,
      sessions: memorySessions(),
      ...codes(),
    });
    await client.request('/api/products', {
      query: { q: '保温 杯', sort: 'price_asc', cursor: undefined, limit: 20 },
    });
    expect(api.requests[0]?.url).toBe(
      `${BASE}/api/products?q=%E4%BF%9D%E6%B8%A9%20%E6%9D%AF&sort=price_asc&limit=20`,
    );
  });
});
