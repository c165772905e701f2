import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand, type CommandRun } from '@shop/db/testing';
import { keyToBase64, loadPrivateKey, loadPublicKey, publicKeyId } from '@shop/alipay';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `pnpm keys:generate` as a process: a new app key pair on disk, the private key readable by its owner only, and the
 * public key printed on one line as Alipay's console takes it. It needs no database, so it runs once, on SQLite.
 */

const REPO_ROOT = resolve(import.meta.dirname, '../../../../..');
const dir = mkdtempSync(join(tmpdir(), 'shop-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generate(args: string[]): Promise<CommandRun> {
  return runCommand(
    resolve(REPO_ROOT, 'node_modules/.bin/tsx'),
    ['apps/api/src/cli/generate-keys.ts', ...args],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH },
    },
  );
}

describe('pnpm keys:generate', () => {
  it('writes a key pair, the private key 0600, and prints the public key as one base64 line', async () => {
    const out = join(dir, 'app-2027');
    const run = await generate(['--out', out]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const privateFile = join(out, 'app-private.pem');
    expect(statSync(privateFile).mode & 0o777).toBe(0o600);
    const privateKey = loadPrivateKey(readFileSync(privateFile, 'utf8'));
    expect(readFileSync(privateFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const publicKey = loadPublicKey(readFileSync(join(out, 'app-public.pem'), 'utf8'));
    expect(keyToBase64(publicKey)).toBe(keyToBase64(loadPublicKey(privateKey)));
    // The console's form: one line of base64, nothing else on it.
    const lines = run.out.split('\n');
    expect(lines).toContain(keyToBase64(publicKey));
    expect(lines.filter((line) => /^[A-Za-z0-9+/]{300,}={0,2}$/.test(line))).toHaveLength(1);
    expect(run.out).toContain(`key id ${publicKeyId(publicKey)}`);

    // A second run into the same folder refuses and keeps the key that may be in use.
    const before = readFileSync(privateFile, 'utf8');
    const again = await generate(['--out', out]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('exists already');
    expect(readFileSync(privateFile, 'utf8')).toBe(before);
  });

  it('refuses bad usage with exit code 2', async () => {
    const run = await generate(['--out']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('Usage: pnpm keys:generate');
    expect((await generate(['--force'])).code).toBe(2);
  });
});
