import { ERROR_CODES, isErrorCode, type ErrorBody } from '@shop/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { JsonResponse, RequestOptions, TestSystem } from './harness';

/**
 * The bad-input suites of the shop and admin APIs: each lists its endpoints, and every endpoint, fed malformed,
 * oversized, wrongly typed, incomplete and unexpected input, must answer a 4xx with an error code from the closed
 * list (never a 5xx). The checks below are the same for both APIs; what differs is passed in.
 */

export interface Endpoint {
  name: string;
  method: string;
  /** The path with valid ids, or with `id` in place of its first path parameter. */
  path: (id?: string) => string;
  /** False for the endpoints that sign in (and the shop's public reads). */
  auth: boolean;
  /** The body schema (absent for endpoints without a body), a valid body, and wrongly typed / incomplete ones. */
  body?: {
    schema: z.ZodType;
    valid: () => unknown;
    /** Built when the tests run, once the ids exist. */
    wrong: () => unknown[];
  };
  hasPathId?: boolean;
}

/** What a suite runs against; both are known only once its `beforeAll` has run. */
export interface BadInputTarget {
  sys: () => TestSystem;
  /** The token sent to endpoints with `auth`. */
  token: () => string;
}

export type CallOptions = RequestOptions & { path?: string; query?: string };

/** Properties run this many cases (list queries twice as many). */
export const RUNS = 40;

/** Ids that must never reach the database: wrong characters, too long, traversal, encoded slashes, NUL. */
export const BAD_IDS = [
  'a b',
  'x'.repeat(65),
  '%00',
  'a%2Fb',
  '..%2F..%2Fetc',
  encodeURIComponent('中文编号'),
  encodeURIComponent("1' OR '1'='1"),
  encodeURIComponent('<script>'),
  'a.b',
  '%E0%A4%A',
];

/** Malformed JSON, JSON that is not an object, and nesting deep enough to hurt a recursive parser. */
const MALFORMED_JSON = [
  '{"quantity":',
  '{"a":',
  '{quantity: 1}',
  "{'a': 1}",
  '{"a":1}}',
  '[]',
  '"text"',
  '123',
  'null',
  'true',
  '\u0000',
  '[{"a":1}]',
  ...[3000, 5000].map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  '{"__proto__": {"isAdmin": true}}',
];

const OTHER_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
];

/** A 4xx whose code is on the closed list and matches its status; `status` and `code` when given. */
export function expectRefused(
  res: JsonResponse<unknown>,
  label: string,
  status?: number,
  code?: string,
): void {
  expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, label).toBeLessThan(500);
  const body = res.body as ErrorBody;
  expect(isErrorCode(body?.error?.code), `${label}: ${res.text.slice(0, 300)}`).toBe(true);
  expect(ERROR_CODES[body.error.code], label).toBe(res.status);
  if (status !== undefined) expect(res.status, label).toBe(status);
  if (code !== undefined) expect(body.error.code, label).toBe(code);
}

const jsonType = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** The valid body with one field at a time replaced by a value of every other JSON type. */
export const wrongTypes = (valid: Record<string, unknown>) =>
  Object.entries(valid).flatMap(([key, current]) =>
    [null, 12345, 'text', true, [], {}]
      .filter((value) => jsonType(value) !== jsonType(current))
      .map((value) => ({ ...valid, [key]: value })),
  );

/** Calls `endpoint` (at `options.path` when given, plus `options.query`), with the target's token when it needs one. */
export function callEndpoint(target: BadInputTarget, endpoint: Endpoint, options: CallOptions = {}) {
  return target.sys().request(endpoint.method, `${options.path ?? endpoint.path()}${options.query ?? ''}`, {
    ...(endpoint.auth ? { token: target.token() } : {}),
    ...options,
  });
}

const title = (endpoint: Endpoint) => `${endpoint.method} ${endpoint.path('{id}')}`;

export interface EndpointChecks {
  /** A query parameter the API knows, given twice (`?limit=1&limit=2`). */
  repeatedQuery: string;
  /** Authorization headers (undefined: none) every endpoint with `auth` refuses with 401. */
  refusedAuthorizations?: Array<string | undefined>;
}

/** A `describe` per endpoint: query parameters, path ids, raw bodies, content types and fields it must refuse. */
export function describeEndpointChecks(
  endpoints: Endpoint[],
  target: BadInputTarget,
  checks: EndpointChecks,
) {
  const call = (endpoint: Endpoint, options?: CallOptions) => callEndpoint(target, endpoint, options);
  const validBody = (endpoint: Endpoint) => (endpoint.body ? { body: endpoint.body.valid() } : {});

  for (const endpoint of endpoints) {
    describe(`${title(endpoint)} (${endpoint.name})`, () => {
      const authorizations = checks.refusedAuthorizations;
      if (endpoint.auth && authorizations) {
        it('refuses a missing, malformed or unknown token with 401', async () => {
          for (const authorization of authorizations) {
            const res = await target.sys().request(endpoint.method, endpoint.path(), {
              headers: authorization ? { authorization } : {},
              ...validBody(endpoint),
            });
            expectRefused(res, `auth ${authorization}`, 401);
          }
        });
      }

      it('refuses unknown and repeated query parameters', async () => {
        for (const query of ['?unexpected=1', '?__proto__=x', '?constructor=1', checks.repeatedQuery]) {
          const res = await call(endpoint, { query, ...validBody(endpoint) });
          expectRefused(res, query, 400, 'VALIDATION_ERROR');
        }
      });

      if (endpoint.hasPathId) {
        it('refuses malformed path ids with 400', async () => {
          for (const id of BAD_IDS) {
            const res = await call(endpoint, { path: endpoint.path(id), ...validBody(endpoint) });
            expectRefused(res, id, 400, 'VALIDATION_ERROR');
          }
        });
      }

      const body = endpoint.body;
      if (body) {
        it('refuses malformed JSON, non-object JSON and deep nesting with 400', async () => {
          for (const rawBody of MALFORMED_JSON) {
            const res = await call(endpoint, { rawBody, contentType: 'application/json' });
            expectRefused(res, rawBody.slice(0, 40), 400, 'VALIDATION_ERROR');
          }
        });

        it('refuses oversized bodies with 413', async () => {
          const huge = JSON.stringify({ ...(body.valid() as object), pad: 'x'.repeat(70 * 1024) });
          const res = await call(endpoint, { rawBody: huge, contentType: 'application/json' });
          expectRefused(res, 'oversized', 413, 'PAYLOAD_TOO_LARGE');
        });

        it('refuses other content types with 415', async () => {
          for (const contentType of OTHER_CONTENT_TYPES) {
            const res = await call(endpoint, { rawBody: JSON.stringify(body.valid()), contentType });
            expectRefused(res, contentType, 415, 'UNSUPPORTED_MEDIA_TYPE');
          }
        });

        it('refuses wrongly typed, missing and unknown fields with 400 naming them', async () => {
          for (const bad of [...body.wrong(), { ...(body.valid() as object), unexpected: 1 }]) {
            expect(body.schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
            const res = await call(endpoint, { body: bad });
            expectRefused(res, JSON.stringify(bad).slice(0, 120), 400, 'VALIDATION_ERROR');
            expect((res.body as ErrorBody).error.details, JSON.stringify(bad)).toHaveProperty('fields');
          }
        });
      }
    });
  }
}

/** Keys and values, besides the valid body's own, that generated bodies mix up. */
export interface BodyMix {
  keys: string[];
  /** Read when the tests run, once the ids exist. */
  values: () => unknown[];
}

/** An `it` per endpoint with a body: any JSON body its schema refuses is a 400, from random values and mixed keys. */
export function describeBodyProperties(endpoints: Endpoint[], target: BadInputTarget, mix: BodyMix) {
  for (const endpoint of endpoints) {
    const body = endpoint.body;
    if (!body) continue;
    it(`${title(endpoint)}: any body the contract refuses is a 400`, async () => {
      const sample = body.valid() as Record<string, unknown>;
      const keys = [...Object.keys(sample), ...mix.keys];
      const fieldValue = fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constantFrom(...Object.values(sample), ...mix.values()),
      );
      const mixed = fc.dictionary(fc.constantFrom(...keys), fieldValue, { maxKeys: keys.length });
      const invalid = fc
        .oneof(fc.jsonValue({ maxDepth: 3 }), mixed)
        .filter((b) => !body.schema.safeParse(b).success);
      await fc.assert(
        fc.asyncProperty(invalid, async (bad) => {
          const res = await callEndpoint(target, endpoint, {
            rawBody: JSON.stringify(bad),
            contentType: 'application/json',
          });
          expectRefused(res, JSON.stringify(bad).slice(0, 200), 400, 'VALIDATION_ERROR');
        }),
        { numRuns: RUNS },
      );
    });
  }
}

/** Query strings of up to `maxKeys` parameters, named from `keys` or at random, with values from `values`. */
export const queryArb = (keys: string[], values: fc.Arbitrary<string>, maxKeys: number) =>
  fc.dictionary(
    fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })).filter((k) => k !== '__proto__'),
    values,
    { maxKeys },
  );

/**
 * A list answers every generated query: 200 when `usable` (the contract's schema, and whatever else the API checks)
 * accepts it, otherwise 400 VALIDATION_ERROR.
 */
export function checkListQueries(
  list: (search: string) => Promise<JsonResponse<unknown>>,
  queries: fc.Arbitrary<Record<string, string>>,
  usable: (query: Record<string, string>) => boolean,
): Promise<void> {
  return fc.assert(
    fc.asyncProperty(queries, async (query) => {
      const res = await list(new URLSearchParams(query).toString());
      if (usable(query)) expect(res.status, JSON.stringify(query)).toBe(200);
      else expectRefused(res, JSON.stringify(query), 400, 'VALIDATION_ERROR');
    }),
    { numRuns: RUNS * 2 },
  );
}
