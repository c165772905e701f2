import { describe, expect, it } from 'vitest';

import { readShopConfig } from './config';

describe('readShopConfig', () => {
  it('falls back to the build-time values when no runtime config is set', () => {
    expect(readShopConfig(undefined)).toEqual({
      apiBaseUrl: 'http://127.0.0.1:3000',
      sandboxUrl: 'http://127.0.0.1:3100',
      alipayAppId: '9021000000000001',
    });
  });

  it('lets the runtime config win field by field and drops trailing slashes', () => {
    expect(
      readShopConfig({ apiBaseUrl: 'https://api.example.test/', alipayAppId: '2021000000000042' }),
    ).toEqual({
      apiBaseUrl: 'https://api.example.test',
      sandboxUrl: 'http://127.0.0.1:3100',
      alipayAppId: '2021000000000042',
    });
  });

  it('ignores empty runtime values', () => {
    expect(readShopConfig({ apiBaseUrl: '  ', sandboxUrl: '' }).apiBaseUrl).toBe('http://127.0.0.1:3000');
  });

  it('rejects a value that is not an absolute http(s) URL', () => {
    expect(() => readShopConfig({ apiBaseUrl: '/api' })).toThrow(/apiBaseUrl must be an http\(s\) URL/);
  });

  it('rejects an app id that is not 16 digits', () => {
    expect(() => readShopConfig({ alipayAppId: 'app' })).toThrow(/alipayAppId must be 16 digits/);
  });
});
