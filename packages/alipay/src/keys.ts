import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

/**
 * RSA key loading. Alipay's console hands out keys as bare base64 (PKCS#8 private keys for Java, PKCS#1 for
 * other languages; SPKI public keys); PEM files of either kind are common too. All of them load here, with
 * surrounding whitespace trimmed, into KeyObjects parsed once (parsing a PEM on every signature is slow).
 */

export class AlipayKeyError extends Error {
  override readonly name = 'AlipayKeyError';
}

export type KeyInput = string | Buffer | KeyObject;

const PEM_PATTERN = /^-----BEGIN ([A-Z ]+)-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END \1-----$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;

interface KeyText {
  label: string | null;
  der: Buffer;
}

function readKeyText(input: string | Buffer, what: string): KeyText {
  const text = (typeof input === 'string' ? input : input.toString('utf8')).trim();
  if (text === '') throw new AlipayKeyError(`${what} is empty`);
  const pem = PEM_PATTERN.exec(text);
  if (pem) {
    return { label: pem[1] ?? null, der: Buffer.from((pem[2] ?? '').replace(/\s+/g, ''), 'base64') };
  }
  const bare = text.replace(/\s+/g, '');
  if (BASE64_PATTERN.test(bare) && bare.length % 4 === 0) {
    return { label: null, der: Buffer.from(bare, 'base64') };
  }
  throw new AlipayKeyError(
    `${what} is neither a PEM block nor bare base64 (expected "-----BEGIN PRIVATE KEY-----", ` +
      `"-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN PUBLIC KEY-----" or the base64 text from the Alipay console)`,
  );
}

function assertRsa2048(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AlipayKeyError(
      `${what} must be an RSA key for RSA2, got ${key.asymmetricKeyType ?? 'unknown'}`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) {
    throw new AlipayKeyError(`${what} must be at least 2048 bits for RSA2, got ${bits}`);
  }
  return key;
}

function firstThatLoads<T>(attempts: Array<() => T>, fail: () => never): T {
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // try the next encoding
    }
  }
  return fail();
}

/** Loads an RSA private key from PKCS#8 PEM, PKCS#1 PEM, or bare base64 of either DER encoding. */
export function loadPrivateKey(input: KeyInput, what = 'private key'): KeyObject {
  if (typeof input === 'object' && !Buffer.isBuffer(input)) {
    if (input.type !== 'private')
      throw new AlipayKeyError(`${what} is a ${input.type} key, not a private key`);
    return assertRsa2048(input, what);
  }
  const { label, der } = readKeyText(input, what);
  if (label !== null && label !== 'PRIVATE KEY' && label !== 'RSA PRIVATE KEY') {
    throw new AlipayKeyError(`${what} is a PEM "${label}" block, expected PRIVATE KEY or RSA PRIVATE KEY`);
  }
  const pkcs8 = () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const pkcs1 = () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  const order = label === 'RSA PRIVATE KEY' ? [pkcs1, pkcs8] : [pkcs8, pkcs1];
  const key = firstThatLoads(order, () => {
    throw new AlipayKeyError(`${what} could not be parsed as a PKCS#8 or PKCS#1 RSA private key`);
  });
  return assertRsa2048(key, what);
}

/** Loads an RSA public key from SPKI PEM, PKCS#1 PEM, or bare base64 (Alipay's console shows SPKI base64). */
export function loadPublicKey(input: KeyInput, what = 'public key'): KeyObject {
  if (typeof input === 'object' && !Buffer.isBuffer(input)) {
    if (input.type === 'private') return assertRsa2048(createPublicKey(input), what);
    if (input.type !== 'public') throw new AlipayKeyError(`${what} is a ${input.type} key, not a public key`);
    return assertRsa2048(input, what);
  }
  const { label, der } = readKeyText(input, what);
  if (label !== null && label !== 'PUBLIC KEY' && label !== 'RSA PUBLIC KEY') {
    throw new AlipayKeyError(`${what} is a PEM "${label}" block, expected PUBLIC KEY or RSA PUBLIC KEY`);
  }
  const spki = () => createPublicKey({ key: der, format: 'der', type: 'spki' });
  const pkcs1 = () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  const order = label === 'RSA PUBLIC KEY' ? [pkcs1, spki] : [spki, pkcs1];
  const key = firstThatLoads(order, () => {
    throw new AlipayKeyError(`${what} could not be parsed as an SPKI or PKCS#1 RSA public key`);
  });
  return assertRsa2048(key, what);
}

export interface RsaKeyPairPem {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
}

/** A fresh RSA-2048 key pair, as Alipay's key tool generates (development identities, tests). */
export function generateRsaKeyPair(): RsaKeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** The bare base64 form Alipay's console shows for a key (the PEM body without armour or line breaks). */
export function keyToBase64(key: KeyObject): string {
  const der =
    key.type === 'private'
      ? key.export({ format: 'der', type: 'pkcs8' })
      : key.export({ format: 'der', type: 'spki' });
  return der.toString('base64');
}

const keyIds = new WeakMap<KeyObject, string>();

/**
 * A short, stable name for a public key (or a private key's public half): the first 8 hex digits of the SHA-256 of
 * its SPKI DER. Two keys are told apart by it in logs, the notify inbox and the admin without showing either; the
 * same key always has the same id, however it was written (PEM, bare base64, PKCS#1). Computed once per KeyObject.
 */
export function publicKeyId(key: KeyObject): string {
  let id = keyIds.get(key);
  if (id === undefined) {
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    const der = publicKey.export({ format: 'der', type: 'spki' });
    id = createHash('sha256').update(der).digest('hex').slice(0, 8);
    keyIds.set(key, id);
  }
  return id;
}
