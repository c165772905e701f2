import { describe, expect, it } from 'vitest';

import { customRoutes, loginUrl, PAGES, pageUrl, ROUTES, safeReturnPath } from './paths';

describe('safeReturnPath', () => {
  it.each([
    ['/orders', '/orders'],
    ['/orders/detail?id=abc', '/orders/detail?id=abc'],
    ['/orders/detail?id=abc&stamp=3', '/orders/detail?id=abc'],
    ['/reconciliation/report?date=2026-11-20', '/reconciliation/report?date=2026-11-20'],
  ])('keeps a page of this app: %s', (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    '',
    'orders',
    '//evil.example/orders',
    '/\\evil.example',
    'https://evil.example/orders',
    'javascript:alert(1)',
    '/login',
    '/login?redirect=/orders',
    '/nope',
    '/pages/orders/index',
  ])('sends anything else to the dashboard: %j', (input) => {
    expect(safeReturnPath(input)).toBe(PAGES.dashboard);
  });
});

describe('loginUrl', () => {
  it('carries the return path, encoded', () => {
    expect(loginUrl('/orders/detail?id=x1')).toBe('/login?redirect=%2Forders%2Fdetail%3Fid%3Dx1');
    expect(loginUrl(null)).toBe('/login');
    expect(loginUrl('/dashboard')).toBe('/login');
    expect(loginUrl('https://evil.example')).toBe('/login');
  });
});

describe('pageUrl and customRoutes', () => {
  it('builds page URLs and maps every source page to its clean URL', () => {
    expect(pageUrl('orderDetail', { id: 'o1', tab: '' })).toBe('/orders/detail?id=o1');
    expect(pageUrl('orders')).toBe('/orders');
    expect(customRoutes()['/pages/orders/detail']).toBe('/orders/detail');
    expect(new Set(Object.values(customRoutes())).size).toBe(Object.keys(PAGES).length);
  });
});

describe('the page list', () => {
  it('app.config.ts lists exactly the pages that routes.json maps, dashboard first', async () => {
    // app.config.ts calls Taro's build-time global; here it only has to hand the object back.
    (globalThis as { defineAppConfig?: (config: unknown) => unknown }).defineAppConfig = (config) => config;
    const { default: config } = (await import('../app.config')) as unknown as {
      default: { pages: string[] };
    };
    expect([...config.pages].sort()).toEqual(
      Object.values(ROUTES)
        .map(([source]) => source)
        .sort(),
    );
    expect(config.pages[0]).toBe(ROUTES.dashboard[0]);
  });
});
