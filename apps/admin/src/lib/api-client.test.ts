import { describe, expect, it, vi } from 'vitest';

import {
  ApiError,
  asApiError,
  createApiClient,
  dispositionFilename,
  type FetchLike,
  queryString,
  retryAfterSeconds,
} from './api-client';

interface Sent {
  url: string;
  init: RequestInit;
}

/** A transport that records what was sent and answers from a script. */
function transport(...answers: (Response | Error)[]) {
  const sent: Sent[] = [];
  const fetch: FetchLike = (url, init) => {
    sent.push({ url, init });
    const answer = answers.shift();
    if (answer === undefined) throw new Error('no scripted answer left');
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { fetch, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const apiError = (status: number, code: string, message: string, details?: unknown) =>
  json(status, { error: { code, message, details } });

function client(answers: (Response | Error)[], token: string | null = 'tok-1') {
  const t = transport(...answers);
  const onUnauthorized = vi.fn<(error: ApiError) => void>();
  const api = createApiClient({
    baseUrl: 'http://api.test',
    fetch: t.fetch,
    getToken: () => token,
    onUnauthorized,
  });
  return { api, sent: t.sent, onUnauthorized };
}

const headerOf = (sent: Sent | undefined, name: string) => new Headers(sent?.init.headers).get(name);

describe('createApiClient', () => {
  it('sends the bearer token and JSON, and returns the parsed body', async () => {
    const { api, sent } = client([json(200, { ok: 1 })]);
    await expect(api.post('/api/admin/x', { a: 1 }, { query: { page: 2, q: '' } })).resolves.toEqual({
      ok: 1,
    });
    expect(sent[0]?.url).toBe('http://api.test/api/admin/x?page=2');
    expect(sent[0]?.init.method).toBe('POST');
    expect(sent[0]?.init.body).toBe('{"a":1}');
    expect(headerOf(sent[0], 'Authorization')).toBe('Bearer tok-1');
    expect(headerOf(sent[0], 'Content-Type')).toBe('application/json');
  });

  it('sends no Authorization header without a session', async () => {
    const { api, sent } = client([json(200, {})], null);
    await api.get('/api/admin/orders');
    expect(headerOf(sent[0], 'Authorization')).toBeNull();
  });

  it('hands a 401 on an authenticated call to onUnauthorized once, then throws it', async () => {
    const { api, onUnauthorized } = client([apiError(401, 'SESSION_EXPIRED', 'Session expired')]);
    const error = await api.get('/api/admin/orders').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'SESSION_EXPIRED', message: 'Session expired' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(onUnauthorized.mock.calls[0]?.[0]).toBe(error);
  });

  it('treats a 401 on a call without auth (sign-in) as an answer, not an expired session', async () => {
    const { api, sent, onUnauthorized } = client([
      apiError(401, 'INVALID_CREDENTIALS', 'Wrong username or password'),
    ]);
    await expect(
      api.post('/api/admin/session', { username: 'owner', password: 'x' }, { auth: false }),
    ).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(onUnauthorized).not.toHaveBeenCalled();
    expect(headerOf(sent[0], 'Authorization')).toBeNull();
  });

  it('does not call onUnauthorized for 403 and other errors', async () => {
    const { api, onUnauthorized } = client([
      apiError(403, 'FORBIDDEN', 'Owners only'),
      apiError(422, 'REFUND_EXCEEDS_PAID', 'Too much', { refundableFen: 500 }),
    ]);
    await expect(api.post('/r', {})).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await expect(api.post('/r', {})).rejects.toMatchObject({
      code: 'REFUND_EXCEEDS_PAID',
      details: { refundableFen: 500 },
    });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('reads Retry-After on a 429', async () => {
    const { api } = client([
      new Response(JSON.stringify({ error: { code: 'TOO_MANY_REQUESTS', message: 'Slow down' } }), {
        status: 429,
        headers: { 'Retry-After': '42' },
      }),
    ]);
    await expect(api.post('/api/admin/session', {}, { auth: false })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: 42,
    });
  });

  it('turns a network failure and a non-JSON error into typed errors', async () => {
    const { api, onUnauthorized } = client([
      new TypeError('fetch failed'),
      new Response('<html>bad gateway</html>', { status: 502 }),
      new Response('<html>who are you</html>', { status: 401 }),
    ]);
    await expect(api.get('/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    await expect(api.get('/x')).rejects.toMatchObject({ status: 502, code: 'BAD_RESPONSE' });
    // Even an unreadable 401 means the session is gone.
    await expect(api.get('/x')).rejects.toMatchObject({ status: 401, code: 'BAD_RESPONSE' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('refuses an unknown error code rather than trusting it', async () => {
    const { api } = client([apiError(500, 'SOMETHING_NEW', 'x')]);
    await expect(api.get('/x')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('answers undefined for 204', async () => {
    const { api } = client([new Response(null, { status: 204 })]);
    await expect(api.delete('/x')).resolves.toBeUndefined();
  });

  it('downloads a file as a Blob with its name', async () => {
    const { api, sent } = client([
      new Response('\uFEFForder_no\n1\n', {
        status: 200,
        headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="orders.csv"' },
      }),
    ]);
    const file = await api.download('/api/admin/orders/export.csv', { query: { status: 'PAID' } });
    expect(file.filename).toBe('orders.csv');
    expect(await file.blob.text()).toContain('order_no');
    expect(sent[0]?.url).toBe('http://api.test/api/admin/orders/export.csv?status=PAID');
    expect(headerOf(sent[0], 'Authorization')).toBe('Bearer tok-1');
  });
});

describe('asApiError', () => {
  it('passes an ApiError through and wraps anything else under the given code', () => {
    const refused = new ApiError(409, 'CONFLICT', 'taken');
    expect(asApiError(refused)).toBe(refused);
    expect(asApiError(new TypeError('boom'))).toMatchObject({
      status: 0,
      code: 'NETWORK_ERROR',
      message: 'boom',
    });
    expect(asApiError('odd', 'BAD_RESPONSE')).toMatchObject({
      status: 0,
      code: 'BAD_RESPONSE',
      message: 'odd',
    });
  });
});

describe('queryString', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(queryString(undefined)).toBe('');
    expect(queryString({ a: undefined, b: null, c: '', d: '  ' })).toBe('');
    expect(queryString({ q: '张三 & 1', page: 1, desc: false })).toBe(
      '?q=%E5%BC%A0%E4%B8%89+%26+1&page=1&desc=false',
    );
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds, an HTTP date, or the details', () => {
    const now = Date.parse('2026-11-21T00:00:00Z');
    expect(retryAfterSeconds('30', undefined, now)).toBe(30);
    expect(retryAfterSeconds('Sat, 21 Nov 2026 00:01:00 GMT', undefined, now)).toBe(60);
    expect(retryAfterSeconds(null, { retryAfterSeconds: 12.2 }, now)).toBe(13);
    expect(retryAfterSeconds('soon', undefined, now)).toBeNull();
    expect(retryAfterSeconds(null, null, now)).toBeNull();
  });
});

describe('dispositionFilename', () => {
  it('prefers the UTF-8 name', () => {
    expect(dispositionFilename(`attachment; filename="a.csv"; filename*=UTF-8''%E8%AE%A2%E5%8D%95.csv`)).toBe(
      '订单.csv',
    );
    expect(dispositionFilename('attachment; filename=b.csv')).toBe('b.csv');
    expect(dispositionFilename('attachment')).toBeNull();
    expect(dispositionFilename(null)).toBeNull();
  });
});
