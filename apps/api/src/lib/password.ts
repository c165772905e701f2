import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing for merchant accounts with node:crypto's scrypt, which is memory-hard (each guess costs
 * 128 * N * r bytes of RAM as well as CPU), so no native addon is needed. Parameters follow OWASP's Password Storage
 * Cheat Sheet, which lists N=2^15, r=8, p=3 as equal in strength to N=2^17, r=8, p=1 with a quarter of the memory per
 * attempt (32 MiB instead of 128 MiB): https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
 *
 * Stored as one PHC-style string carrying everything needed to verify it later, so the parameters can be raised
 * without breaking existing hashes: `$scrypt$ln=15,r=8,p=3$<salt base64url>$<hash base64url>`.
 */

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { ln: 15, r: 8, p: 3 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const FORMAT =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/;

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = {
    N,
    r: params.r,
    p: params.p,
    // scrypt needs 128 * N * r bytes; Node refuses anything above maxmem (32 MiB by default), so allow some room.
    maxmem: 256 * N * params.r,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, params, HASH_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } {
  const match = FORMAT.exec(stored);
  if (!match) throw new Error('stored password hash is not in the $scrypt$ format');
  const [, ln, r, p, salt, hash] = match;
  const params = { ln: Number(ln), r: Number(r), p: Number(p) };
  // Bounds keep a corrupted or hostile row from asking for gigabytes of memory or minutes of CPU.
  if (params.ln < 10 || params.ln > 20 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) {
    throw new Error('stored password hash has out-of-range scrypt parameters');
  }
  return { params, salt: Buffer.from(salt!, 'base64url'), hash: Buffer.from(hash!, 'base64url') };
}

/**
 * True when `password` matches `stored`. The comparison is constant-time (timingSafeEqual on equal-length buffers);
 * a malformed stored hash is a fault and throws rather than reading as a wrong password.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { params, salt, hash } = parse(stored);
  const candidate = await derive(password, salt, params, hash.length);
  return timingSafeEqual(candidate, hash);
}

/** True when a stored hash uses weaker parameters than today's, so a successful sign-in should re-hash. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const current = parse(stored).params;
  return (
    2 ** current.ln * current.r * current.p < 2 ** params.ln * params.r * params.p || current.r !== params.r
  );
}
