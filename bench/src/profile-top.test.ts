import { describe, expect, it } from 'vitest';
import { ownerOf, summariseProfile } from './profile-top';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

describe('summariseProfile', () => {
  it('adds up self time per function and per package from the samples', () => {
    const summary = summariseProfile({
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 3] },
        {
          id: 2,
          callFrame: frame(
            'performIO',
            '/w/node_modules/.pnpm/a@1/node_modules/@prisma/adapter/dist/index.mjs',
          ),
        },
        { id: 3, callFrame: frame('placeOrder', 'file:///work/main/apps/api/src/modules/order/service.ts') },
      ],
      samples: [2, 2, 3, 2],
      timeDeltas: [1000, 1000, 2000, 1000],
    });
    expect(summary.total).toBe(5);
    expect(summary.byOwner.map((l) => [l.name, l.selfMs])).toEqual([
      ['@prisma/adapter', 3],
      ['apps/api', 2],
    ]);
    expect(summary.byFunction[0]).toMatchObject({ selfMs: 3, share: 0.6 });
    expect(summary.byFunction[0]!.name).toContain('performIO');
  });
});

describe('ownerOf', () => {
  it('names the package, node itself, native code or the workspace folder', () => {
    expect(ownerOf('/x/node_modules/.pnpm/koa@3.3.0/node_modules/koa/lib/application.js')).toBe('koa');
    expect(ownerOf('/x/node_modules/.pnpm/@koa+router@15/node_modules/@koa/router/lib/router.js')).toBe(
      '@koa/router',
    );
    expect(ownerOf('node:internal/http')).toBe('node');
    expect(ownerOf('')).toBe('(native / V8)');
    expect(ownerOf('file:///work/main/packages/alipay/src/sign.ts')).toBe('packages/alipay');
  });
});
