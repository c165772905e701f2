import type { OutboxEvent } from '@shop/db';
import type { AttemptOutcome } from './store';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, webhookSignature } from './signature';

/** How much of a receiver's answer the delivery log keeps. */
const RESPONSE_KEPT = 500;

/** The JSON body of an event's webhook: the same bytes on every try, so a receiver sees one event whatever it gets. */
export function webhookBody(event: OutboxEvent): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    data: JSON.parse(event.dataJson) as unknown,
  });
}

/**
 * One POST of a webhook: signed (signature.ts) at the moment it is sent, with the event id and type in headers and
 * the try's number. A 2xx answer delivers it; anything else (another status, a redirect, which is not followed, no
 * answer within the deadline, a refused connection) is a failed try, described for the delivery log.
 */
export async function sendWebhook(input: {
  url: string;
  body: string;
  event: OutboxEvent;
  secrets: readonly string[];
  attempt: number;
  timeoutMs: number;
}): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(input.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'shop-webhooks/1',
        [EVENT_ID_HEADER]: input.event.id,
        [EVENT_TYPE_HEADER]: input.event.type,
        'shop-delivery-attempt': String(input.attempt),
        [SIGNATURE_HEADER]: webhookSignature(input.secrets, timestamp, input.body),
      },
      body: input.body,
    });
    const text = (await response.text()).slice(0, RESPONSE_KEPT);
    const ok = response.status >= 200 && response.status < 300;
    return {
      outcome: ok ? 'ok' : 'http-error',
      statusCode: response.status,
      durationMs: elapsed(),
      responseBody: text,
      error: ok ? null : `HTTP ${response.status}`,
    };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      outcome: timedOut ? 'timeout' : 'network-error',
      statusCode: null,
      durationMs: elapsed(),
      error: timedOut
        ? `no answer within ${input.timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? (error as Error).message).slice(0, 500),
    };
  }
}
