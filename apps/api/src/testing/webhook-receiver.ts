import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got: its headers and its body's exact text. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  answeredWith: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The status the next requests get, in order; once used up, every request gets 200. 0: no answer at all. */
  answerWith(statuses: number[]): void;
  /** Resolves when the receiver holds `count` requests it has not answered (status 0). */
  holding(count?: number): Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP server standing in for a merchant's ERP: it keeps what it receives and answers as told. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let script: number[] = [];
  let held = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = script.shift() ?? 200;
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answeredWith: status,
      });
      // 0: keep the connection open and never answer, as a receiver stuck behind a slow database would.
      if (status === 0) held += 1;
      else res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/shop`,
    received,
    answerWith(statuses) {
      script = [...statuses];
    },
    async holding(count = 1) {
      const deadline = Date.now() + 30_000;
      while (held < count) {
        if (Date.now() > deadline) throw new Error(`the receiver never held ${count} requests`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
