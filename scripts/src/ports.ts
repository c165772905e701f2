import { createServer } from 'node:net';

/** A port `pnpm start` or `pnpm dev` is about to listen on, and the variable that moves it. */
export interface NeededPort {
  part: string;
  port: number;
  variable: string;
}

export class PortInUseError extends Error {
  constructor(
    readonly taken: readonly NeededPort[],
    host: string,
  ) {
    super(
      taken
        .map(
          (p) =>
            `port ${p.port} on ${host} (the ${p.part}) is already in use by another program: stop that program, ` +
            `or move the ${p.part} with ${p.variable}=<another port>`,
        )
        .join('\n'),
    );
    this.name = 'PortInUseError';
  }
}

/** Whether `port` on `host` can be listened on right now: bound once, then released at once. */
export function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Fails before anything starts when a port is taken, naming each taken port and its variable. Without it the
 * child would die with EADDRINUSE in its log while the other program answered the health check in its place.
 * Port 0 (a free port picked later) is never taken.
 */
export async function assertPortsFree(host: string, ports: readonly NeededPort[]): Promise<void> {
  const taken: NeededPort[] = [];
  for (const needed of ports) {
    if (needed.port !== 0 && !(await canListen(host, needed.port))) taken.push(needed);
  }
  if (taken.length > 0) throw new PortInUseError(taken, host);
}

/** The four ports the whole system listens on, named as `assertPortsFree` reports them. */
export function systemPorts(ports: { api: number; sandbox: number; shop: number; admin: number }) {
  return [
    { part: 'API', port: ports.api, variable: 'API_PORT' },
    { part: 'Alipay sandbox', port: ports.sandbox, variable: 'SANDBOX_PORT' },
    { part: 'shop H5', port: ports.shop, variable: 'SHOP_PORT' },
    { part: 'admin H5', port: ports.admin, variable: 'ADMIN_PORT' },
  ];
}
