// Other packages type-check this file through their own tsconfig (bench, scripts), which do not include src/types.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient declaration has no module to import
/// <reference path="../types/proxy-addr.d.ts" />
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type Koa from 'koa';
import proxyAddr from 'proxy-addr';

/**
 * The client's address and scheme, from X-Forwarded-For / X-Forwarded-Proto only when the TCP peer is a trusted
 * proxy (TRUSTED_PROXIES; DESIGN.md, "Where it runs"). The chain is walked from the right, the way `proxy-addr`
 * (Express's trust proxy) does: the peer, then each X-Forwarded-For entry a trusted hop vouches for, stopping at the
 * first address that is not a trusted proxy, which is the client. From any other peer the headers are ignored, so a
 * shopper who sends a forged X-Forwarded-For straight to the API is counted and audited under the socket's address.
 *
 * Koa's own `proxy: true` is not used: it believes X-Forwarded-For from any peer and takes its leftmost entry, which
 * the client writes. Instead `trustProxies` replaces `ip` and `protocol` on this app's request prototype, so
 * `ctx.ip`, `ctx.protocol`, `ctx.secure` and `ctx.href` all follow these rules.
 */

/** Whether `addr`, seen as hop `hop` (0 = the socket's peer), is a proxy whose forwarded headers are believed. */
export type TrustProxy = (addr: string, hop: number) => boolean;

export interface ClientOrigin {
  ip: string;
  protocol: 'http' | 'https';
}

/** The named ranges proxy-addr understands. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Parses TRUSTED_PROXIES: comma-separated IPv4 or IPv6 addresses, CIDRs (`10.0.0.0/8`, `fd00::/8`), IPv4
 * address/netmask pairs, or the names `loopback`, `linklocal`, `uniquelocal`. Throws an Error naming the first
 * malformed entry. proxy-addr alone would take `12345` as an IPv4 address (ipaddr.js reads a bare number as one), so
 * each address is first checked with node:net.
 */
export function parseTrustedProxies(value: string): string[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (NAMED_RANGES.has(entry)) continue;
    const slash = entry.indexOf('/');
    const address = slash === -1 ? entry : entry.slice(0, slash);
    const range = slash === -1 ? null : entry.slice(slash + 1);
    const problem =
      isIP(address) === 0
        ? `"${entry}" is not an IP address`
        : range !== null && !/^\d{1,3}$/.test(range) && isIP(range) !== 4
          ? `"${entry}" has a malformed prefix length`
          : null;
    if (problem) throw new Error(problem);
    try {
      proxyAddr.compile(entry);
    } catch (error) {
      throw new Error(`"${entry}": ${(error as Error).message}`, { cause: error });
    }
  }
  return entries;
}

/** The trust function for parsed entries; null when none are configured (no proxy is believed). */
export function compileTrust(entries: readonly string[]): TrustProxy | null {
  return entries.length === 0 ? null : proxyAddr.compile([...entries]);
}

/** One X-Forwarded-Proto value that names a scheme we serve, else null. */
function scheme(value: string | undefined): 'http' | 'https' | null {
  const lower = value?.trim().toLowerCase();
  return lower === 'http' || lower === 'https' ? lower : null;
}

/** Where a request came from, by the rules above. */
export function resolveClient(req: IncomingMessage, trust: TrustProxy | null): ClientOrigin {
  const socketProtocol = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  const peer = req.socket.remoteAddress ?? '';
  if (!trust || !trust(peer, 0)) return { ip: peer, protocol: socketProtocol };

  // [peer, nearest hop, ..., client]: stops after the first untrusted address.
  const chain = proxyAddr.all(req, trust);
  // A trusted proxy writes addresses; anything else there (a misconfigured chain passing the client's text along)
  // is not an address, and the nearest hop that is one stands in for the client.
  let hops = chain.length - 1;
  while (hops > 0 && isIP(chain[hops] ?? '') === 0) hops--;
  const ip = chain[hops] ?? peer;

  // Each proxy that appends to X-Forwarded-For appends the scheme it was reached by to X-Forwarded-Proto, so the
  // entry `hops` from the right belongs to the client's hop; a proxy that sets the header instead (nginx's
  // `proxy_set_header X-Forwarded-Proto $scheme`) leaves one entry, which is then the one taken. Entries further
  // left were written by no trusted proxy and are never read.
  const protos = (req.headers['x-forwarded-proto'] ?? '').toString().split(',');
  const forwarded =
    protos.length > 0 && protos[0] !== ''
      ? protos[Math.max(0, protos.length - Math.max(1, hops))]
      : undefined;
  return { ip, protocol: scheme(forwarded) ?? socketProtocol };
}

const ORIGIN = Symbol('clientOrigin');
const IP_OVERRIDE = Symbol('ipOverride');

interface RequestWithOrigin {
  req: IncomingMessage;
  [ORIGIN]?: ClientOrigin;
  [IP_OVERRIDE]?: string;
}

function originOf(request: RequestWithOrigin, trust: TrustProxy | null): ClientOrigin {
  return (request[ORIGIN] ??= resolveClient(request.req, trust));
}

/**
 * Makes `ctx.ip` and `ctx.protocol` (and with it `ctx.secure` and `ctx.href`) of `app` follow
 * `resolveClient`, computed once per request. Only this app's request prototype changes; the app keeps
 * `proxy: false`, so Koa itself never reads the forwarded headers (nor X-Forwarded-Host).
 */
export function trustProxies(app: Koa, trust: TrustProxy | null): void {
  app.proxy = false;
  Object.defineProperties(app.request, {
    ip: {
      configurable: true,
      get(this: RequestWithOrigin): string {
        return this[IP_OVERRIDE] ?? originOf(this, trust).ip;
      },
      // Koa lets middleware set ctx.request.ip; kept so that still works.
      set(this: RequestWithOrigin, value: string) {
        this[IP_OVERRIDE] = value;
      },
    },
    protocol: {
      configurable: true,
      get(this: RequestWithOrigin): string {
        return originOf(this, trust).protocol;
      },
    },
  });
}
