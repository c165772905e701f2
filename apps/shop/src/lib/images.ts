import { readShopConfig } from '../config';

/**
 * Image addresses. The API hands out paths on itself (`/images/products/<id>/0.svg`, ProductSummary.imageUrl); the
 * pages need absolute URLs, so paths are prefixed with the API's base URL. Absolute URLs pass through.
 */
export function imageSrc(path: string, apiBaseUrl: string = readShopConfig().apiBaseUrl): string {
  if (path === '') return '';
  return /^https?:\/\//.test(path) ? path : `${apiBaseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** The sizes the API renders uploaded product photos in (apps/api, media/image.ts). */
export type PhotoVariant = 'list' | 'detail' | 'cart';

const PHOTO = /^(\/media\/p\/[A-Za-z0-9_-]+\/)(?:list|detail|cart)\.webp$/;

/**
 * A picture at the size a place shows it: an uploaded photo's path names its variant, so a list asks for the 360
 * pixel one and the cart for the 160 pixel one; generated drawings (SVG) scale by themselves and pass through.
 */
export function photoSrc(path: string, variant: PhotoVariant): string {
  return imageSrc(path.replace(PHOTO, `$1${variant}.webp`));
}
