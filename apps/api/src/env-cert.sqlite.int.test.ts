import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from './env';
import { startTestSystem, type TestSystem } from './testing/harness';

/**
 * Certificate mode's configuration (env.ts), with real certificates the sandbox issued for the development app, as
 * Alipay's console does: inline or by file, all three or none, never beside ALIPAY_PUBLIC_KEY, each one a
 * certificate. Only env parsing: it runs once, on SQLite.
 */

let sys: TestSystem;
let dir: string;

beforeAll(async () => {
  sys = await startTestSystem({ alipayMode: 'certificate' });
  dir = mkdtempSync(join(tmpdir(), 'shop-cert-env-'));
});
afterAll(async () => {
  await sys.close();
  rmSync(dir, { recursive: true, force: true });
});

function problems(env: Record<string, string>): string {
  try {
    loadEnv({ NODE_ENV: 'test', DATA_DIR: dir, ...env });
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('certificate mode settings', () => {
  it('the three certificates inline, or as files, give certificate mode', () => {
    const inline = loadEnv({ NODE_ENV: 'test', DATA_DIR: dir, ...sys.alipayEnv });
    expect(inline.ALIPAY_CERTIFICATES?.appCert).toBe(sys.alipayEnv.ALIPAY_APP_CERT);
    const files: Record<string, string> = {};
    for (const [name, pem] of Object.entries(sys.alipayEnv)) {
      const file = join(dir, `${name}.crt`);
      writeFileSync(file, pem);
      files[`${name}_FILE`] = file;
    }
    const byFile = loadEnv({ NODE_ENV: 'test', DATA_DIR: dir, ...files });
    expect(byFile.ALIPAY_CERTIFICATES).toEqual(inline.ALIPAY_CERTIFICATES);
    expect(loadEnv({ NODE_ENV: 'test', DATA_DIR: dir }).ALIPAY_CERTIFICATES).toBeUndefined();
    // The API started that way talks to the sandbox in certificate mode.
    expect(sys.api.deps.alipay.mode).toBe('certificate');
  });

  it('refuses each mistake with the variable’s name', () => {
    const { ALIPAY_APP_CERT, ALIPAY_PUBLIC_CERT, ALIPAY_ROOT_CERT } = sys.alipayEnv;
    expect(problems({ ALIPAY_APP_CERT: ALIPAY_APP_CERT! })).toMatch(
      /ALIPAY_PUBLIC_CERT\(_FILE\): certificate mode needs all three certificates; missing ALIPAY_PUBLIC_CERT\(_FILE\), ALIPAY_ROOT_CERT\(_FILE\)/,
    );
    expect(problems({ ...sys.alipayEnv, ALIPAY_APP_CERT_FILE: join(dir, 'x.crt') })).toMatch(
      /ALIPAY_APP_CERT: set ALIPAY_APP_CERT or ALIPAY_APP_CERT_FILE, not both/,
    );
    expect(
      problems({
        ALIPAY_PUBLIC_CERT: ALIPAY_PUBLIC_CERT!,
        ALIPAY_ROOT_CERT: ALIPAY_ROOT_CERT!,
        ALIPAY_APP_CERT_FILE: join(dir, 'missing.crt'),
      }),
    ).toMatch(/ALIPAY_APP_CERT_FILE: no such file: .*missing\.crt/);
    expect(problems({ ...sys.alipayEnv, ALIPAY_PUBLIC_KEY: 'MIIB' })).toMatch(
      /ALIPAY_PUBLIC_KEY: certificate mode takes Alipay's key from ALIPAY_PUBLIC_CERT/,
    );
    expect(problems({ ...sys.alipayEnv, ALIPAY_ROOT_CERT: 'not a certificate' })).toMatch(
      /ALIPAY_ROOT_CERT: /,
    );
    // Alipay's key rotates with its certificate's SN in this mode; a second public key has no place (Rotating keys).
    expect(problems({ ...sys.alipayEnv, ALIPAY_PUBLIC_KEY_NEXT: 'MIIB' })).toMatch(
      /ALIPAY_PUBLIC_KEY_NEXT: certificate mode rotates Alipay's key through its certificate/,
    );
  });

  it('satisfies production’s need for Alipay’s key', () => {
    const production = {
      NODE_ENV: 'production',
      DATA_DIR: dir,
      ALIPAY_APP_PRIVATE_KEY: 'x',
      ADDRESS_ENCRYPTION_KEYS: 'k:x',
      API_PUBLIC_URL: 'https://shop.example.com',
    };
    expect(problems(production)).toMatch(/ALIPAY_PUBLIC_KEY\(_FILE\) or the three certificates/);
    expect(problems({ ...production, ...sys.alipayEnv })).toBe('');
  });
});
