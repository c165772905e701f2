import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config';
import { REPO_ROOT, SandboxEnv } from './env';

describe('sandbox configuration', () => {
  it('defaults to the development identities and the repo-root .data folder', () => {
    const config = resolveConfig(SandboxEnv.parse({}));
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3100,
      dataDir: join(REPO_ROOT, '.data'),
      dbFile: join(REPO_ROOT, '.data', 'sandbox.db'),
      timeScale: 1,
      feeRateBps: 60,
      billsSameDay: false,
      appId: '9021000000000001',
      alipayPrivateKeyFile: undefined,
    });
  });

  it('reads the environment, and options override it', () => {
    const env = SandboxEnv.parse({
      SANDBOX_PORT: '4100',
      SANDBOX_TIME_SCALE: '0.001',
      SANDBOX_BILLS_SAME_DAY: 'true',
      SANDBOX_DB_FILE: '/var/sandbox.db',
      SANDBOX_PUBLIC_URL: 'http://sandbox.test:8080/',
    });
    expect(resolveConfig(env)).toMatchObject({
      port: 4100,
      timeScale: 0.001,
      billsSameDay: true,
      dbFile: '/var/sandbox.db',
      publicUrl: 'http://sandbox.test:8080',
    });
    expect(resolveConfig(env, { port: 0, timeScale: 1 })).toMatchObject({ port: 0, timeScale: 1 });
  });

  it('keeps a sandbox with its own dataDir self-contained', () => {
    const env = SandboxEnv.parse({
      SANDBOX_DB_FILE: '/var/sandbox.db',
      SANDBOX_ALIPAY_PRIVATE_KEY_FILE: '/k.pem',
    });
    expect(resolveConfig(env, { dataDir: '/tmp/x' })).toMatchObject({
      dbFile: '/tmp/x/sandbox.db',
      alipayPrivateKeyFile: undefined,
    });
  });

  it('rejects bad values with the variable named', () => {
    expect(SandboxEnv.safeParse({ SANDBOX_PORT: 'abc' }).success).toBe(false);
    expect(SandboxEnv.safeParse({ SANDBOX_TIME_SCALE: '0' }).success).toBe(false);
    expect(SandboxEnv.safeParse({ SANDBOX_PUBLIC_URL: 'ftp://x' }).success).toBe(false);
    expect(SandboxEnv.parse({ SANDBOX_PORT: '' }).SANDBOX_PORT).toBeUndefined();
    expect(() => resolveConfig(SandboxEnv.parse({}), { feeRateBps: 1.5 })).toThrow(RangeError);
  });
});
