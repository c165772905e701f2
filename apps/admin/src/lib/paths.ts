/**
 * The admin's pages and the rules for the sign-in page's return path. Pure, so it can be tested in Node; the
 * navigation calls live in nav.ts.
 */

import routes from '../routes.json';

/**
 * Each page's source path (as listed in app.config.ts) and the clean URL the browser shows for it, from
 * src/routes.json: JSON so that config/index.ts, which Taro loads in Node without compiling src/, can read the same
 * table for `h5.router.customRoutes`. Navigation uses the clean URLs.
 */
export const ROUTES: Readonly<Record<keyof typeof routes, readonly [source: string, url: string]>> =
  routes as Record<keyof typeof routes, [string, string]>;

export const PAGES = Object.fromEntries(
  Object.entries(ROUTES).map(([name, [, url]]) => [name, url]),
) as Record<keyof typeof routes, string>;

/** `{'/pages/orders/index': '/orders', ...}` for Taro's `customRoutes`. */
export function customRoutes(): Record<string, string> {
  return Object.fromEntries(Object.values(ROUTES).map(([source, url]) => [`/${source}`, url]));
}

export type PageName = keyof typeof routes;

/** `/pages/orders/detail?id=...`: a page path with its query (empty values left out). */
export function pageUrl(page: PageName, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, value);
  const search = params.toString();
  return search === '' ? PAGES[page] : `${PAGES[page]}?${search}`;
}

const KNOWN_PATHS = new Set<string>(Object.values(PAGES));

/**
 * Where sign-in may send the admin back to: a page of this app (path and query), never another origin
 * (`//evil.example`, `https://...`, `javascript:`) and never the sign-in page itself. Anything else is the dashboard.
 */
export function safeReturnPath(candidate: string | null | undefined): string {
  if (typeof candidate !== 'string' || candidate === '') return PAGES.dashboard;
  if (!candidate.startsWith('/') || candidate.startsWith('//') || candidate.includes('\\'))
    return PAGES.dashboard;
  let url: URL;
  try {
    url = new URL(candidate, 'http://admin.invalid');
  } catch {
    return PAGES.dashboard;
  }
  if (url.origin !== 'http://admin.invalid') return PAGES.dashboard;
  if (!KNOWN_PATHS.has(url.pathname) || url.pathname === PAGES.login) return PAGES.dashboard;
  // Taro adds its own page stamp to the query; it means nothing on a fresh load.
  url.searchParams.delete('stamp');
  url.searchParams.delete('$taroTimestamp');
  const search = url.searchParams.toString();
  return search === '' ? url.pathname : `${url.pathname}?${search}`;
}

/** The sign-in page, remembering where to return. */
export function loginUrl(returnPath: string | null): string {
  const target = returnPath === null ? PAGES.dashboard : safeReturnPath(returnPath);
  return target === PAGES.dashboard ? PAGES.login : `${PAGES.login}?redirect=${encodeURIComponent(target)}`;
}
