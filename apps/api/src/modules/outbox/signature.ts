import { createHmac, randomBytes } from 'node:crypto';

/**
 * How webhook deliveries are signed (README, "Webhooks"; the scheme Stripe's integrators know): the header
 *
 *   Shop-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]
 *
 * where each v1 is HMAC-SHA256, keyed with an endpoint secret (its UTF-8 text, `whsec_` included), of the text
 * `<t>.<body>`: the same t, a dot, and the body's exact bytes. During a secret rotation there is one v1 per active
 * secret, the new one first. A receiver recomputes with its secret, compares in constant time with every v1, and
 * refuses a t more than five minutes from its clock (a replay).
 */

export const SIGNATURE_HEADER = 'shop-signature';
export const EVENT_ID_HEADER = 'shop-event-id';
export const EVENT_TYPE_HEADER = 'shop-event-type';

/** A new endpoint secret: `whsec_` and 32 random bytes in base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function webhookSignature(secrets: readonly string[], timestampSeconds: number, body: string): string {
  if (secrets.length === 0) throw new Error('a webhook needs a secret to be signed with');
  const signed = `${timestampSeconds}.${body}`;
  const parts = secrets.map((secret) => `v1=${createHmac('sha256', secret).update(signed).digest('hex')}`);
  return [`t=${timestampSeconds}`, ...parts].join(',');
}
