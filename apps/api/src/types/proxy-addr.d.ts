// proxy-addr ships no types and @types/proxy-addr is not among the workspace's packages: the three functions used.
declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';

  type Trust = (addr: string, hop: number) => boolean;

  /** The client address: the X-Forwarded-For chain walked from the right while `trust` accepts each hop. */
  function proxyaddr(req: IncomingMessage, trust: Trust | string | string[]): string;
  namespace proxyaddr {
    /** Every address from the socket's to the client's, stopping after the first untrusted one. */
    function all(req: IncomingMessage, trust?: Trust | string | string[]): string[];
    /** A trust function for addresses, CIDRs, address/netmask pairs and the names loopback, linklocal, uniquelocal. */
    function compile(value: string | string[]): Trust;
  }
  export = proxyaddr;
}
