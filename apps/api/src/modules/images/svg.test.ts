import { describe, expect, it } from 'vitest';
import { iconFor } from './icons';
import { colourFromName } from './palette';
import { escapeXml, renderCategoryIcon, renderProductImage, wrapText, type ProductImageInput } from './svg';

const tee: ProductImageInput = {
  title: '重磅纯棉短袖T恤',
  subtitle: '260g 精梳棉 · 宽松版型',
  categorySlug: 'apparel',
  categoryName: '服饰',
  colourNames: ['白色', '黑色', '雾霾蓝'],
  index: 0,
};

describe('renderProductImage', () => {
  it('is a 750 x 750 SVG carrying the title and category, the same bytes every time', () => {
    const svg = renderProductImage(tee);
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="750" height="750" viewBox="0 0 750 750"/,
    );
    expect(svg).toContain('>重磅纯棉短袖T恤</text>');
    expect(svg).toContain('>服饰</text>');
    expect(svg).toContain('<title>重磅纯棉短袖T恤</title>');
    expect(renderProductImage(tee)).toBe(svg);
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('draws image i in the product’s i-th colour', () => {
    expect(renderProductImage({ ...tee, index: 1 })).toContain(`fill="${colourFromName('黑色')}"`);
    expect(renderProductImage({ ...tee, index: 2 })).toContain(`fill="${colourFromName('雾霾蓝')}"`);
    expect(renderProductImage({ ...tee, index: 1 })).not.toBe(renderProductImage({ ...tee, index: 2 }));
  });

  it('escapes text so a title can never break out of the markup', () => {
    const svg = renderProductImage({ ...tee, title: '<script>alert("x")</script> & Co', subtitle: "it's" });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;');
    expect(svg).toContain('&#38; Co');
    expect(svg).toContain('it&#39;s');
  });

  it('draws what the title names, falling back to the category', () => {
    expect(iconFor('316 不锈钢保温杯', 'home')).toBe('thermos');
    expect(iconFor('轻量缓震跑步鞋', 'shoes')).toBe('sneaker');
    expect(iconFor('防滑保暖雪地靴', 'shoes')).toBe('boot');
    expect(iconFor('神秘新品', 'beauty')).toBe('creamJar');
    expect(iconFor('神秘新品', 'unknown')).toBe('box');
  });
});

describe('wrapText', () => {
  it('fits CJK at one em and Latin at about half, ending a cut line with …', () => {
    expect(wrapText('一二三四五', 5, 2)).toEqual(['一二三四五']);
    expect(wrapText('一二三四五六七', 5, 2)).toEqual(['一二三四五', '六七']);
    expect(wrapText('一二三四五六七八九十十一', 5, 2)).toEqual(['一二三四五', '六七八九…']);
    expect(wrapText('abcdefgh', 4, 1)).toEqual(['abcde…']);
  });
});

describe('renderCategoryIcon', () => {
  it('is a 240 x 240 SVG named after the category', () => {
    const svg = renderCategoryIcon({ slug: 'digital', name: '数码' });
    expect(svg).toContain('width="240" height="240"');
    expect(svg).toContain('<title>数码</title>');
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<>&"'`)).toBe('&#60;&#62;&#38;&#34;&#39;');
  });
});
