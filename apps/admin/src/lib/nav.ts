import Taro from '@tarojs/taro';

import { loginUrl, PAGES } from './paths';

/**
 * Navigation. Top-level sections (the sidebar) behave like mini-program tabs: `reLaunch` starts a fresh page stack,
 * as Taro's own `switchTab` replaces the history entry, so hidden copies of list pages never pile up. Within a
 * section (a list and its detail) `navigateTo` pushes, so the browser's back button returns to the list as it was.
 */
export function openSection(url: string): void {
  void Taro.reLaunch({ url });
}

export function openPage(url: string): void {
  void Taro.navigateTo({ url });
}

/** Back to the previous page of this app, or to `fallback` when the page was opened directly. */
export function goBack(fallback: string): void {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else openSection(fallback);
}

/** The page's URL (clean path and query) as the browser shows it. */
export function currentPath(): string {
  return `${window.location.pathname}${window.location.search}`;
}

let redirecting = false;

/** To sign-in, remembering where the admin was; several failing calls at once redirect once. */
export function redirectToLogin(): void {
  if (redirecting || window.location.pathname === PAGES.login) return;
  redirecting = true;
  void Taro.reLaunch({ url: loginUrl(currentPath()) }).finally(() => {
    redirecting = false;
  });
}

/** A page's query parameter (Taro's router params, which H5 fills from the URL). */
export function routeParam(name: string): string | undefined {
  const value = Taro.getCurrentInstance().router?.params[name];
  return typeof value === 'string' && value !== '' ? decodeURIComponent(value) : undefined;
}
