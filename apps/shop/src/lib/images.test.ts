import { describe, expect, it } from 'vitest';

import { imageSrc, photoSrc } from './images';

describe('image addresses', () => {
  it('asks for the variant a place shows, and leaves drawings and other addresses alone', () => {
    const base = 'http://127.0.0.1:3000';
    expect(photoSrc('/media/p/abc123/detail.webp', 'list').replace(/^https?:\/\/[^/]+/, base)).toBe(
      `${base}/media/p/abc123/list.webp`,
    );
    expect(photoSrc('/media/p/abc123/detail.webp', 'cart')).toMatch(/\/media\/p\/abc123\/cart\.webp$/);
    expect(photoSrc('/images/products/p1/0.svg', 'cart')).toMatch(/\/images\/products\/p1\/0\.svg$/);
    expect(imageSrc('https://example.com/a.png', base)).toBe('https://example.com/a.png');
    expect(imageSrc('', base)).toBe('');
  });
});
