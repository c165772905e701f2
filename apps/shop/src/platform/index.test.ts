import { afterEach, describe, expect, it, vi } from 'vitest';

// platform/index.ts is the one place that chooses by build target (buildEnv.platform, i.e. TARO_ENV).
afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
  vi.doUnmock('../env');
});

async function loadFor(target: 'alipay' | 'h5') {
  vi.doMock('../env', () => ({
    buildEnv: {
      platform: target,
      apiBaseUrl: 'http://127.0.0.1:3000',
      sandboxUrl: 'http://127.0.0.1:3100',
      alipayAppId: '9021000000000001',
    },
  }));
  return (await import('./index')).platform;
}

describe('choosing the platform', () => {
  it('uses my.getAuthCode on alipay', async () => {
    const getAuthCode = vi.fn((o: { success: (r: { authCode: string }) => void }) =>
      o.success({ authCode: 'from-my' }),
    );
    vi.stubGlobal('my', { getAuthCode, tradePay: vi.fn() });
    const platform = await loadFor('alipay');
    await expect(platform.getAuthCode()).resolves.toBe('from-my');
    expect(getAuthCode).toHaveBeenCalledTimes(1);
  });

  it('uses the sandbox authorize page on h5', async () => {
    const assign = vi.fn();
    const store = new Map<string, string>();
    vi.stubGlobal('window', {
      location: { origin: 'http://shop.test', pathname: '/', search: '', assign, reload: vi.fn() },
      history: { state: null, replaceState: vi.fn() },
      sessionStorage: {
        getItem: (k: string) => store.get(k) ?? null,
        setItem: (k: string, v: string) => void store.set(k, v),
        removeItem: (k: string) => void store.delete(k),
      },
      addEventListener: vi.fn(),
    });
    const platform = await loadFor('h5');
    void platform.getAuthCode();
    expect(String(assign.mock.calls[0]?.[0])).toMatch(
      /^http:\/\/127\.0\.0\.1:3100\/oauth\/authorize\?app_id=9021000000000001&scope=auth_base&/,
    );
  });
});
