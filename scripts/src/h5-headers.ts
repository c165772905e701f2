import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * The security headers of the shop's and the admin's H5 pages: helmet's, the library the API sends its own with
 * (apps/api/src/http/security.ts), with a content security policy the apps pass. The same list is set by the static
 * server of `pnpm start` and `pnpm dev` (system.ts) and written as `add_header` lines into nginx's configuration
 * (proxy.ts, docs/deploy.md); e2e/src/csp.spec.ts loads both apps under it and fails on any violation.
 */

/**
 * The one inline script of Taro's H5 index.html: the rem sizing snippet H5WebpackPlugin writes from the apps'
 * designWidth and deviceRatio (the same for both apps). It is allowed by its hash rather than by 'unsafe-inline',
 * so an injected inline script does not run. A change to the apps' size settings changes it: `serveH5` refuses to
 * serve an index.html with an inline script not listed here and prints the hash to put here.
 */
export const H5_INLINE_SCRIPT_HASHES: readonly string[] = [
  'sha256-ijLJL/TFHY0RSOrK2ylLQ/UEghkP985sx2SA23FtXgQ=',
];

export interface H5HeaderOptions {
  /**
   * The API's origin when it is not the page's own (development: http://127.0.0.1:3000; in production nginx serves
   * the API under each app's origin and this is left out). The apps call it (fetch) and show its images.
   */
  apiOrigin?: string | undefined;
}

/** The content security policy directives of an H5 app. */
export function h5CspDirectives(options: H5HeaderOptions = {}): Record<string, string[]> {
  const api = options.apiOrigin ? [new URL(options.apiOrigin).origin] : [];
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", ...H5_INLINE_SCRIPT_HASHES.map((hash) => `'${hash}'`)],
    // Taro and React set element styles at run time; styles cannot run code.
    styleSrc: ["'self'", "'unsafe-inline'"],
    // Product pictures and photos come from the API; QR codes and the favicon are data: URLs.
    imgSrc: ["'self'", 'data:', 'blob:', ...api],
    // blob: too: Taro's H5 uploadFile reads a chosen photo (a blob: URL) with XMLHttpRequest before sending it.
    connectSrc: ["'self'", 'blob:', ...api],
    fontSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  };
}

/**
 * The headers, in order, as helmet writes them for these directives (run against a collector, not a server, so the
 * static server and nginx get the very same values).
 */
export function h5SecurityHeaders(options: H5HeaderOptions = {}): Array<[string, string]> {
  const middleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: h5CspDirectives(options) },
    frameguard: { action: 'deny' },
  });
  const headers: Array<[string, string]> = [];
  const collector = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.push([name, String(value)]);
    },
    removeHeader() {},
  };
  let error: unknown;
  middleware({} as IncomingMessage, collector as unknown as ServerResponse, (err?: unknown) => {
    error = err;
  });
  if (error instanceof Error) throw error;
  if (error) throw new Error('helmet refused the H5 header options');
  return headers;
}

/** `'sha256-...'` of every inline `<script>` in an HTML page. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
    (match) =>
      `sha256-${createHash('sha256')
        .update(match[1] ?? '')
        .digest('base64')}`,
  );
}

/** Throws when `html` has an inline script the policy does not allow, naming the hash to add. */
export function assertInlineScriptsAllowed(html: string, where: string): void {
  const unknown = inlineScriptHashes(html).filter((hash) => !H5_INLINE_SCRIPT_HASHES.includes(hash));
  if (unknown.length > 0) {
    throw new Error(
      `${where} has an inline script the H5 content security policy does not allow (${unknown.join(', ')}); ` +
        'add its hash to H5_INLINE_SCRIPT_HASHES in scripts/src/h5-headers.ts if the script is ours',
    );
  }
}
