import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseForm } from './form';

/** A request as a gateway sees it: query and body parsed separately, raw body kept. */
export interface CapturedRequest {
  query: Record<string, string>;
  body: Record<string, string>;
  rawBody: string;
  headers: IncomingMessage['headers'];
  /** The client's port: the same on two requests when the connection was kept open between them. */
  remotePort: number;
}

export interface LocalServer {
  url: string;
  requests: CapturedRequest[];
  /** Closes the connections kept open between requests, as a server's idle timeout does. */
  closeIdle(): void;
  close(): Promise<void>;
}

/** Starts a throwaway HTTP server on 127.0.0.1 for tests that need a real socket. */
export async function startLocalServer(
  handle: (request: CapturedRequest, res: ServerResponse, req: IncomingMessage) => void | Promise<void>,
): Promise<LocalServer> {
  const requests: CapturedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const captured: CapturedRequest = {
        query: parseForm(url.search.slice(1)),
        body: parseForm(raw),
        rawBody: raw.toString('utf8'),
        headers: req.headers,
        remotePort: req.socket.remotePort ?? 0,
      };
      requests.push(captured);
      void Promise.resolve(handle(captured, res, req)).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/gateway.do`,
    requests,
    closeIdle: () => server.closeIdleConnections(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
