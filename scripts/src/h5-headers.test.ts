import { describe, expect, it } from 'vitest';
import { assertInlineScriptsAllowed, h5SecurityHeaders, inlineScriptHashes } from './h5-headers';
import { siteConfig } from './proxy';
import { DOC_EXAMPLE } from './proxy-example';

// The rem snippet Taro's H5WebpackPlugin writes into both apps' index.html for their size settings (as built).
const TARO_REM_SCRIPT =
  '!function(n){function f(){var e=n.document.documentElement,r=e.getBoundingClientRect(),width=r.width,' +
  'height=r.height,arr=[width,height].filter(function(value){return Boolean(value)}),w=Math.min.apply(Math,arr),' +
  'x=40*w/750;e.style.fontSize=x>=40?"40px":x<=20?"20px":x+"px"}; n.addEventListener("resize",(function(){f()})),' +
  'f()}(window);';

function csp(headers: Array<[string, string]>): Map<string, string> {
  const policy = new Map(headers).get('Content-Security-Policy') ?? '';
  return new Map(
    policy.split(';').map((directive) => {
      const [name = '', ...values] = directive.trim().split(' ');
      return [name, values.join(' ')];
    }),
  );
}

describe('the H5 security headers', () => {
  it("are helmet's, with a policy that runs only the apps' own scripts and calls only the API", () => {
    const headers = h5SecurityHeaders({ apiOrigin: 'http://127.0.0.1:3000/' });
    const names = headers.map(([name]) => name);
    for (const name of [
      'X-Content-Type-Options',
      'Referrer-Policy',
      'X-Frame-Options',
      'Strict-Transport-Security',
    ]) {
      expect(names).toContain(name);
    }
    const policy = csp(headers);
    expect(policy.get('script-src')).toBe("'self' 'sha256-ijLJL/TFHY0RSOrK2ylLQ/UEghkP985sx2SA23FtXgQ='");
    expect(policy.get('connect-src')).toBe("'self' blob: http://127.0.0.1:3000");
    expect(policy.get('img-src')).toContain('http://127.0.0.1:3000');
    expect(policy.get('frame-ancestors')).toBe("'none'");
    expect(policy.get('object-src')).toBe("'none'");
    // Without another API origin (production: nginx serves the API under the app's origin) only 'self' is called.
    expect(csp(h5SecurityHeaders()).get('connect-src')).toBe("'self' blob:");
  });

  it("allow Taro's inline rem script by its hash and refuse any other inline script", () => {
    const page = (script: string) =>
      `<html><head><script>${script}</script><script src="/runtime-config.js"></script></head></html>`;
    expect(inlineScriptHashes(page(TARO_REM_SCRIPT))).toEqual([
      'sha256-ijLJL/TFHY0RSOrK2ylLQ/UEghkP985sx2SA23FtXgQ=',
    ]);
    expect(() => assertInlineScriptsAllowed(page(TARO_REM_SCRIPT), 'index.html')).not.toThrow();
    expect(() => assertInlineScriptsAllowed(page('alert(1)'), 'index.html')).toThrow(
      /index.html has an inline script the H5 content security policy does not allow \(sha256-/,
    );
  });

  it('are what nginx adds to the pages it serves, with the API origin an app calls when it is another', () => {
    const config = siteConfig(DOC_EXAMPLE);
    for (const [name, value] of h5SecurityHeaders()) {
      expect(config).toContain(`add_header ${name} "${value}" always;`);
    }
    const crossOrigin = siteConfig({
      ...DOC_EXAMPLE,
      servers: [{ ...DOC_EXAMPLE.servers[1]!, apiOrigin: 'https://shop.example.com' }],
    });
    expect(crossOrigin).toContain("connect-src 'self' blob: https://shop.example.com;");
    // The API's answers under /api/ keep only the API's own headers: none are added at the server level.
    const serverLevel = config.split('location')[0] ?? '';
    expect(serverLevel).not.toContain('add_header');
  });
});
