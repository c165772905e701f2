import { readShopConfig } from '../config';

/**
 * Image addresses. The API hands out paths on itself (`/images/products/<id>/0.svg`, ProductSummary.imageUrl); the
 * pages need absolute URLs, so paths are prefixed with the API's base URL. Absolute URLs pass through.
 */
export function imageSrc(path: string, apiBaseUrl: string = readShopConfig().apiBaseUrl): string {
  if (path === '') return '';
  return /^https?:\/\//.test(path) ? path : `${apiBaseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
}
