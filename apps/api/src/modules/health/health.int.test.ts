import type { ErrorBody } from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../testing/harness';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys.close());

describe('GET /healthz', () => {
  it('answers ok once the database answers', async () => {
    const res = await sys.request<{ status: string; time: string }>('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(Number.isNaN(Date.parse(res.body.time))).toBe(false);
  });
});

describe('GET /api/ping', () => {
  it('answers { ok: true } through the whole middleware stack', async () => {
    const res = await sys.request<{ ok: boolean }>('GET', '/api/ping', {
      headers: { 'x-request-id': 'ping-1' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    // Set by the request-context and security middleware, so the route is measured with everything in front of it.
    expect(res.headers.get('x-request-id')).toBe('ping-1');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('refuses query parameters like every other route', async () => {
    const res = await sys.request<ErrorBody>('GET', '/api/ping?x=1');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
  });
});
