import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTrust, parseTrustedProxies, trustProxies } from './client-address';

/**
 * The client address and scheme a Koa app sees, over real loopback connections: 127.0.0.1 plays the trusted proxy
 * and 127.0.0.2 (the same loopback range, `localAddress`) a client connecting straight to the API.
 */

interface Seen {
  ip: string;
  protocol: string;
  secure: boolean;
  href: string;
}

async function listen(trusted: string): Promise<{ url: URL; close: () => Promise<void> }> {
  const app = new Koa();
  trustProxies(app, compileTrust(parseTrustedProxies(trusted)));
  app.use((ctx) => {
    const seen: Seen = { ip: ctx.ip, protocol: ctx.protocol, secure: ctx.secure, href: ctx.href };
    ctx.body = seen;
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((done) => server.once('listening', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

function get(url: URL, from: string, headers: Record<string, string> = {}): Promise<Seen> {
  return new Promise((done, fail) => {
    const req = request(url, { localAddress: from, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done(JSON.parse(text) as Seen));
    });
    req.once('error', fail);
    req.end();
  });
}

describe('parseTrustedProxies', () => {
  it('takes IPv4 and IPv6 addresses, CIDRs, netmasks and the named ranges, ignoring blanks', () => {
    expect(
      parseTrustedProxies(' 127.0.0.1, 10.0.0.0/8,::1 ,fd00::/8,192.168.0.0/255.255.0.0,,loopback'),
    ).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '192.168.0.0/255.255.0.0', 'loopback']);
    expect(parseTrustedProxies('')).toEqual([]);
  });

  it.each([
    ['nginx', /"nginx" is not an IP address/],
    ['12345', /"12345" is not an IP address/],
    ['127.1', /"127.1" is not an IP address/],
    ['10.0.0.0/33', /"10.0.0.0\/33": invalid range/],
    ['::1/129', /"::1\/129": invalid range/],
    ['10.0.0.0/eight', /"10.0.0.0\/eight" has a malformed prefix length/],
    ['127.0.0.1 10.0.0.1', /is not an IP address/],
  ])('refuses %s, naming it', (value, message) => {
    expect(() => parseTrustedProxies(`127.0.0.1,${value}`)).toThrow(message);
  });
});

describe('with 127.0.0.1 trusted', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    server = await listen('127.0.0.1');
  });
  afterAll(() => server.close());

  it('takes the client from X-Forwarded-For and the scheme from X-Forwarded-Proto of the trusted proxy', async () => {
    const seen = await get(server.url, '127.0.0.1', {
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
    });
    expect(seen).toEqual({
      ip: '203.0.113.7',
      protocol: 'https',
      secure: true,
      href: `https://${server.url.host}/`,
    });
  });

  it('walks the chain from the right and stops at the first untrusted hop (an entry the client wrote is not taken)', async () => {
    // The client sent "X-Forwarded-For: 198.51.100.1"; the proxy appended the address it saw.
    const seen = await get(server.url, '127.0.0.1', { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' });
    expect(seen.ip).toBe('203.0.113.7');
    // A hop that is itself a trusted proxy is passed over.
    const twoHops = await get(server.url, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7, 127.0.0.1' });
    expect(twoHops.ip).toBe('203.0.113.7');
  });

  it('keeps the proxy as the client when it forwards no address, or something that is not one', async () => {
    expect((await get(server.url, '127.0.0.1')).ip).toBe('127.0.0.1');
    expect((await get(server.url, '127.0.0.1', { 'x-forwarded-for': 'not-an-address' })).ip).toBe(
      '127.0.0.1',
    );
  });

  it('reads the scheme of the hop it took the client from, and ignores values that are not http or https', async () => {
    // Two trusted hops appending: the client reached the outer proxy by https, the outer reached the inner by http.
    const appended = await get(server.url, '127.0.0.1', {
      'x-forwarded-for': '203.0.113.7, 127.0.0.1',
      'x-forwarded-proto': 'https, http',
    });
    expect(appended.protocol).toBe('https');
    const odd = await get(server.url, '127.0.0.1', {
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'gopher',
    });
    expect(odd).toMatchObject({ protocol: 'http', secure: false });
  });

  it('ignores both headers from a peer that is not trusted', async () => {
    const seen = await get(server.url, '127.0.0.2', {
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
    });
    expect(seen).toEqual({
      ip: '127.0.0.2',
      protocol: 'http',
      secure: false,
      href: `http://${server.url.host}/`,
    });
  });
});

describe('with no proxy trusted (the default)', () => {
  it('ignores both headers from every peer, the loopback included', async () => {
    const server = await listen('');
    try {
      const seen = await get(server.url, '127.0.0.1', {
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
      });
      expect(seen).toMatchObject({ ip: '127.0.0.1', protocol: 'http', secure: false });
    } finally {
      await server.close();
    }
  });
});

describe('IPv6', () => {
  it('trusts an IPv6 proxy by its CIDR and an IPv4 proxy reaching a dual-stack socket (::ffff:127.0.0.1)', async () => {
    const app = new Koa();
    trustProxies(app, compileTrust(parseTrustedProxies('::1/128,127.0.0.0/8')));
    app.use((ctx) => {
      ctx.body = { ip: ctx.ip, protocol: ctx.protocol };
    });
    const server = app.listen(0, '::');
    await new Promise((done) => server.once('listening', done));
    try {
      const { port } = server.address() as AddressInfo;
      const v6 = await get(new URL(`http://[::1]:${port}/`), '::1', { 'x-forwarded-for': '2001:db8::7' });
      expect(v6.ip).toBe('2001:db8::7');
      const v4 = await get(new URL(`http://127.0.0.1:${port}/`), '127.0.0.1', {
        'x-forwarded-for': '203.0.113.9',
      });
      expect(v4.ip).toBe('203.0.113.9');
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
