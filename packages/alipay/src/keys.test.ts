import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AlipayKeyError, generateRsaKeyPair, keyToBase64, loadPrivateKey, loadPublicKey } from './keys';
import { signRsa2, signRsa2Async, verifyRsa2 } from './sign';

const { privateKeyPem, publicKeyPem } = generateRsaKeyPair();
const privateKey = loadPrivateKey(privateKeyPem);
const pkcs1PrivatePem = privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
const pkcs8Base64 = keyToBase64(privateKey);
const pkcs1Base64 = privateKey.export({ format: 'der', type: 'pkcs1' }).toString('base64');
const publicKey = loadPublicKey(publicKeyPem);
const pkcs1PublicPem = publicKey.export({ format: 'pem', type: 'pkcs1' }) as string;
const spkiBase64 = keyToBase64(publicKey);

const reference = signRsa2('a=1&b=2', privateKey);

describe('signRsa2Async', () => {
  it('gives the same bytes as signRsa2 (PKCS#1 v1.5 is deterministic), for Chinese text too', async () => {
    expect(await signRsa2Async('a=1&b=2', privateKey)).toBe(reference);
    const text = 'subject=T恤/短袖&total_amount=12.30';
    expect(await signRsa2Async(text, privateKey)).toBe(signRsa2(text, privateKey));
    expect(verifyRsa2(text, await signRsa2Async(text, privateKey), publicKey)).toBe(true);
  });
});

describe('loadPrivateKey', () => {
  it.each([
    ['PKCS#8 PEM', privateKeyPem],
    ['PKCS#1 PEM', pkcs1PrivatePem],
    ['PKCS#8 bare base64', pkcs8Base64],
    ['PKCS#1 bare base64', pkcs1Base64],
    ['PKCS#8 PEM with surrounding whitespace', `\n\n  ${privateKeyPem}  \n`],
    ['PKCS#1 bare base64 with whitespace and line breaks', ` ${pkcs1Base64.replace(/(.{64})/g, '$1\n')}\n `],
    ['PEM with CRLF line endings', privateKeyPem.replace(/\n/g, '\r\n')],
  ])('loads %s to the same key', (_label, input) => {
    expect(signRsa2('a=1&b=2', loadPrivateKey(input))).toBe(reference);
  });

  it.each([
    ['an empty string', ''],
    ['garbage', 'not a key at all!'],
    ['a public key PEM', publicKeyPem],
    ['truncated base64', pkcs8Base64.slice(0, 200)],
    ['a certificate block', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
  ])('fails clearly on %s', (_label, input) => {
    expect(() => loadPrivateKey(input)).toThrow(AlipayKeyError);
  });

  it('refuses keys too weak or of the wrong kind for RSA2', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => loadPrivateKey(weak.export({ format: 'pem', type: 'pkcs8' }))).toThrow(/at least 2048 bits/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => loadPrivateKey(ec.export({ format: 'pem', type: 'pkcs8' }))).toThrow(AlipayKeyError);
  });
});

describe('loadPublicKey', () => {
  it.each([
    ['SPKI PEM', publicKeyPem],
    ['PKCS#1 PEM', pkcs1PublicPem],
    ['SPKI bare base64 (as the Alipay console shows it)', spkiBase64],
    ['SPKI bare base64 with whitespace', `  ${spkiBase64}\n`],
  ])('loads %s and verifies', (_label, input) => {
    expect(verifyRsa2('a=1&b=2', reference, loadPublicKey(input))).toBe(true);
  });

  it('derives the public half from a private KeyObject', () => {
    expect(verifyRsa2('a=1&b=2', reference, loadPublicKey(privateKey))).toBe(true);
  });

  it.each([
    ['an empty string', '   '],
    ['a private key PEM', privateKeyPem],
    ['garbage', '%%%'],
  ])('fails clearly on %s', (_label, input) => {
    expect(() => loadPublicKey(input)).toThrow(AlipayKeyError);
  });
});
