import { readFileSync } from 'node:fs';
import { Agent, fetch, type RequestInit, type Response } from 'undici';

/**
 * HTTP for the setup steps (signing buyers in, addresses, payments, the notify copies sent after a load); the loads
 * use autocannon. Behind the proxy the API is nginx's https origin with a throwaway certificate, which these requests
 * must trust.
 */

/** One run's client of the setup requests: its own connection pool, closed when the run's system stops. */
export interface HttpClient {
  fetch(url: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * undici's `fetch` on an `Agent` of its own, trusting `certificateFile` (a PEM file: the proxy's certificate) instead
 * of the public CAs when given. Nothing global: no `setGlobalDispatcher`, no NODE_EXTRA_CA_CERTS, so one run's
 * certificate never outlives it. (Its own Agent even without a certificate: undici 7's `fetch` would otherwise share
 * the global dispatcher with Node's bundled undici, a different major version.)
 */
export function createHttpClient(certificateFile: string | null): HttpClient {
  const agent = new Agent(certificateFile ? { connect: { ca: readFileSync(certificateFile, 'utf8') } } : {});
  return {
    fetch: (url, init) => fetch(url, { ...init, dispatcher: agent }),
    close: () => agent.close(),
  };
}

export interface JsonOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sends a JSON request and returns the parsed answer; any status other than `expected` throws with the body. */
export async function requestJson<T>(
  http: HttpClient,
  base: string,
  method: string,
  path: string,
  expected: number | readonly number[],
  options: JsonOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await http.fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const allowed = typeof expected === 'number' ? [expected] : expected;
  if (!allowed.includes(response.status)) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Runs `work` over `items` with at most `concurrency` in flight; results keep the items' order. A dozen lines, so the
 * setup steps need no p-map or p-limit.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
