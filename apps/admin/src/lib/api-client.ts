import { type ErrorCode, isErrorCode } from '@shop/contract';

/**
 * The admin's HTTP client: JSON in and out, `Authorization: Bearer` from the session, the API's error shape
 * (`{error: {code, message, details}}`) turned into an `ApiError`, and a 401 on an authenticated call handed to
 * `onUnauthorized` (the app clears the session and goes to sign-in with a return path). The transport is injected
 * so that the rules can be tested in Node without a server.
 */

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The API's codes, plus two for failures that never reached a JSON answer. */
export type ApiErrorCode = ErrorCode | 'NETWORK_ERROR' | 'BAD_RESPONSE';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: unknown = undefined,
    /** Seconds to wait before retrying (429 `Retry-After`), when the server said. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/**
 * A caught value as an ApiError, so every failure shows the same way. The client throws ApiErrors itself; anything
 * else is a fault on this side of the wire, reported under `code`: NETWORK_ERROR for a submission (the request may
 * not have gone out), BAD_RESPONSE for a page load (see use-api.ts).
 */
export function asApiError(
  cause: unknown,
  code: Extract<ApiErrorCode, 'NETWORK_ERROR' | 'BAD_RESPONSE'> = 'NETWORK_ERROR',
): ApiError {
  if (cause instanceof ApiError) return cause;
  return new ApiError(0, code, cause instanceof Error ? cause.message : String(cause));
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue> | URLSearchParams;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** false for calls made without a session (sign-in): their 401 is an answer, not an expired session. */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  baseUrl: string;
  fetch: FetchLike;
  getToken: () => string | null;
  /** Called once per refused authenticated call, before the error is thrown. */
  onUnauthorized: (error: ApiError) => void;
}

export interface Download {
  blob: Blob;
  /** From `Content-Disposition`, when the server named the file. */
  filename: string | null;
}

/** Builds `?a=1&b=2`, leaving out undefined, null and blank values ('' or whitespace). */
export function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  const entries = query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query);
  for (const [key, value] of entries) {
    if (value === undefined || value === null) continue;
    const text = String(value);
    if (text.trim() === '') continue;
    params.append(key, text);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3); the API also puts seconds in its details. */
export function retryAfterSeconds(
  header: string | null,
  details: unknown,
  now: number = Date.now(),
): number | null {
  if (header !== null && header.trim() !== '') {
    const text = header.trim();
    if (/^\d+$/.test(text)) return Number(text);
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now) / 1000));
  }
  if (typeof details === 'object' && details !== null && 'retryAfterSeconds' in details) {
    const value: unknown = details.retryAfterSeconds;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  return null;
}

/** The file name in `Content-Disposition` (`filename*=UTF-8''...` first, then `filename="..."`). */
export function dispositionFilename(header: string | null): string | null {
  if (header === null) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1] !== undefined) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // A malformed escape: fall back to the plain parameter below.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;\s]+)/i.exec(header);
  return plain?.[1] ?? plain?.[2] ?? null;
}

async function errorFrom(response: Response): Promise<ApiError> {
  const retry = (details: unknown) => retryAfterSeconds(response.headers.get('Retry-After'), details);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return new ApiError(
      response.status,
      'BAD_RESPONSE',
      `服务器返回了无法识别的应答（HTTP ${response.status}）`,
    );
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && isErrorCode(error.code)) {
    const message = typeof error.message === 'string' ? error.message : error.code;
    return new ApiError(response.status, error.code, message, error.details, retry(error.details));
  }
  return new ApiError(
    response.status,
    'BAD_RESPONSE',
    `服务器返回了无法识别的应答（HTTP ${response.status}）`,
  );
}

export interface ApiClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  delete<T>(path: string, options?: RequestOptions): Promise<T>;
  /** A file (CSV export): fetched with the bearer token, returned as a Blob to save. */
  download(path: string, options?: RequestOptions): Promise<Download>;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  async function send(method: string, path: string, request: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    const auth = request.auth ?? true;
    const token = auth ? options.getToken() : null;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    let body: string | Blob | undefined;
    if (request.body instanceof Blob) {
      // A file (a product photo): its bytes as they are; the API reads the type from them.
      headers['Content-Type'] = request.body.type || 'application/octet-stream';
      body = request.body;
    } else if (request.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    let response: Response;
    try {
      response = await options.fetch(`${options.baseUrl}${path}${queryString(request.query)}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络后重试', cause);
    }
    if (response.ok) return response;
    const error = await errorFrom(response);
    // Only a call that carried a session can find it expired; a refused sign-in is the sign-in page's business.
    if (response.status === 401 && auth) options.onUnauthorized(error);
    throw error;
  }

  async function request<T>(method: string, path: string, request: RequestOptions = {}): Promise<T> {
    const response = await send(method, path, request);
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError(response.status, 'BAD_RESPONSE', '服务器返回了无法识别的应答');
    }
  }

  return {
    request,
    get: (path, o) => request('GET', path, o),
    post: (path, body, o) => request('POST', path, { ...o, body }),
    put: (path, body, o) => request('PUT', path, { ...o, body }),
    patch: (path, body, o) => request('PATCH', path, { ...o, body }),
    delete: (path, o) => request('DELETE', path, o),
    async download(path, o = {}) {
      const response = await send('GET', path, { ...o, headers: { Accept: '*/*', ...o.headers } });
      return {
        blob: await response.blob(),
        filename: dispositionFilename(response.headers.get('Content-Disposition')),
      };
    },
  };
}
