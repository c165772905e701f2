import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for personal fields at rest (phone, street detail). Each value is stored as
 * `<keyId>:<base64(iv | ciphertext | tag)>`, so keys can rotate: the first key encrypts, every listed key decrypts,
 * and old rows stay readable until re-encrypted.
 */
export class FieldCipher {
  readonly #keys: Map<string, Buffer>;
  readonly #currentId: string;

  constructor(keys: ReadonlyArray<{ id: string; key: Buffer }>) {
    const first = keys[0];
    if (!first) throw new Error('at least one encryption key is required');
    for (const { id, key } of keys) {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id))
        throw new Error(`encryption key id ${JSON.stringify(id)} is invalid`);
      if (key.length !== 32) throw new Error(`encryption key ${id} must be 32 bytes, got ${key.length}`);
    }
    this.#keys = new Map(keys.map(({ id, key }) => [id, key]));
    this.#currentId = first.id;
  }

  /** Parses `keyId:base64,keyId2:base64` (ADDRESS_ENCRYPTION_KEYS). */
  static fromSpec(spec: string): FieldCipher {
    const keys = spec
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const colon = part.indexOf(':');
        if (colon <= 0) throw new Error('ADDRESS_ENCRYPTION_KEYS entries must look like keyId:base64key');
        return { id: part.slice(0, colon), key: Buffer.from(part.slice(colon + 1), 'base64') };
      });
    return new FieldCipher(keys);
  }

  get currentKeyId(): string {
    return this.#currentId;
  }

  /** Every configured key id, the current (encrypting) one first. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** The key id a stored value names (the text before its first colon; empty when it names none). */
  static keyIdOf(stored: string): string {
    const colon = stored.indexOf(':');
    return colon <= 0 ? '' : stored.slice(0, colon);
  }

  encrypt(plain: string): string {
    const key = this.#keys.get(this.#currentId) as Buffer;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${this.#currentId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64')}`;
  }

  decrypt(stored: string): string {
    const colon = stored.indexOf(':');
    const keyId = stored.slice(0, colon);
    const key = this.#keys.get(keyId);
    if (colon <= 0 || !key) throw new Error(`no decryption key for key id ${JSON.stringify(keyId)}`);
    const raw = Buffer.from(stored.slice(colon + 1), 'base64');
    if (raw.length < 28) throw new Error('ciphertext is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  }
}
