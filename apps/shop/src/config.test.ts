import { describe, expect, it } from 'vitest';

import { readShopConfig } from './config';

describe('readShopConfig', () => {
  it('falls back to the build-time values when no runtime config is set', () => {
    expect(readShopConfig(undefined)).toEqual({
      apiBaseUrl: 'http://127.0.0.1:3000',
      sandboxUrl: 'http://127.0.0.1:3100',
    });
  });

  it('lets the runtime config win field by field and drops trailing slashes', () => {
    expect(readShopConfig({ apiBaseUrl: 'https://api.example.test/' })).toEqual({
      apiBaseUrl: 'https://api.example.test',
      sandboxUrl: 'http://127.0.0.1:3100',
    });
  });

  it('ignores empty runtime values', () => {
    expect(readShopConfig({ apiBaseUrl: '  ', sandboxUrl: '' }).apiBaseUrl).toBe('http://127.0.0.1:3000');
  });

  it('rejects a value that is not an absolute http(s) URL', () => {
    expect(() => readShopConfig({ apiBaseUrl: '/api' })).toThrow(/apiBaseUrl must be an http\(s\) URL/);
  });
});
