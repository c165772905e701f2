import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateRsaKeyPair, keyToBase64, loadPublicKey, publicKeyId } from '@shop/alipay';

/**
 * `pnpm keys:generate [--out DIR]`: a new RSA-2048 app key pair for production (Alipay's key tool makes the same
 * kind). The private key is written as PKCS#8 PEM, readable by its owner only (0600), beside the public key; the
 * public key is printed on one line in the bare base64 form Alipay's console takes (开发设置 → 接口加签方式 → 公钥),
 * with its key id. Files that exist are never overwritten.
 */

export interface GenerateIo {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = `Usage: pnpm keys:generate [--out DIR]

Writes a new RSA-2048 app key pair for Alipay: DIR/app-private.pem (PKCS#8, mode 0600) and DIR/app-public.pem
(default DIR: the current directory; created when missing; existing files are never overwritten), and prints the
public key as the one line of base64 to paste into Alipay's console. Point ALIPAY_APP_PRIVATE_KEY_FILE at the private
key once Alipay has the public key.

Exit codes: 0 written, 1 a file exists already or cannot be written, 2 bad usage.
`;

export function generateKeysCli(argv: readonly string[], cwd: string, io: GenerateIo): number {
  let out: string;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { out: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (values.out === '') throw new Error('--out needs a directory');
    out = resolve(cwd, values.out ?? '.');
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const pair = generateRsaKeyPair();
  const privateFile = resolve(out, 'app-private.pem');
  const publicFile = resolve(out, 'app-public.pem');
  try {
    mkdirSync(out, { recursive: true, mode: 0o700 });
    // `wx`: refuse to replace a key that may be the one in use.
    writeFileSync(privateFile, pair.privateKeyPem, { flag: 'wx', mode: 0o600 });
    // The mode given to writeFileSync passes through the umask; say it again so it is exactly 0600.
    chmodSync(privateFile, 0o600);
    writeFileSync(publicFile, pair.publicKeyPem, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.err(
      code === 'EEXIST'
        ? `${(error as NodeJS.ErrnoException).path ?? out} exists already; choose another --out.\n`
        : `could not write the keys: ${(error as Error).message}\n`,
    );
    return 1;
  }
  const publicKey = loadPublicKey(pair.publicKeyPem);
  io.out(
    `App private key: ${privateFile} (mode 0600; keep it secret, set ALIPAY_APP_PRIVATE_KEY_FILE to it)\n` +
      `App public key:  ${publicFile} (key id ${publicKeyId(publicKey)})\n\n` +
      `Paste this public key into Alipay's console (开发设置 → 接口加签方式):\n\n` +
      `${keyToBase64(publicKey)}\n`,
  );
  return 0;
}
