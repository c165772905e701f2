import type Router from '@koa/router';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { buildOpenApiDocument, OPERATIONS, type OpenApiDocument } from './document';
import { openApiPath } from './operation';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});

afterAll(async () => {
  await sys?.close();
});

/** Every `METHOD /path` the API's routers register, read from the app the API builds (HEAD comes with GET). */
function registeredRoutes(): string[] {
  const app = createApp(sys.api.deps);
  const routes = new Set<string>();
  for (const middleware of app.middleware) {
    const router = (middleware as { router?: Router }).router;
    if (!router) continue;
    for (const layer of router.stack) {
      for (const method of layer.methods) {
        if (method !== 'HEAD') routes.add(`${method} ${openApiPath(String(layer.path))}`);
      }
    }
  }
  return [...routes].sort();
}

function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

describe('the OpenAPI document', () => {
  it('describes every route the routers register, and no route that is not registered', async () => {
    const registered = registeredRoutes();
    const res = await sys.request<OpenApiDocument>('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const documented = documentedRoutes(res.body);
    expect(registered.length).toBeGreaterThan(60);
    expect(
      registered.filter((route) => !documented.includes(route)),
      'routes without a description',
    ).toEqual([]);
    expect(
      documented.filter((route) => !registered.includes(route)),
      'descriptions without a route',
    ).toEqual([]);
    // One operation per route: a route described twice would hide one of the two descriptions.
    expect(new Set(OPERATIONS.map((o) => `${o.method} ${o.path}`)).size).toBe(OPERATIONS.length);
  });

  it('validates as OpenAPI 3.1, with every reference resolving', async () => {
    const res = await sys.request<OpenApiDocument>('GET', '/api/openapi.json');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(res.body as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    const refs = [...res.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((name) => !(name in res.body.components.schemas))).toEqual([]);
  });

  it('is refused as OpenAPI 3.1 when a response loses its description (the check can fail)', async () => {
    const broken = structuredClone(buildOpenApiDocument()) as unknown as Record<string, unknown> & {
      paths: Record<string, Record<string, { responses: Record<string, { description?: string }> }>>;
    };
    delete broken.paths['/api/orders/{id}']!.get!.responses['200']!.description;
    const result = await new Validator().validate(broken);
    expect(result.valid).toBe(false);
  });

  it('refuses query parameters, like every route', async () => {
    const res = await sys.request<{ error: { code: string } }>('GET', '/api/openapi.json?x=1');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
  });
});

describe('/api/docs', () => {
  it('is a page naming every operation, with no script, under the API content security policy', async () => {
    const res = await sys.request('GET', '/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src [^;]*'unsafe-inline'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.text).not.toMatch(/<script/i);
    expect(res.text).not.toMatch(/(src|href)="https?:/);
    for (const operation of OPERATIONS) {
      expect(res.text).toContain(`<code>${openApiPath(operation.path)}</code>`);
    }
    expect(res.text).toContain('id="schema-OrderView"');
  });
});
