import { describe, expect, it } from 'vitest';

import { readAdminConfig } from './config';

describe('readAdminConfig', () => {
  it('falls back to the build-time value when no runtime config is set', () => {
    expect(readAdminConfig(undefined)).toEqual({ apiBaseUrl: 'http://127.0.0.1:3000' });
  });

  it('lets the runtime config win and drops trailing slashes', () => {
    expect(readAdminConfig({ apiBaseUrl: 'https://api.example.test/' })).toEqual({
      apiBaseUrl: 'https://api.example.test',
    });
  });

  it('rejects a value that is not an absolute http(s) URL', () => {
    expect(() => readAdminConfig({ apiBaseUrl: 'api.example.test' })).toThrow(/apiBaseUrl must be/);
  });
});
