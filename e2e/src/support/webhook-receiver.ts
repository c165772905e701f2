import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEventBody } from '@shop/contract';

/**
 * A merchant's system receiving the shop's webhooks: a real HTTP server on 127.0.0.1 (a free port) that keeps what
 * it gets and answers 500 to the first request of each event and 200 to every later one, so each delivery succeeds
 * on its second try. Per event, not per server: other tests pay orders on the same system at the same time, and
 * their events come here too.
 */

export interface ReceivedWebhook {
  eventId: string;
  event: WebhookEventBody;
  /** The `Shop-Signature` header: `t=<seconds>,v1=<hex>[,v1=<hex>]`. */
  signature: string;
  body: string;
  answeredWith: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const eventId = String(req.headers['shop-event-id'] ?? '');
      const status = seen.has(eventId) ? 200 : 500;
      seen.add(eventId);
      received.push({
        eventId,
        event: JSON.parse(body) as WebhookEventBody,
        signature: String(req.headers['shop-signature'] ?? ''),
        body,
        answeredWith: status,
      });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/shop`,
    received,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * Whether a request was signed with `secret`, as a receiver checks it (apps/api/src/modules/outbox/signature.ts):
 * HMAC-SHA256 of `<t>.<body>` keyed with the secret, equal to one of the header's v1 values.
 */
export function signedWith(webhook: Pick<ReceivedWebhook, 'signature' | 'body'>, secret: string): boolean {
  const parts = webhook.signature.split(',').map((part) => part.split('=') as [string, string]);
  const timestamp = parts.find(([key]) => key === 't')?.[1];
  if (timestamp === undefined) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${webhook.body}`).digest();
  return parts
    .filter(([key]) => key === 'v1')
    .some(([, hex]) => {
      const given = Buffer.from(hex, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
