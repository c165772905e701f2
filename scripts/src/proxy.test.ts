import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siteConfig, UPSTREAM_KEEPALIVE_TIMEOUT } from './proxy';
import { DOC_EXAMPLE } from './proxy-example';
import { REPO_ROOT } from './system';

describe('the nginx configuration docs/deploy.md shows', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs/deploy.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];

  it('is exactly what siteConfig writes for the example, the function the proxy tests run nginx with', () => {
    expect(block).toBeDefined();
    expect(block).toBe(siteConfig(DOC_EXAMPLE));
  });

  it('forwards the client address and scheme the API trusts, and keeps upstream idle connections below the drain grace', () => {
    const config = siteConfig(DOC_EXAMPLE);
    expect(config).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    expect(config).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
    expect(config).toContain(`keepalive_timeout ${UPSTREAM_KEEPALIVE_TIMEOUT};`);
    expect(Number.parseInt(UPSTREAM_KEEPALIVE_TIMEOUT, 10) * 1000).toBeLessThan(5_000);
    for (const server of DOC_EXAMPLE.servers) expect(config).toContain(`server_name ${server.serverName};`);
  });
});
